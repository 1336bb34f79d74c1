using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The preconditioner M = B for a given SPD matrix B ≈ A, applied exactly through its Cholesky factor: z = B⁻¹·r by two
/// triangular solves. With B = A it is an exact solver (CG converges in one iteration); with B a cheaper approximation
/// (a sparsified or low-rank-plus-shift A, a coarser model) it is a classic preconditioner.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CholeskyPreconditioner<T> : IPreconditioner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _factor;

    /// <summary>Copies the lower triangle of <paramref name="b"/> and factors it (O(n³/3)).</summary>
    /// <param name="b">The SPD matrix; only its lower triangle is read, and it is not modified.</param>
    /// <param name="options">Threads for the factorization; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="b"/> is not square.</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException"><paramref name="b"/> is not positive definite; the message gives the failed pivot.</exception>
    public CholeskyPreconditioner(ReadOnlyMatrixView<T> b, BlasOptions? options = null)
    {
        ElementType.Require<T>();
        if (b.Rows != b.Columns)
        {
            throw new ArgumentException($"b is {b.Rows}×{b.Columns}; expected a square matrix.", nameof(b));
        }
        int n = b.Rows;
        _factor = new T[n * n];
        for (int i = 0; i < n; i++)
        {
            b.Row(i)[..(i + 1)].CopyTo(_factor.AsSpan(i * n));
        }
        try
        {
            Cholesky.Factor(new MatrixView<T>(_factor, n, n), options);
        }
        catch (MatrixNotPositiveDefiniteException e)
        {
            throw new MatrixNotPositiveDefiniteException(e.PivotIndex, e.PivotValue, nameof(b));
        }
        Dimension = n;
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<T> r, Span<T> z)
    {
        OperatorGuard.RequireVectors(Dimension, r, nameof(r), z, nameof(z));
        r.CopyTo(z);
        Cholesky.Solve(new ReadOnlyMatrixView<T>(_factor, Dimension, Dimension), z);
    }
}
