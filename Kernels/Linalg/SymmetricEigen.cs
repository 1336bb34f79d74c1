using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix, A = V·diag(λ)·Vᵀ, by the cyclic Jacobi method: sweep over
/// every off-diagonal pair (p, q), and rotate rows and columns p, q to zero A[p, q], until no entry is significant.
/// Meant for the small matrices of sketch diagnostics and rank checks (n up to a few hundred; each sweep costs
/// about 4n³ flops and typically 6–10 sweeps are needed).
/// </summary>
/// <remarks>
/// <para>Only the lower triangle of A is read. Eigenvalues are returned in ascending order; eigenvector j is column j
/// of the eigenvector matrix, with unit norm, and the eigenvectors are orthonormal to O(n·ε).</para>
/// <para>Rotations use Rutishauser's formulas (Golub and Van Loan, Alg. 8.5.1): t = sign(θ)/(|θ| + √(1 + θ²)) with
/// θ = (A[q,q] − A[p,p]) / (2A[p,q]). A pair is skipped when |A[p, q]| ≤ ε·max(|A[p,p]|, |A[q,q]|), so on return every
/// off-diagonal entry is below rounding level and each eigenvalue is within O(n·ε)·‖A‖ of the exact one (the method
/// is backward stable). The matrix is first scaled by a power of two so that no intermediate overflows.</para>
/// <para>Input must be finite; NaN or infinity in the lower triangle throws <see cref="ArgumentException"/> with its
/// position. Working storage comes from <see cref="ArrayPool{T}"/>.</para>
/// </remarks>
public static class SymmetricEigen
{
    /// <summary>Sweeps after which the iteration gives up; quadratic convergence makes even 30 unreachable in practice.</summary>
    private const int MaxSweeps = 60;

