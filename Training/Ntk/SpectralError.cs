using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Solvers;

namespace Kernels.Training.Ntk;

/// <summary>
/// The spectral approximation error ε of K̃ + λI against K + λI (§D of the papers): the smallest ε with
/// (1 − ε)(K + λI) ≼ K̃ + λI ≼ (1 + ε)(K + λI), read off the extreme eigenvalues of
/// (K + λI)^(−1/2)(K̃ + λI)(K + λI)^(−1/2).
/// </summary>
/// <remarks>
/// With the Cholesky factor K + λI = L·Lᵀ, the matrix L⁻¹(K̃ + λI)L⁻ᵀ is similar to the one above (same eigenvalues), and
/// <see cref="Lanczos"/> applies it matrix-free: two triangular solves and one product with K̃ (for random features the
/// Gram operator Φ·Φᵀ, two masked Gemms) per step. Cost: n³/3 flops for the factor once, then per step 2n² + the K̃
/// product; memory one n × n factor (checked up front) plus the Lanczos basis.
/// </remarks>
public static class SpectralError
{
    /// <summary>Estimates ε for the approximation <paramref name="approximation"/> of the kernel matrix <paramref name="kernel"/>.</summary>
    /// <param name="kernel">K, n × n, symmetric positive semidefinite, finite; not modified.</param>
    /// <param name="approximation">K̃, an n × n symmetric positive semidefinite operator (e.g. a <see cref="GramOperator{T}"/> of a <see cref="RandomFeatureMap{T}"/> in <see cref="GramForm.AAt"/> form).</param>
    /// <param name="lambda">λ &gt; 0.</param>
    /// <param name="options">Lanczos steps, tolerance and seed; null for <see cref="LanczosOptions.Default"/>.</param>
    /// <param name="blas">Threads for the factorization.</param>
    /// <returns>ε and the two extreme eigenvalues.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="approximation"/> is null.</exception>
    /// <exception cref="ArgumentException">The shapes do not match or K is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">λ is not positive and finite, or an option is out of range.</exception>
    /// <exception cref="InsufficientMemoryException">The n × n factor does not fit (the message gives the bytes).</exception>
    /// <exception cref="MatrixNotPositiveDefiniteException">K + λI is not positive definite (K is not positive semidefinite).</exception>
    public static SpectralErrorResult Estimate<T>(ReadOnlyMatrixView<T> kernel, ILinearOperator<T> approximation, T lambda,
        LanczosOptions? options = null, BlasOptions? blas = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(approximation);
        if (!(T.IsFinite(lambda) && lambda > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda (λ) must be positive and finite.");
        }
        int n = kernel.Rows;
        Guard.RequireSquare(kernel, nameof(kernel));
        if (approximation.Dimension != n)
        {
            throw new ArgumentException($"approximation has dimension {approximation.Dimension}; expected {n}, the order of kernel.", nameof(approximation));
        }
        NeuralTangentKernel.RequireFinite(kernel, nameof(kernel));
        options?.Validate();
        blas?.Validate();
        MemoryBudget.Require((long)n * n, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), $"The {n} × {n} Cholesky factor of K + λI (n, the order of kernel)");

        var factor = new Matrix<T>(kernel);
        for (int i = 0; i < n; i++)
        {
            factor[i, i] += lambda;
        }
        Cholesky.Factor(factor.View, blas);
        var scratch = new T[n];
        var op = new DelegateOperator<T>(n, (x, y) =>
        {
            // y = L⁻¹(K̃ + λI)L⁻ᵀx.
            x.CopyTo(scratch);
            TriangularSolve.Solve(Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, factor.ReadOnlyView, scratch);
            approximation.Apply(T.One, scratch, T.Zero, y);
            Level1.Axpy(lambda, scratch, y);
            TriangularSolve.Solve(Triangle.Lower, Transpose.None, Diagonal.NonUnit, factor.ReadOnlyView, y);
        });
        var result = Lanczos.ExtremeEigenvalues(op, options);
        double epsilon = Math.Max(result.Largest - 1, 1 - result.Smallest);
        return new SpectralErrorResult(epsilon, result.Smallest, result.Largest, result.Iterations, result.Converged);
    }
}
