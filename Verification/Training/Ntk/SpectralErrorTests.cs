using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Training.Ntk;

namespace Kernels.Verification.Training.Ntk;

/// <summary>
/// <see cref="SpectralError"/> on approximations with a known answer: K̃ = c·K has (K + λI)^(−1/2)(cK + λI)(K + λI)^(−1/2)
/// with eigenvalues (cμ + λ)/(μ + λ) over the eigenvalues μ of K (from <see cref="SymmetricEigen"/>), whose extremes sit at
/// the extreme μ; K̃ = K gives ε = 0. Lanczos on n = 40 with 40 steps spans the space, so the match is to rounding
/// (the condition of K + λI, about 10³ here, times ε_machine, with margin).
/// </summary>
public sealed class SpectralErrorTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void A_scaled_kernel_has_the_textbook_error(double c)
    {
        const int n = 40, d = 6;
        double[] x = NtkTestData.Sphere<double>(n, d, 12);
        var kernel = new double[n * n];
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(kernel, n, n));
        var mu = new double[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(kernel, n, n), mu);
        const double lambda = 0.01;
        double low = Math.Min((c * mu[0] + lambda) / (mu[0] + lambda), (c * mu[^1] + lambda) / (mu[^1] + lambda));
        double high = Math.Max((c * mu[0] + lambda) / (mu[0] + lambda), (c * mu[^1] + lambda) / (mu[^1] + lambda));
        var scaled = kernel.Select(v => c * v).ToArray();
        var result = SpectralError.Estimate(new ReadOnlyMatrixView<double>(kernel, n, n), new DenseOperator<double>(scaled, n), lambda,
            new LanczosOptions { MaxIterations = n });
        Assert.Equal(low, result.Smallest, 1e-9);
        Assert.Equal(high, result.Largest, 1e-9);
        Assert.Equal(Math.Max(high - 1, 1 - low), result.Epsilon, 1e-9);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var kernel = new double[] { 1, 0, 0, 1 };
        var op = new DenseOperator<double>(kernel, 2);
        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => SpectralError.Estimate(new ReadOnlyMatrixView<double>(kernel, 2, 2), op, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => SpectralError.Estimate(new ReadOnlyMatrixView<double>(kernel, 2, 2), op, double.NaN));
        Assert.Throws<ArgumentNullException>("approximation", () => SpectralError.Estimate<double>(new ReadOnlyMatrixView<double>(kernel, 2, 2), null!, 1.0));
        Assert.Throws<ArgumentException>("approximation", () => SpectralError.Estimate(new ReadOnlyMatrixView<double>(kernel, 1, 1), op, 1.0));
        Assert.Throws<ArgumentException>("kernel", () => SpectralError.Estimate(new ReadOnlyMatrixView<double>(kernel, 1, 2), op, 1.0));
        Assert.Throws<MatrixNotPositiveDefiniteException>(() => SpectralError.Estimate(new ReadOnlyMatrixView<double>(new double[] { -5, 0, 0, 1 }, 2, 2), op, 1.0));
        // The 2 × 2 Cholesky factor (32 bytes) over a 16-byte budget: refused with its size.
        using (MemoryBudget.Limit(16))
        {
            var error = Assert.Throws<InsufficientMemoryException>(() => SpectralError.Estimate(new ReadOnlyMatrixView<double>(kernel, 2, 2), op, 1.0));
            Assert.Contains("32 bytes", error.Message);
        }
    }
}
