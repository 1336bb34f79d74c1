using System.Numerics;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Training.Ntk;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Ntk;

/// <summary>
/// <see cref="LeverageScores"/>: exact scores against a brute-force tr(Φ_wᵀ(K + λI)⁻¹Φ_w) with Φ_w built row by row and the
/// inverse by Gauss–Jordan; Nyström scores bound the exact ones and equal them at full rank; the mean exact score over a
/// pool equals the effective dimension of the pool's own kernel; <see cref="LeverageScores.EffectiveDimension{T}"/> against
/// Σ μ/(μ + λ) over <see cref="SymmetricEigen"/>'s eigenvalues; bad input.
/// </summary>
public sealed class LeverageScoresTests
{
    [KernelProperty(MaxTest = 40)]
    public void Exact_scores_match_a_brute_force_reference(ulong seed)
    {
        int n = 1 + (int)(seed % 8), d = 1 + (int)(seed / 8 % 4), pool = 1 + (int)(seed / 32 % 6);
        double lambda = 0.1 + (seed / 192 % 10) / 10.0;
        Check<double>(n, d, pool, lambda, (int)(seed % 100_000));
        Check<float>(n, d, pool, lambda, (int)(seed % 100_000));
    }

    /// <summary>
    /// The reference inverse is exact to about κ·u; the scores' rounding through a Cholesky inverse is bounded by
    /// c·n·κ(K + λI)·u·‖A‖·Σ_ik s_i·s_k·|G_ik| (Higham, Thm. 14.5 for the inverse, then a sum of n² terms), with ‖A‖ ≤ 1/λ
    /// and κ ≤ (tr K + λ)/λ; growth 4n²·κ covers both. A wrong index, transpose or mask is off by O(1) relative.
    /// </summary>
    private static void Check<T>(int n, int d, int pool, double lambda, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = NtkTestData.Points<T>(n, d, seed);
        var random = new System.Random(seed + 1);
        T[] w = Enumerable.Range(0, pool * d).Select(_ => T.CreateChecked(TestMatrices.Gaussian(random))).ToArray();
        var kernel = new T[n * n];
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<T>(x, n, d), new MatrixView<T>(kernel, n, n));
        var scores = new double[pool];
        LeverageScores.Estimate(new ReadOnlyMatrixView<T>(x, n, d), new ReadOnlyMatrixView<T>(kernel, n, n), new ReadOnlyMatrixView<T>(w, pool, d),
            new LeverageSamplingOptions { Lambda = lambda }, scores);

