using System.Numerics;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Solvers;

/// <summary>
/// <see cref="Lanczos"/> against <see cref="SymmetricEigen"/> on matrices V·diag(λ)·Vᵀ: with as many steps as the order, the
/// Krylov space is the whole space and the Ritz values are the eigenvalues up to rounding — full reorthogonalization keeps
/// the basis orthonormal to O(n·ε), so each extreme is within a few n·ε·‖A‖ of the exact one (Weyl). With fewer steps on a
/// decaying spectrum the reported residual bounds the distance to an eigenvalue. Restarts after an invariant subspace
/// (the identity, repeated eigenvalues) and every bad input are checked too.
/// </summary>
public sealed class LanczosTests
{
    [KernelProperty(MaxTest = 30)]
    public void Full_Krylov_space_gives_the_extreme_eigenvalues_of_SymmetricEigen(SpdCase c)
    {
        int n = Math.Clamp(c.Order, 1, 40);
        double[] lambda = TestMatrices.LogSpaced(n, Math.Pow(10, Math.Min(c.LogCondition, 6)));
        // An indefinite spectrum: every third eigenvalue changes sign.
        for (int i = 0; i < n; i += 3)
        {
            lambda[i] = -lambda[i];
        }
        double[] a = TestMatrices.SymmetricWithEigenvalues(lambda, c.Seed);
        Check<double>(a, n, (ulong)c.Seed);
        Check<float>(a, n, (ulong)c.Seed);
    }

    private static void Check<T>(double[] a, int n, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] stored = a.Select(T.CreateChecked).ToArray();
        var exact = new T[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<T>(stored, n, n), exact);
        var result = Lanczos.ExtremeEigenvalues(new DenseOperator<T>(stored, n), new LanczosOptions { MaxIterations = n, Seed = seed });
        Assert.True(result.Converged);
        Assert.True(result.Iterations <= n);
        double norm = Math.Max(Math.Abs(double.CreateChecked(exact[0])), Math.Abs(double.CreateChecked(exact[^1])));
        // Both computations are backward stable: each is within O(n·ε·‖A‖) of the true spectrum; 20·n covers both.
        Tolerance.AssertClose(T.CreateChecked(result.Smallest), double.CreateChecked(exact[0]), norm, 20 * n, "smallest");
        Tolerance.AssertClose(T.CreateChecked(result.Largest), double.CreateChecked(exact[^1]), norm, 20 * n, "largest");
    }

    [Fact]
    public void Isolated_extremes_converge_early_and_the_residual_bounds_the_error()
    {
        // ±(1 + 0.8^k): the extremes ±2 sit 0.2 from their neighbours, so a few dozen steps resolve them.
        const int n = 200;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++)
        {
            lambda[i] = (i % 2 == 0 ? 1 : -1) * (1 + Math.Pow(0.8, i / 2));
        }
        double[] a = TestMatrices.SymmetricWithEigenvalues(lambda, 7);
        var result = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(a, n), new LanczosOptions { MaxIterations = 120, RelativeTolerance = 1e-10 });
        Assert.True(result.Converged);
        Assert.True(result.Iterations < 120, $"took {result.Iterations} steps");
        // Ritz values are bracketed by the spectrum; the residual (plus rounding) bounds the gap to the nearest eigenvalue.
        Assert.InRange(result.Largest, 2 - result.LargestResidual - 1e-12, 2 + 1e-12);
        Assert.InRange(result.Smallest, -2 - 1e-12, -2 + result.SmallestResidual + 1e-12);
    }

    [Fact]
    public void The_identity_and_repeated_eigenvalues_restart_after_the_invariant_subspace()
    {
        const int n = 12;
        double[] identity = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            identity[i * n + i] = 1;
        }
        var one = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(identity, n));
        Assert.True(one.Converged);
        Assert.Equal(1, one.Smallest, 12);
        Assert.Equal(1, one.Largest, 12);

        // Two distinct values, each repeated: the first Krylov space has dimension 2; restarts must still find both.
        double[] lambda = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -3.0 : 5.0).ToArray();
        double[] a = TestMatrices.SymmetricWithEigenvalues(lambda, 3);
        var two = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(a, n));
        Assert.True(two.Converged);
        Assert.Equal(-3, two.Smallest, 10);
        Assert.Equal(5, two.Largest, 10);
    }

    [Fact]
    public void The_same_seed_gives_the_same_bits_and_another_seed_a_different_start()
    {
        const int n = 50;
        double[] a = TestMatrices.SymmetricWithEigenvalues(TestMatrices.LogSpaced(n, 1e3), 11);
        var options = new LanczosOptions { MaxIterations = 8, Seed = 5 };
        var first = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(a, n), options);
        var again = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(a, n), options);
        var other = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(a, n), options with { Seed = 6 });
        Assert.Equal(first, again);
        Assert.NotEqual(first.Largest, other.Largest);
    }

    [Fact]
    public void Bad_input_is_rejected_and_NaN_products_are_reported()
    {
        var op = new DenseOperator<double>(new double[4], 2);
        Assert.Throws<ArgumentNullException>("op", () => Lanczos.ExtremeEigenvalues<double>(null!));
        Assert.Throws<ArgumentOutOfRangeException>("MaxIterations", () => Lanczos.ExtremeEigenvalues(op, new LanczosOptions { MaxIterations = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("RelativeTolerance", () => Lanczos.ExtremeEigenvalues(op, new LanczosOptions { RelativeTolerance = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>("RelativeTolerance", () => Lanczos.ExtremeEigenvalues(op, new LanczosOptions { RelativeTolerance = 0 }));
        Assert.Throws<ArgumentException>("op", () => Lanczos.ExtremeEigenvalues(new DenseOperator<double>(Array.Empty<double>(), 0)));
        var huge = new DelegateOperator<double>(1 << 30, (_, _) => { });
        var error = Assert.Throws<InsufficientMemoryException>(() => Lanczos.ExtremeEigenvalues(huge, new LanczosOptions { MaxIterations = 100 }));
        Assert.Contains("858,993,459,200 bytes", error.Message);

        var nan = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(new[] { 1, double.NaN, double.NaN, 1 }, 2));
        Assert.False(nan.Converged);
        Assert.True(double.IsNaN(nan.Largest));
    }
}
