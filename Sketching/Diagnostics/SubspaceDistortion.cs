using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Simd;
using Kernels.Sketching.Operators;

namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// The subspace distortion of a sketch (Definition 3.1 of the paper): for an N × d basis Q of a subspace, the extreme
/// eigenvalues of the d × d Gram matrix (SQ)ᵀ(SQ), from which ε = max(λmax − 1, 1 − λmin) follows. This is the
/// exact quantity an oblivious-subspace-embedding theorem bounds, so a property test can compare it with the theorem's ε.
/// </summary>
/// <remarks>
/// <para><b>Orthonormality.</b> The identity ‖Sx‖²/‖x‖² ∈ [λmin, λmax] holds only for an orthonormal Q. With
/// <see cref="BasisHandling.RequireOrthonormal"/> the call first checks max |(QᵀQ − I)[a, b]| ≤ τ and throws otherwise;
/// the default τ = 10·d·√N·ε_T (ε_T the machine epsilon of T) accepts a basis computed by Householder QR, whose entries
/// of QᵀQ − I grow like √N·ε in practice, and keeps the effect of the remaining error on the eigenvalues below d·τ
/// (Gershgorin). With <see cref="BasisHandling.Orthonormalize"/> the basis is replaced by the thin Q of its Householder QR
/// (<see cref="HouseholderQr{T}.FormThinQ"/>), which must then have full column rank.</para>
/// <para><b>Cost.</b> One S·Q, one d × d Gram product and a Jacobi eigensolve (<see cref="SymmetricEigen"/>), in T;
/// orthonormalizing adds a QR of Q. Meant for tests and diagnostics (it allocates its d × d and s × d work matrices).</para>
/// </remarks>
public static class SubspaceDistortion
{
    /// <summary>The default orthonormality tolerance τ = 10·d·√N·ε_T for an N × d basis (see the remarks).</summary>
    public static double DefaultTolerance<T>(int rows, int columns) where T : unmanaged, IFloatingPointIeee754<T> =>
        10.0 * columns * Math.Sqrt(rows) * double.CreateChecked(T.BitIncrement(T.One) - T.One);

    /// <summary>max over a, b of |(QᵀQ − I)[a, b]|: how far the columns of <paramref name="basis"/> are from orthonormal.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public static double OrthonormalityError<T>(ReadOnlyMatrixView<T> basis) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        int d = basis.Columns;
        var gram = new T[d * d];
        var view = new MatrixView<T>(gram, d, d);
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, basis, basis, T.Zero, view);
        double error = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                error = Math.Max(error, Math.Abs(double.CreateChecked(view[a, b]) - (a == b ? 1 : 0)));
            }
        }
        return error;
    }

    /// <summary>
    /// The extreme eigenvalues of (SQ)ᵀ(SQ) for the subspace spanned by the columns of <paramref name="basis"/>.
    /// </summary>
    /// <param name="sketch">S, s × N.</param>
    /// <param name="basis">Q, N × d with 1 ≤ d ≤ N; orthonormal columns, or any full-rank basis with <see cref="BasisHandling.Orthonormalize"/>.</param>
    /// <param name="handling">Whether the basis must already be orthonormal or is orthonormalized first.</param>
    /// <param name="tolerance">τ for <see cref="BasisHandling.RequireOrthonormal"/>; <c>null</c> means <see cref="DefaultTolerance{T}"/>.</param>
    /// <param name="options">Threads for the products; the result does not depend on them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sketch"/> is null.</exception>
    /// <exception cref="ArgumentException">The basis does not have N rows, has no columns or more columns than rows, is not orthonormal
    /// within τ (<see cref="BasisHandling.RequireOrthonormal"/>), holds a NaN or infinity, or is rank-deficient (<see cref="BasisHandling.Orthonormalize"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="handling"/> is not defined, <paramref name="tolerance"/> is negative or not finite, or an option is out of range.</exception>
    public static SubspaceDistortionResult Measure<T>(ISketch<T> sketch, ReadOnlyMatrixView<T> basis, BasisHandling handling = BasisHandling.RequireOrthonormal,
        double? tolerance = null, BlasOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(sketch);
        if (!Enum.IsDefined(handling))
        {
            throw new ArgumentOutOfRangeException(nameof(handling), handling, "handling must be RequireOrthonormal or Orthonormalize.");
        }
        if (tolerance is { } t && !(double.IsFinite(t) && t >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be finite and non-negative.");
        }
        int n = basis.Rows, d = basis.Columns;
        if (n != sketch.Columns || d < 1 || d > n)
        {
            throw new ArgumentException($"basis is {n}×{d}; expected {sketch.Columns}×d with 1 ≤ d ≤ {sketch.Columns} to match the {sketch.Rows}×{sketch.Columns} S.", nameof(basis));
        }
        ReadOnlyMatrixView<T> q = handling == BasisHandling.Orthonormalize ? Orthonormalized(basis, options) : RequireOrthonormal(basis, tolerance);

        int s = sketch.Rows;
        var sq = new MatrixView<T>(new T[s * d], s, d);
        sketch.Apply(q, sq, options);
        var gram = new MatrixView<T>(new T[d * d], d, d);
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, sq, sq, T.Zero, gram, options);
        var eigenvalues = new T[d];
        SymmetricEigen.Eigenvalues<T>(gram, eigenvalues);
        return new SubspaceDistortionResult(double.CreateChecked(eigenvalues[0]), double.CreateChecked(eigenvalues[d - 1]), d);
    }

    private static ReadOnlyMatrixView<T> RequireOrthonormal<T>(ReadOnlyMatrixView<T> basis, double? tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double tau = tolerance ?? DefaultTolerance<T>(basis.Rows, basis.Columns);
        double error = OrthonormalityError(basis);
        if (!(error <= tau))
        {
            throw new ArgumentException(
                $"basis is not orthonormal: max |QᵀQ − I| is {error:E3}, above the tolerance {tau:E3}. Pass BasisHandling.Orthonormalize to orthonormalize it.", nameof(basis));
        }
        return basis;
    }

    private static ReadOnlyMatrixView<T> Orthonormalized<T>(ReadOnlyMatrixView<T> basis, BlasOptions? options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = basis.Rows, d = basis.Columns;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = basis.Row(i);
            for (int j = 0; j < d; j++)
            {
                if (!T.IsFinite(row[j]))
                {
                    throw new ArgumentException($"basis[{i}, {j}] is {row[j]}; a basis needs finite entries.", nameof(basis));
                }
            }
        }
        HouseholderQr<T> qr = HouseholderQr<T>.Factor(basis, options);
        var r = new T[d * d];
        qr.CopyR(new MatrixView<T>(r, d, d));
        double largest = 0;
        for (int j = 0; j < d; j++)
        {
            largest = Math.Max(largest, Math.Abs(double.CreateChecked(r[j * d + j])));
        }
        // The rank test of HouseholderQr's least-squares solve: |R[j, j]| ≤ max(N, d)·ε·max |R[k, k]|.
        double floor = n * double.CreateChecked(T.BitIncrement(T.One) - T.One) * largest;
        for (int j = 0; j < d; j++)
        {
            if (!(Math.Abs(double.CreateChecked(r[j * d + j])) > floor))
            {
                throw new ArgumentException($"basis is rank-deficient: column {j} is a combination of the columns before it (|R[{j}, {j}]| ≤ {floor:E3}).", nameof(basis));
            }
        }
        var q = new MatrixView<T>(new T[n * d], n, d);
        qr.FormThinQ(q);
        return q;
    }
}
