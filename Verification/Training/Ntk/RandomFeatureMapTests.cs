using System.Numerics;
using Kernels.Solvers;
using Kernels.Training.Ntk;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Ntk;

/// <summary>
/// <see cref="RandomFeatureMap{T}"/>: products against the materialized Φ (a test-only reference), the Gram diagonal,
/// and the Monte-Carlo claim E[φ(x)ᵀφ(z)] = K(x, z) with a Hoeffding bound.
/// </summary>
public sealed class RandomFeatureMapTests
{
    /// <summary>Φ written out entry by entry from the definition, in double.</summary>
    private static double[] Materialize<T>(ReadOnlyMatrixView<T> x, RandomFeatures<T> features) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, m = features.Count, d = features.Dimension;
        var phi = new double[n * m * d];
        for (int i = 0; i < n; i++)
        {
            for (int r = 0; r < m; r++)
            {
                double dot = 0;
                for (int k = 0; k < d; k++)
                {
                    dot += double.CreateChecked(x[i, k]) * double.CreateChecked(features.Weights[r, k]);
                }
                if (dot < 0)
                {
                    continue;
                }
                double scale = double.CreateChecked(features.Scales[r]) / Math.Sqrt(m);
                for (int k = 0; k < d; k++)
                {
                    phi[(long)i * m * d + r * d + k] = scale * double.CreateChecked(x[i, k]);
                }
            }
        }
        return phi;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(5, 7, 3)]
    [InlineData(23, 40, 6)]
    public void Products_match_the_materialized_matrix(int n, int m, int d)
    {
        Check<double>(n, m, d);
        Check<float>(n, m, d);
    }

    private static void Check<T>(int n, int m, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = NtkTestData.Points<T>(n, d, n + 7, edgeCases: false);
        var random = new System.Random(m);
        T[] scales = Enumerable.Range(0, m).Select(_ => T.CreateChecked(0.5 + random.NextDouble())).ToArray();
        var plain = RandomFeatures<T>.Plain(m, d, 9);
        var features = new RandomFeatures<T>(plain.Weights, scales);
        var view = new ReadOnlyMatrixView<T>(x, n, d);
        var map = new RandomFeatureMap<T>(view, features);
        Assert.Equal(n, map.Rows);
        Assert.Equal(m * d, map.Columns);
        double[] phi = Materialize(view, features);
        int p = m * d;
        T[] u = Enumerable.Range(0, p).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        T[] v = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        T[] y = Enumerable.Range(0, n).Select(_ => T.CreateChecked(random.NextDouble())).ToArray();
        T[] z = Enumerable.Range(0, p).Select(_ => T.CreateChecked(random.NextDouble())).ToArray();
        T[] y0 = (T[])y.Clone(), z0 = (T[])z.Clone();
        T alpha = T.CreateChecked(1.5), beta = T.CreateChecked(-0.5);
        map.Apply(alpha, u, beta, y);
        map.ApplyTranspose(alpha, v, beta, z);
        for (int i = 0; i < n; i++)
        {
            double exact = -0.5 * double.CreateChecked(y0[i]), magnitude = Math.Abs(exact);
            for (int k = 0; k < p; k++)
            {
                exact += 1.5 * phi[(long)i * p + k] * double.CreateChecked(u[k]);
                magnitude += Math.Abs(1.5 * phi[(long)i * p + k] * double.CreateChecked(u[k]));
            }
            Tolerance.AssertClose(y[i], exact, magnitude, p + d + 4, $"(Φu)[{i}]");
        }
        for (int k = 0; k < p; k++)
        {
            double exact = -0.5 * double.CreateChecked(z0[k]), magnitude = Math.Abs(exact);
            for (int i = 0; i < n; i++)
            {
                exact += 1.5 * phi[(long)i * p + k] * double.CreateChecked(v[i]);
                magnitude += Math.Abs(1.5 * phi[(long)i * p + k] * double.CreateChecked(v[i]));
            }
            Tolerance.AssertClose(z[k], exact, magnitude, n + 6, $"(Φᵀv)[{k}]");
        }
        var diagonal = new T[p];
        map.GramDiagonal(diagonal);
        for (int k = 0; k < p; k++)
        {
            double exact = 0;
            for (int i = 0; i < n; i++)
            {
                exact += phi[(long)i * p + k] * phi[(long)i * p + k];
            }
            Tolerance.AssertClose(diagonal[k], exact, exact, n + 6, $"diag(ΦᵀΦ)[{k}]");
        }
    }

    [Fact]
    public void Feature_inner_products_estimate_the_kernel_within_a_Hoeffding_bound()
    {
        // φ(x)ᵀφ(z) is the mean of m i.i.d. terms ⟨x, z⟩·1(⟨w, x⟩ ≥ 0)·1(⟨w, z⟩ ≥ 0), each in a range of width |⟨x, z⟩|, with mean
        // K(x, z). Hoeffding: P(|mean − K| > |⟨x, z⟩|·√(ln(2/δ)/(2m))) ≤ δ. With δ = 1e-10 per entry and 21 entries, the test
        // fails with probability below 3e-9 (the weights come from a fixed seed, so it is in fact deterministic).
        const int n = 6, d = 5, m = 20000;
        double[] x = NtkTestData.Points<double>(n, d, 3);
        var features = RandomFeatures<double>.Plain(m, d, 17);
        var map = new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(x, n, d), features);
        var gram = new GramOperator<double>(map, GramForm.AAt);
        var unit = new double[n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(unit);
            unit[j] = 1;
            gram.Apply(unit, column);
            for (int i = 0; i <= j; i++)
            {
                double inner = Blas.Level1.Dot<double>(x.AsSpan(i * d, d), x.AsSpan(j * d, d));
                double bound = Math.Abs(inner) * Math.Sqrt(Math.Log(2 / 1e-10) / (2 * m)) + 1e-12;
                double exact = NeuralTangentKernel.Evaluate<double>(x.AsSpan(i * d, d), x.AsSpan(j * d, d));
                Assert.True(Math.Abs(column[i] - exact) <= bound, $"K̃[{i}, {j}] = {column[i]} against K = {exact}, bound {bound}");
            }
        }
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var features = RandomFeatures<double>.Plain(4, 3, 1);
        Assert.Throws<ArgumentException>("points", () => new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(new double[8], 4, 2), features));
        Assert.Throws<ArgumentException>("points", () => new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>([1, double.NaN, 0], 1, 3), features));
        Assert.Throws<ArgumentNullException>("features", () => new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(new double[3], 1, 3), null!));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => RandomFeatures<double>.Plain(0, 3, 1));
        Assert.Throws<ArgumentOutOfRangeException>("dimension", () => RandomFeatures<double>.Plain(3, 0, 1));
        Assert.Throws<ArgumentException>("scales", () => new RandomFeatures<double>(features.Weights, [1, 1, 0, 1]));
        Assert.Throws<ArgumentException>("scales", () => new RandomFeatures<double>(features.Weights, [1, 1, 1]));
        var huge = Assert.Throws<InsufficientMemoryException>(() => RandomFeatures<double>.Plain(1 << 20, 1 << 12, 1));
        Assert.Contains("34,359,738,368 bytes", huge.Message);
        var map = new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(new double[6], 2, 3), features);
        Assert.Throws<ArgumentException>("diagonal", () => map.GramDiagonal(new double[5]));
        // 100,000 points and 100,000 features of dimension 1 (800 kB each) need 10¹⁰ masks: 80 GB, refused before allocation.
        var masks = Assert.Throws<InsufficientMemoryException>(() =>
            new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(new double[100_000], 100_000, 1), RandomFeatures<double>.Plain(100_000, 1, 1)));
        Assert.Contains("80,000,000,000 bytes", masks.Message);
        Assert.Contains("feature masks", masks.Message);
        Assert.Throws<ArgumentException>(() => map.Apply(1, new double[11], 0, new double[2]));
    }
}