        double[,] inverse = Invert(kernel.Select(double.CreateChecked).ToArray(), n, lambda);
        double trace = 0;
        for (int i = 0; i < n; i++)
        {
            trace += double.CreateChecked(kernel[i * n + i]);
        }
        double growth = 4.0 * n * n * (trace + lambda) / lambda;
        for (int j = 0; j < pool; j++)
        {
            // Φ_w: row i is x_i if ⟨w, x_i⟩ ≥ 0, else zero (the comparison in T, as the library makes it).
            var phi = new double[n, d];
            for (int i = 0; i < n; i++)
            {
                T dot = T.Zero;
                for (int k = 0; k < d; k++)
                {
                    dot += w[j * d + k] * x[i * d + k];
                }
                for (int k = 0; k < d; k++)
                {
                    phi[i, k] = dot >= T.Zero ? double.CreateChecked(x[i * d + k]) : 0;
                }
            }
            // tr(Φᵀ·A·Φ) = Σ_k Σ_i Σ_l Φ_ik·A_il·Φ_lk.
            double exact = 0, magnitude = 0;
            for (int k = 0; k < d; k++)
            {
                for (int i = 0; i < n; i++)
                {
                    for (int l = 0; l < n; l++)
                    {
                        exact += phi[i, k] * inverse[i, l] * phi[l, k];
                        magnitude += Math.Abs(phi[i, k] * phi[l, k]) / lambda;
                    }
                }
            }
            Tolerance.AssertClose(T.CreateChecked(scores[j]), exact, magnitude, growth, $"{typeof(T).Name} score {j} (n = {n}, d = {d}, λ = {lambda})");
        }
    }

    /// <summary>(K + λI)⁻¹ by Gauss–Jordan elimination with partial pivoting, in double.</summary>
    private static double[,] Invert(double[] kernel, int n, double lambda)
    {
        var a = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                a[i, k] = kernel[i * n + k] + (i == k ? lambda : 0);
            }
            a[i, n + i] = 1;
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++)
            {
                pivot = Math.Abs(a[r, c]) > Math.Abs(a[pivot, c]) ? r : pivot;
            }
            for (int k = 0; k < 2 * n; k++)
            {
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
            }
            double diagonal = a[c, c];
            for (int k = 0; k < 2 * n; k++)
            {
                a[c, k] /= diagonal;
            }
            for (int r = 0; r < n; r++)
            {
                if (r != c)
                {
                    double factor = a[r, c];
                    for (int k = 0; k < 2 * n; k++)
                    {
                        a[r, k] -= factor * a[c, k];
                    }
                }
            }
        }
        var inverse = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                inverse[i, k] = a[i, n + k];
            }
        }
        return inverse;
    }

    [Fact]
    public void Nystrom_scores_bound_the_exact_scores_and_equal_them_at_full_rank()
    {
        // K̂ ≼ K gives (K̂ + λI)⁻¹ ≽ (K + λI)⁻¹, so every Nyström score is at least the exact one; at rank n with a Gaussian Ω
        // (invertible with probability 1) K̂ = K. Tolerance: the Nyström path's rounding, about κ(K + λI)·u relative with
        // κ ≤ (tr K + λ)/λ ≈ 2·10³ here, and a margin of 10³.
        const int n = 24, d = 3, pool = 40;
        const double lambda = 0.01;
        double[] x = NtkTestData.Sphere<double>(n, d, 5);
        var random = new System.Random(6);
        double[] w = Enumerable.Range(0, pool * d).Select(_ => TestMatrices.Gaussian(random)).ToArray();
        var kernel = new double[n * n];
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(kernel, n, n));
        double[] Scores(LeverageScoreEstimator estimator, int rank)
        {
            var scores = new double[pool];
            LeverageScores.Estimate(new ReadOnlyMatrixView<double>(x, n, d), new ReadOnlyMatrixView<double>(kernel, n, n), new ReadOnlyMatrixView<double>(w, pool, d),
                new LeverageSamplingOptions { Lambda = lambda, Estimator = estimator, NystromRank = rank, Seed = 3 }, scores);
            return scores;
        }
        double[] exact = Scores(LeverageScoreEstimator.Exact, 1);
        double[] full = Scores(LeverageScoreEstimator.Nystrom, n);
        double[] low = Scores(LeverageScoreEstimator.Nystrom, 4);
        double tolerance = 1e3 * (n / 2.0 + lambda) / lambda * Tolerance.Epsilon<double>();
        bool someLarger = false;
        for (int j = 0; j < pool; j++)
        {
            Assert.True(Math.Abs(full[j] - exact[j]) <= tolerance * Math.Max(1, exact[j]), $"candidate {j}: Nyström at full rank {full[j]} against exact {exact[j]}");
            Assert.True(low[j] >= exact[j] * (1 - tolerance) - tolerance, $"candidate {j}: rank-4 Nyström {low[j]} below exact {exact[j]}");
            someLarger |= low[j] > exact[j] * 1.01;
        }
        Assert.True(someLarger, "rank 4 of a 24-point kernel should over-estimate some score by more than 1 %");
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.003)]
    public void The_mean_exact_score_is_the_effective_dimension_of_the_pool_kernel(double lambda)
    {
        // K_pool = (1/M)·Σ_j Φ_jΦ_jᵀ is a kernel matrix in its own right; with it, (1/M)·Σ_j tr(Φ_jᵀ(K_pool + λI)⁻¹Φ_j) =
        // tr((K_pool + λI)⁻¹K_pool) = d_λ(K_pool) exactly, so the mean score must match Σ μ/(μ + λ) over K_pool's eigenvalues
        // to rounding (κ·u relative, κ ≤ (tr K + λ)/λ ≈ 10⁴ at the smaller λ; margin 10³).
        const int n = 20, d = 4, pool = 30;
        double[] x = NtkTestData.Points<double>(n, d, 9);
        var features = RandomFeatures<double>.Plain(pool, d, 11);
        var map = new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(x, n, d), features);
        var gram = new GramOperator<double>(map, GramForm.AAt);
        var kernel = new double[n * n];
        var unit = new double[n];
        for (int i = 0; i < n; i++)
        {
            Array.Clear(unit);
            unit[i] = 1;
            gram.Apply(unit, kernel.AsSpan(i * n, n));
        }
        var scores = new double[pool];
        LeverageScores.Estimate(new ReadOnlyMatrixView<double>(x, n, d), new ReadOnlyMatrixView<double>(kernel, n, n), features.Weights,
            new LeverageSamplingOptions { Lambda = lambda }, scores);

        var mu = new double[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(kernel, n, n), mu);
        double reference = mu.Sum(v => v / (v + lambda));
        double trace = Enumerable.Range(0, n).Sum(i => kernel[i * n + i]);
        double tolerance = 1e3 * (trace + lambda) / lambda * Tolerance.Epsilon<double>() * n;
        Assert.True(Math.Abs(scores.Average() - reference) <= tolerance, $"mean score {scores.Average()} against d_λ = {reference}");
        double effective = LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), lambda);
        Assert.True(Math.Abs(effective - reference) <= tolerance, $"EffectiveDimension {effective} against Σ μ/(μ + λ) = {reference}");
    }

    [KernelProperty(MaxTest = 30)]
    public void Effective_dimension_matches_the_eigenvalues(ulong seed)
    {
        int n = 1 + (int)(seed % 12), d = 1 + (int)(seed / 12 % 5);
        double lambda = Math.Pow(10, -2 + (int)(seed / 60 % 4));
        double[] x = NtkTestData.Points<double>(n, d, (int)(seed % 100_000));
        var kernel = new double[n * n];
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(kernel, n, n));
        var mu = new double[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(kernel, n, n), mu);
        double trace = Enumerable.Range(0, n).Sum(i => kernel[i * n + i]);
        // d_λ = n − λ·tr((K + λI)⁻¹): the trace carries κ·u relative error, so the result λ·tr·κ·u ≤ n·κ·u absolute.
        Tolerance.AssertClose(LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), lambda), mu.Sum(v => v / (v + lambda)),
            n, 8.0 * n * (trace + lambda) / lambda, $"d_λ at n = {n}, λ = {lambda}");
        Tolerance.AssertClose((float)LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<float>(kernel.Select(v => (float)v).ToArray(), n, n), lambda),
            mu.Sum(v => v / (v + lambda)), n, 8.0 * n * (trace + lambda) / lambda, $"float d_λ at n = {n}, λ = {lambda}");
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        const int n = 4, d = 2;
        double[] x = NtkTestData.Sphere<double>(n, d, 1);
        var kernel = new double[n * n];
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(kernel, n, n));
        double[] w = [1, 0, 0, 1, -1, 1];
        double[] untouched = [7, 8, 9];
        var scores = (double[])untouched.Clone();
        // Validation throws before writing anything: scores keeps its sentinel values after every rejection.
        void Rejected<TException>(string name, Action call) where TException : ArgumentException
        {
            Assert.Throws<TException>(name, call);
            Assert.Equal(untouched, scores);
        }
        void Estimate(LeverageSamplingOptions? options, int kernelOrder = n, int candidateColumns = d, int scoreCount = 3, double[]? points = null, double[]? output = null) =>
            LeverageScores.Estimate(new ReadOnlyMatrixView<double>(points ?? x, n, d), new ReadOnlyMatrixView<double>(kernel, kernelOrder, kernelOrder),
                new ReadOnlyMatrixView<double>(w, 6 / candidateColumns, candidateColumns), options!, (output ?? scores).AsSpan(0, scoreCount));
        Rejected<ArgumentNullException>("options", () => Estimate(null));
        Rejected<ArgumentOutOfRangeException>("Lambda", () => Estimate(new LeverageSamplingOptions { Lambda = 0 }));
        Rejected<ArgumentOutOfRangeException>("Lambda", () => Estimate(new LeverageSamplingOptions { Lambda = double.PositiveInfinity }));
        Rejected<ArgumentOutOfRangeException>("Estimator", () => Estimate(new LeverageSamplingOptions { Estimator = (LeverageScoreEstimator)7 }));
        Rejected<ArgumentException>("kernel", () => Estimate(new LeverageSamplingOptions(), kernelOrder: 3));
        Rejected<ArgumentException>("candidates", () => Estimate(new LeverageSamplingOptions(), candidateColumns: 3));
        Rejected<ArgumentException>("scores", () => Estimate(new LeverageSamplingOptions(), scoreCount: 2));
        Rejected<ArgumentException>("scores", () => LeverageScores.Estimate(new ReadOnlyMatrixView<double>(x, n, d), new ReadOnlyMatrixView<double>(kernel, n, n),
            new ReadOnlyMatrixView<double>(w, 3, d), new LeverageSamplingOptions(), w.AsSpan(0, 3)));
        double[] bad = (double[])x.Clone();
        bad[3] = double.NaN;
        Rejected<ArgumentException>("points", () => Estimate(new LeverageSamplingOptions(), points: bad));
        double[] original = (double[])kernel.Clone();
        kernel[0] = -10;
        Rejected<ArgumentException>("kernel", () => Estimate(new LeverageSamplingOptions { Lambda = 1e-3 }));
        original.CopyTo(kernel, 0);

        // Too little memory (a budget lowered below the work matrices: 2·4² + 2·4·3 = 56 doubles, 448 bytes; and the 4 × 4
        // factor of the effective dimension, 128 bytes): refused with the size, scores untouched.
        using (MemoryBudget.Limit(400))
        {
            var work = Assert.Throws<InsufficientMemoryException>(() => Estimate(new LeverageSamplingOptions()));
            Assert.Contains("448 bytes", work.Message);
            Assert.Equal(untouched, scores);
        }
        using (MemoryBudget.Limit(100))
        {
            var factor = Assert.Throws<InsufficientMemoryException>(() => LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), 0.5));
            Assert.Contains("128 bytes", factor.Message);
        }

        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), 0));
        Assert.Throws<ArgumentOutOfRangeException>("lambda", () => LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), double.NaN));
        Assert.Throws<ArgumentException>("kernel", () => LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, 2, 3), 1));
        Assert.Throws<ArgumentException>("kernel", () => LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>([-1.0], 1, 1), 0.5));
        // Only the lower triangle is read and checked: a NaN above the diagonal changes nothing, one below is rejected.
        double clean = LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), 0.5);
        kernel[1] = double.NaN;
        Assert.Equal(clean, LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), 0.5));
        original.CopyTo(kernel, 0);
        kernel[n] = double.NaN;
        Assert.Throws<ArgumentException>("kernel", () => LeverageScores.EffectiveDimension(new ReadOnlyMatrixView<double>(kernel, n, n), 0.5));
    }
}