    /// <summary>Computes the eigenvalues of the symmetric matrix whose lower triangle is <paramref name="a"/>, in ascending order.</summary>
    /// <exception cref="ArgumentException">A is not square, holds a NaN or infinity, or <paramref name="eigenvalues"/> does not have n elements.</exception>
    /// <exception cref="InvalidOperationException">The iteration did not converge (not observed for finite input).</exception>
    public static void Eigenvalues<T>(ReadOnlyMatrixView<T> a, Span<T> eigenvalues) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a, eigenvalues);
        Run(a, eigenvalues, default, vectors: false);
    }

    /// <summary>
    /// Computes the eigenvalues (ascending) and unit eigenvectors of the symmetric matrix whose lower triangle is
    /// <paramref name="a"/>: A·V[:, j] = λⱼ·V[:, j].
    /// </summary>
    /// <exception cref="ArgumentException">A is not square or holds a NaN or infinity, a destination has the wrong shape, or the eigenvectors share memory with A.</exception>
    /// <exception cref="InvalidOperationException">The iteration did not converge (not observed for finite input).</exception>
    public static void Decompose<T>(ReadOnlyMatrixView<T> a, Span<T> eigenvalues, MatrixView<T> eigenvectors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ValidateDecompose(a, eigenvalues, eigenvectors);
        Run(a, eigenvalues, eigenvectors, vectors: true);
    }

    /// <summary>The argument checks of <see cref="Decompose{T}"/>, shared with <see cref="HouseholderQlEigen"/>.</summary>
    internal static void ValidateDecompose<T>(ReadOnlyMatrixView<T> a, ReadOnlySpan<T> eigenvalues, MatrixView<T> eigenvectors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(a, eigenvalues);
        if (eigenvectors.Rows != a.Rows || eigenvectors.Columns != a.Rows)
        {
            throw new ArgumentException($"eigenvectors is {eigenvectors.Rows}×{eigenvectors.Columns}; expected {a.Rows}×{a.Rows}.", nameof(eigenvectors));
        }
        Guard.RequireDisjoint<T>(a, nameof(a), eigenvectors, nameof(eigenvectors));
        Guard.RequireDisjoint<T>(eigenvalues, nameof(eigenvalues),
            eigenvectors.Data[..(int)Guard.RequiredLength(eigenvectors.Rows, eigenvectors.Columns, eigenvectors.Stride)], nameof(eigenvectors));
    }

    private static void Validate<T>(ReadOnlyMatrixView<T> a, ReadOnlySpan<T> eigenvalues) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireSquare<T>(a, nameof(a));
        Guard.RequireMatrixDimension(eigenvalues.Length, a.Rows, nameof(eigenvalues), "row", "A", a.Rows, a.Columns);
        Guard.RequireDisjoint(a.Data[..(int)Guard.RequiredLength(a.Rows, a.Columns, a.Stride)], nameof(a), eigenvalues, nameof(eigenvalues));
        for (int i = 0; i < a.Rows; i++)
        {
            ReadOnlySpan<T> row = a.Row(i);
            for (int j = 0; j <= i; j++)
            {
                if (!T.IsFinite(row[j]))
                {
                    throw new ArgumentException($"a[{i}, {j}] is {row[j]}; the eigensolver needs finite entries.", nameof(a));
                }
            }
        }
    }

    private static void Run<T>(ReadOnlyMatrixView<T> a, Span<T> eigenvalues, MatrixView<T> eigenvectors, bool vectors)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        T[] work = ArrayPool<T>.Shared.Rent(n * n);
        T[] rotations = ArrayPool<T>.Shared.Rent(vectors ? n * n : 0);
        int[] order = ArrayPool<int>.Shared.Rent(n);
        try
        {
            var m = new MatrixView<T>(work.AsSpan(0, n * n), n, n);
            int scale = LoadScaled(a, m);
            // Vᵀ, so that each rotation combines two contiguous rows.
            var vt = new MatrixView<T>(rotations.AsSpan(0, vectors ? n * n : 0), vectors ? n : 0, vectors ? n : 0);
            for (int i = 0; i < vt.Rows; i++)
            {
                Span<T> row = vt.Row(i);
                row.Clear();
                row[i] = T.One;
            }
            Sweep(m, vt);

            Span<int> indices = order.AsSpan(0, n);
            for (int i = 0; i < n; i++)
            {
                eigenvalues[i] = T.ScaleB(m[i, i], -scale);
                indices[i] = i;
            }
            eigenvalues.Sort(indices);
            if (vectors)
            {
                for (int j = 0; j < n; j++)
                {
                    ReadOnlySpan<T> v = vt.Row(indices[j]);
                    for (int i = 0; i < n; i++)
                    {
                        eigenvectors[i, j] = v[i];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(work);
            ArrayPool<T>.Shared.Return(rotations);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>Copies the lower triangle of A into the full symmetric <paramref name="m"/>, scaled by 2^s so that its largest entry is near one; returns s.</summary>
    internal static int LoadScaled<T>(ReadOnlyMatrixView<T> a, MatrixView<T> m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = a.Rows;
        T largest = T.Zero;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = a.Row(i);
            for (int j = 0; j <= i; j++)
            {
                largest = T.Max(largest, T.Abs(row[j]));
            }
        }
        int scale = largest == T.Zero ? 0 : -T.ILogB(largest);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<T> row = a.Row(i);
            for (int j = 0; j <= i; j++)
            {
                T v = T.ScaleB(row[j], scale);
                m[i, j] = v;
                m[j, i] = v;
            }
        }
        return scale;
    }

    /// <summary>Cyclic sweeps over the pairs (p, q), p &lt; q, until a sweep finds nothing to rotate.</summary>
    private static void Sweep<T>(MatrixView<T> m, MatrixView<T> vt) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = m.Rows;
        T epsilon = T.BitIncrement(T.One) - T.One;
        T half = T.CreateChecked(0.5);
        T large = T.One / T.Sqrt(epsilon);
        // The matrix is scaled to a largest entry near one, so entries below the smallest normal number are negligible.
        T tiny = T.ScaleB(T.One, typeof(T) == typeof(float) ? -126 : -1022);
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            bool rotated = false;
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    T apq = m[p, q];
                    T app = m[p, p], aqq = m[q, q];
                    if (T.Abs(apq) <= epsilon * T.Max(T.Abs(app), T.Abs(aqq)) || T.Abs(apq) < tiny)
                    {
                        continue;
                    }
                    rotated = true;
                    T theta = (aqq - app) * half / apq;
                    // For |θ| beyond 1/√ε, √(1 + θ²) = |θ| to working precision and θ² could overflow.
                    T t = T.Abs(theta) > large ? half / theta : T.CopySign(T.One, theta) / (T.Abs(theta) + T.Sqrt(T.One + theta * theta));
                    T c = T.One / T.Sqrt(T.One + t * t);
                    T s = t * c;
                    Rotate(m, p, q, c, s);
                    m[p, p] = app - t * apq;
                    m[q, q] = aqq + t * apq;
                    m[p, q] = T.Zero;
                    m[q, p] = T.Zero;
                    if (vt.Rows > 0)
                    {
                        RotateRows(vt.Row(p), vt.Row(q), c, s);
                    }
                }
            }
            if (!rotated)
            {
                return;
            }
        }
        throw new InvalidOperationException($"The Jacobi eigensolver did not converge in {MaxSweeps} sweeps.");
    }

    /// <summary>A ← Jᵀ·A·J on rows and columns p and q outside the 2 × 2 block (which the caller sets): rows are rotated, then mirrored into the columns.</summary>
    private static void Rotate<T>(MatrixView<T> m, int p, int q, T c, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> rowP = m.Row(p), rowQ = m.Row(q);
        for (int k = 0; k < rowP.Length; k++)
        {
            if (k == p || k == q)
            {
                continue;
            }
            T akp = rowP[k], akq = rowQ[k];
            T newP = c * akp - s * akq;
            T newQ = s * akp + c * akq;
            rowP[k] = newP;
            rowQ[k] = newQ;
            m[k, p] = newP;
            m[k, q] = newQ;
        }
    }

    /// <summary>(x, y) ← (c·x − s·y, s·x + c·y), elementwise.</summary>
    private static void RotateRows<T>(Span<T> x, Span<T> y, T c, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < x.Length; k++)
        {
            T xk = x[k], yk = y[k];
            x[k] = c * xk - s * yk;
            y[k] = s * xk + c * yk;
        }
    }
}
