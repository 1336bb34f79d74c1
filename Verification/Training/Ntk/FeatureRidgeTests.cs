using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Training.Ntk;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Ntk;

/// <summary>
/// <see cref="FeatureRidge{T}"/> against the dual solution: Φβ with β = (ΦᵀΦ + λI)⁻¹Φᵀy equals K̃(K̃ + λI)⁻¹y with
/// K̃ = ΦΦᵀ (push-through identity), computed here by Cholesky from K̃ written out column by column. CG stops at
/// rtol = 1e-12, so the predictions agree to about κ(ΦᵀΦ + λI)·rtol·‖y‖ ≈ 10⁻⁸ for κ ≈ 10⁴.
/// </summary>
public sealed class FeatureRidgeTests
{
    [Fact]
    public void Primal_predictions_match_the_dual_solve_and_new_points_use_the_same_features()
    {
        const int n = 25, d = 4, m = 30, c = 2;
        const double lambda = 0.05;
        double[] x = NtkTestData.Sphere<double>(n, d, 31);
        var random = new System.Random(32);
        double[] y = Enumerable.Range(0, n * c).Select(_ => TestMatrices.Gaussian(random)).ToArray();
        var points = new ReadOnlyMatrixView<double>(x, n, d);
        var features = RandomFeatures<double>.Plain(m, d, 5);
        var map = new RandomFeatureMap<double>(points, features);
        var model = FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, n, c), new FeatureRidgeOptions { Lambda = lambda, RelativeTolerance = 1e-12 });
        Assert.All(model.Statuses, s => Assert.Equal(SolverStatus.Converged, s));

        var gram = new GramOperator<double>(map, GramForm.AAt);
        var approximate = new double[n * n];
        var unit = new double[n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(unit);
            unit[j] = 1;
            gram.Apply(unit, column);
            for (int i = 0; i < n; i++)
            {
                approximate[i * n + j] = column[i];
            }
        }
        var shifted = (double[])approximate.Clone();
        for (int i = 0; i < n; i++)
        {
            shifted[i * n + i] += lambda;
        }
        Cholesky.Factor(new MatrixView<double>(shifted, n, n));
        var alpha = (double[])y.Clone();
        Cholesky.Solve(new ReadOnlyMatrixView<double>(shifted, n, n), new MatrixView<double>(alpha, n, c));

        var predictions = new double[n * c];
        model.Predict(points, new MatrixView<double>(predictions, n, c));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < c; j++)
            {
                double exact = 0;
                for (int l = 0; l < n; l++)
                {
                    exact += approximate[i * n + l] * alpha[l * c + j];
                }
                Assert.True(Math.Abs(predictions[i * c + j] - exact) <= 1e-7, $"f({i})[{j}] = {predictions[i * c + j]} against {exact}");
            }
        }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        double[] x = NtkTestData.Sphere<double>(5, 3, 1);
        var map = new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(x, 5, 3), RandomFeatures<double>.Plain(4, 3, 1));
        var y = new double[10];
        Assert.Throws<ArgumentOutOfRangeException>("Lambda", () => FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, 5, 2), new FeatureRidgeOptions { Lambda = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("Lambda", () => FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, 5, 2), new FeatureRidgeOptions { Lambda = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>("RelativeTolerance", () => FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, 5, 2), new FeatureRidgeOptions { RelativeTolerance = 0 }));
        Assert.Throws<ArgumentException>("targets", () => FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, 4, 2)));
        Assert.Throws<ArgumentException>("targets", () => FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, 5, 0)));
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            double[] nonFinite = (double[])y.Clone();
            nonFinite[7] = bad;
            Assert.Throws<ArgumentException>("targets", () => FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(nonFinite, 5, 2)));
        }
        Assert.Throws<ArgumentNullException>("map", () => FeatureRidge<double>.Fit(null!, new ReadOnlyMatrixView<double>(y, 5, 2)));
        var model = FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, 5, 2));
        Assert.Throws<ArgumentException>("points", () => model.Predict(new ReadOnlyMatrixView<double>(x, 3, 5), new MatrixView<double>(new double[6], 3, 2)));
        Assert.Throws<ArgumentException>("predictions", () => model.Predict(new ReadOnlyMatrixView<double>(x, 5, 3), new MatrixView<double>(new double[5], 5, 1)));
    }
}
