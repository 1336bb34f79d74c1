using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Simd;
using Kernels.Sketching.Operators;
using Kernels.Solvers;

namespace Kernels.Sketching.Preconditioners;

/// <summary>
/// The randomized Nyström preconditioner of Frangella, Tropp and Udell ("Randomized Nyström preconditioning", SIAM J.
/// Matrix Anal. Appl. 44(2), 2023; arXiv:2110.02820) for K + μI with K symmetric positive semidefinite and μ &gt; 0, such as
/// the kernel ridge regression system (K + λI)·α = y of §D of the papers. A rank-ℓ Nyström approximation
/// K̂ = U·Λ̂·Uᵀ is built from ℓ products with K, and
/// P⁻¹ = (λ̂_ℓ + μ)·U(Λ̂ + μI)⁻¹Uᵀ + (I − UUᵀ), with λ̂_ℓ the smallest of the ℓ eigenvalues (their eq. 5.3).
/// </summary>
/// <remarks>
/// <para><b>Construction</b> (their Algorithm 2.1, the numerically stable Nyström approximation): orthonormalize the n × ℓ
/// test matrix Ω (thin Q of a Householder QR); Y = K·Ω (ℓ operator applications); shift ν = √n·ε·‖Y‖_F (the paper takes
/// √n·eps(‖Y‖₂); the Frobenius norm bounds ‖Y‖₂ and costs nothing); Y_ν = Y + νΩ; Cholesky ΩᵀY_ν = CᵀC; B = Y_ν·C⁻¹;
/// thin SVD B = U·Σ·Vᵀ; Λ̂ = max(0, Σ² − νI). The SVD is taken through a Householder QR B = Q_B·R_B and the eigenvectors W of
/// R_B·R_Bᵀ (<see cref="HouseholderQlEigen"/>: about 9ℓ³ flops, where cyclic Jacobi took 16 s at ℓ = 800), so U = Q_B·W is orthonormal to working precision even where Σ is tiny.
/// Costs: ℓ applications of K (one block product, 2n²ℓ flops for a dense K), two Householder QRs of n × ℓ
/// (4nℓ² flops each), O(ℓ³) for the eigenproblem, and O(nℓ) memory.</para>
/// <para><b>Guarantee</b> (their Theorem 5.1): with a Gaussian test matrix and ℓ ≥ 2⌈1.5·d_eff(μ)⌉ + 1, where
/// d_eff(μ) = tr(K(K + μI)⁻¹) is the effective dimension, E[κ(P^(−1/2)(K + μI)P^(−1/2))] &lt; 28, so PCG converges in a
/// number of iterations independent of n and of κ(K + μI). A fast-decaying spectrum (kernel matrices) has a small d_eff.
/// Other test matrices (<see cref="ISketch{T}"/>: SRHT, OSNAP) may be used; the theorem is stated for the Gaussian one.</para>
/// <para><see cref="Apply"/> costs two n × ℓ matrix-vector products and allocates nothing; it keeps an ℓ-element work vector,
/// so one instance must not be applied from two threads at once.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class NystromPreconditioner<T> : IPreconditioner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _basis;
    private readonly T[] _eigenvalues;
    private readonly T[] _scales;
    private readonly T[] _coordinates;
    private readonly BlasOptions _options;

    /// <summary>Builds the preconditioner of K + μI from the test matrix Ω = Sᵀ.</summary>
    /// <param name="kernel">K, symmetric positive semidefinite, n × n; applied here once, to the ℓ columns of Ω as one block (its block product, a Gemm for a dense K), and never again.</param>
    /// <param name="shift">μ &gt; 0, the regularization of the system K + μI.</param>
    /// <param name="testMatrix">S, ℓ × n with 1 ≤ ℓ ≤ n: the rows of S are the columns of Ω (Frangella–Tropp–Udell use a Gaussian one, <see cref="GaussianDistribution"/>).</param>
    /// <param name="options">Threads for the dense products here and in <see cref="Apply"/>; the results do not depend on them.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shift"/> is not positive and finite, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The test matrix does not have n columns or has more rows than columns, K·Ω holds a NaN or infinity, or ΩᵀKΩ is not positive definite even after the shift (K is not positive semidefinite).</exception>
    public NystromPreconditioner(ILinearOperator<T> kernel, T shift, ISketch<T> testMatrix, BlasOptions? options = null)
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(testMatrix);
        if (!(T.IsFinite(shift) && shift > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "shift (μ) must be positive and finite.");
        }
        int n = kernel.Dimension, rank = testMatrix.Rows;
        if (testMatrix.Columns != n || rank > n)
        {
            throw new ArgumentException($"testMatrix is {rank}×{testMatrix.Columns}; expected ℓ×{n} with ℓ ≤ {n} to match the {n}×{n} kernel.", nameof(testMatrix));
        }
        options ??= BlasOptions.Default;
        options.Validate();
        Dimension = n;
        Shift = shift;
        _options = options;

        // Y = K·Ω in one block product: a dense or Gram K is then read once (one Gemm), not ℓ times (ℓ Gemvs).
        var omega = new T[(long)rank * n];                                       // Ωᵀ, ℓ × n
        T[] columns = OrthonormalColumns(testMatrix, omega, options);            // Ω, n × ℓ
        var product = new T[(long)n * rank];                                     // K·Ω, n × ℓ
        kernel.Apply(T.One, new ReadOnlyMatrixView<T>(columns, n, rank), T.Zero, new MatrixView<T>(product, n, rank));
        MatrixTranspose.Copy(new ReadOnlyMatrixView<T>(columns, n, rank), new MatrixView<T>(omega, rank, n));
        T[] y = columns;                                                         // Yᵀ, ℓ × n, in Ω's storage (no longer needed)
        MatrixTranspose.Copy(new ReadOnlyMatrixView<T>(product, n, rank), new MatrixView<T>(y, rank, n));
        T norm = Level1.Nrm2<T>(y);
        if (!T.IsFinite(norm))
        {
            throw new ArgumentException("K·Ω holds a NaN or infinity.", nameof(kernel));
        }
        T nu = T.Sqrt(T.CreateChecked(n)) * (T.BitIncrement(T.One) - T.One) * norm;
        Level1.Axpy<T>(nu, omega, y);                                            // Y_ν = Y + νΩ

        var gram = new T[rank * rank];                                           // ΩᵀY_ν = CᵀC, C = Lᵀ
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, new ReadOnlyMatrixView<T>(omega, rank, n), new ReadOnlyMatrixView<T>(y, rank, n),
            T.Zero, new MatrixView<T>(gram, rank, rank), options);
        var lower = new MatrixView<T>(gram, rank, rank);
        if (!Cholesky.TryFactor(lower, out int pivot, options))
        {
            throw new ArgumentException($"ΩᵀKΩ + νI is not positive definite (pivot {pivot}); K must be symmetric positive semidefinite.", nameof(kernel));
        }
        var bt = new MatrixView<T>(y, rank, n);                                  // Bᵀ = C⁻ᵀY_νᵀ = L⁻¹Y_νᵀ
        TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit, lower, bt, options);

        // Thin SVD of B (n × ℓ) through B = Q_B·R_B and R_B·R_Bᵀ = W·Σ²·Wᵀ.
        var b = new T[(long)n * rank];
        MatrixTranspose.Copy(bt, new MatrixView<T>(b, n, rank));
        HouseholderQr<T> qr = HouseholderQr<T>.Factor(new ReadOnlyMatrixView<T>(b, n, rank), options);
        var qb = new MatrixView<T>(b, n, rank);
        qr.FormThinQ(qb);
        var r = new T[rank * rank];
        qr.CopyR(new MatrixView<T>(r, rank, rank));
        var rrt = new T[rank * rank];
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, new ReadOnlyMatrixView<T>(r, rank, rank), new ReadOnlyMatrixView<T>(r, rank, rank),
            T.Zero, new MatrixView<T>(rrt, rank, rank), options);
        var squares = new T[rank];
        var w = new T[rank * rank];
        HouseholderQlEigen.Decompose<T>(new ReadOnlyMatrixView<T>(rrt, rank, rank), squares, new MatrixView<T>(w, rank, rank));

        // Uᵀ = Wᵀ·Q_Bᵀ (ℓ × n), rows in descending order of eigenvalue; Λ̂ = max(0, Σ² − ν).
        var ut = new T[(long)rank * n];
        Level3.Gemm(Transpose.Transposed, Transpose.Transposed, T.One, new ReadOnlyMatrixView<T>(w, rank, rank), qb,
            T.Zero, new MatrixView<T>(ut, rank, n), options);
        _basis = new T[(long)rank * n];
        _eigenvalues = new T[rank];
        for (int k = 0; k < rank; k++)
        {
            int source = rank - 1 - k;
            ut.AsSpan(source * n, n).CopyTo(_basis.AsSpan(k * n, n));
            _eigenvalues[k] = T.Max(T.Zero, squares[source] - nu);
        }
        // P⁻¹ = I + U·diag((λ̂_ℓ + μ)/(λ̂_k + μ) − 1)·Uᵀ.
        _scales = new T[rank];
        T smallest = _eigenvalues[rank - 1] + shift;
        for (int k = 0; k < rank; k++)
        {
            _scales[k] = smallest / (_eigenvalues[k] + shift) - T.One;
        }
        _coordinates = new T[rank];
    }

    /// <summary>n: the order of K.</summary>
    public int Dimension { get; }

    /// <summary>ℓ: the rank of the Nyström approximation.</summary>
    public int Rank => _eigenvalues.Length;

    /// <summary>μ: the shift of the system K + μI.</summary>
    public T Shift { get; }

    /// <summary>λ̂₁ ≥ … ≥ λ̂_ℓ ≥ 0: the eigenvalues of the Nyström approximation K̂, estimates of the top eigenvalues of K.</summary>
    public ReadOnlySpan<T> Eigenvalues => _eigenvalues;

    /// <summary>Computes z ← P⁻¹·r = r + U·diag((λ̂_ℓ + μ)/(λ̂_k + μ) − 1)·Uᵀ·r.</summary>
    /// <exception cref="ArgumentException">A length is not n, or z overlaps r.</exception>
    public void Apply(ReadOnlySpan<T> r, Span<T> z)
    {
        Guard.RequireLength(r.Length, Dimension, nameof(r), "the preconditioner's dimension");
        Guard.RequireLength(z.Length, Dimension, nameof(z), "the preconditioner's dimension");
        Guard.RequireDisjoint(r, nameof(r), z, nameof(z));
        var basis = new ReadOnlyMatrixView<T>(_basis, Rank, Dimension);
        Level2.Gemv(Transpose.None, T.One, basis, r, T.Zero, _coordinates, _options);
        for (int k = 0; k < _coordinates.Length; k++)
        {
            _coordinates[k] *= _scales[k];
        }
        r.CopyTo(z);
        Level2.Gemv(Transpose.Transposed, T.One, basis, _coordinates, T.One, z, _options);
    }

    /// <summary>The rows of S, orthonormalized: Ωᵀ (ℓ × n) with Ω the thin Q of the QR of Sᵀ.</summary>
    /// <summary>Ω (n × ℓ) with orthonormal columns spanning those of Sᵀ; <paramref name="scratch"/> (ℓ × n) holds S on the way.</summary>
    private static T[] OrthonormalColumns(ISketch<T> testMatrix, T[] scratch, BlasOptions options)
    {
        int rank = testMatrix.Rows, n = testMatrix.Columns;
        testMatrix.ToDense(new MatrixView<T>(scratch, rank, n));
        var omega = new T[(long)n * rank];
        MatrixTranspose.Copy(new ReadOnlyMatrixView<T>(scratch, rank, n), new MatrixView<T>(omega, n, rank));
        HouseholderQr<T>.Factor(new ReadOnlyMatrixView<T>(omega, n, rank), options).FormThinQ(new MatrixView<T>(omega, n, rank));
        return omega;
    }
}
