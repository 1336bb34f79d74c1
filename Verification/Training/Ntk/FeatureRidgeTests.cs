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

    /// <summary>
    /// The batched solve against a direct one: β* = (ΦᵀΦ + λI)⁻¹ΦᵀY by Cholesky of the p × p normal matrix G, formed from
    /// Φ written out column by column (Φ·e_q, vector products). Each column stops at ‖r_j‖ ≤ rtol·‖b_j‖ and G ≽ λI, so
    /// ‖β_j − β*_j‖ ≤ ‖r_j‖/λ ≤ rtol·‖b_j‖/λ; the recursive residual drifts from the true one by about p·ε·‖G‖_F·‖β*_j‖
    /// (and the Cholesky solve errs by as much), covered with a factor 10 on both terms. A column paired with another's
    /// right-hand side, or a wrong block product, is off by O(‖β*‖).
    /// </summary>
    [KernelProperty(MaxTest = 25)]
    public void Batched_coefficients_match_a_Cholesky_solve_of_the_normal_equations(ulong seed)
    {
        int n = 3 + (int)(seed % 12), d = 1 + (int)(seed / 12 % 4), m = 1 + (int)(seed / 48 % 8), c = 1 + (int)(seed / 384 % 4);
        double lambda = 0.02 + seed / 1536 % 10 / 20.0;
        const double rtol = 1e-10;
        double[] x = NtkTestData.Points<double>(n, d, (int)(seed % 100_000));
        var random = new System.Random((int)(seed % 100_000) + 1);
        double[] y = Enumerable.Range(0, n * c).Select(_ => TestMatrices.Gaussian(random)).ToArray();
        var map = new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(x, n, d), RandomFeatures<double>.Plain(m, d, seed));
        var model = FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(y, n, c), new FeatureRidgeOptions { Lambda = lambda, RelativeTolerance = rtol });
        Assert.All(model.Statuses, status => Assert.Equal(SolverStatus.Converged, status));

        int p = m * d;
        var phi = new double[n, p];
        var unit = new double[p];
        var column = new double[n];
        for (int q = 0; q < p; q++)
        {
            unit[q] = 1;
            map.Apply(1.0, unit, 0.0, column);
            unit[q] = 0;
            for (int i = 0; i < n; i++)
            {
                phi[i, q] = column[i];
            }
        }
        var gram = new Matrix<double>(p, p);
        var rhs = new Matrix<double>(p, c);
        double gramNorm = 0;
        for (int a = 0; a < p; a++)
        {
            for (int b = 0; b < p; b++)
            {
                double sum = a == b ? lambda : 0;
                for (int i = 0; i < n; i++)
                {
                    sum += phi[i, a] * phi[i, b];
                }
                gram[a, b] = sum;
                gramNorm += sum * sum;
            }
            for (int j = 0; j < c; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    rhs[a, j] += phi[i, a] * y[i * c + j];
                }
            }
        }
        gramNorm = Math.Sqrt(gramNorm);
        var direct = new Matrix<double>(rhs.ReadOnlyView);
        Cholesky.Factor(gram.View);
        Cholesky.Solve(gram.ReadOnlyView, direct.View);
        for (int j = 0; j < c; j++)
        {
            double error = 0, bNorm = 0, betaNorm = 0;
            for (int q = 0; q < p; q++)
            {
                error += Math.Pow(model.Coefficients[q, j] - direct[q, j], 2);
                bNorm += rhs[q, j] * rhs[q, j];
                betaNorm += direct[q, j] * direct[q, j];
            }
            double bound = 10 * (rtol * Math.Sqrt(bNorm) + p * Tolerance.Epsilon<double>() * gramNorm * Math.Sqrt(betaNorm)) / lambda;
            Assert.True(Math.Sqrt(error) <= bound, $"column {j}: ‖β − β*‖ = {Math.Sqrt(error):E3} > {bound:E3} (n = {n}, d = {d}, m = {m}, λ = {lambda})");
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
