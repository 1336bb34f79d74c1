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
        CheckBlocks(map, phi, random);
    }

    /// <summary>
    /// Block products of k = 3 columns in strided views (one stacked Gemm each way) against the materialized Φ, with β ≠ 0
    /// and with β = 0 over NaN outputs (which must not be read); same bound as the vector products.
    /// </summary>
    private static void CheckBlocks<T>(RandomFeatureMap<T> map, double[] phi, System.Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int k = 3, stride = k + 2;
        int n = map.Rows, p = map.Columns, d = map.Features.Dimension;
        T[] Fill(int rows, double offset) => Enumerable.Range(0, rows * stride).Select(_ => T.CreateChecked(random.NextDouble() - offset)).ToArray();
        foreach (double beta in new[] { -0.5, 0.0 })
        {
            T[] u = Fill(p, 0.5), v = Fill(n, 0.5), y = Fill(n, 0), z = Fill(p, 0);
            if (beta == 0)
            {
                Array.Fill(y, T.NaN);
                Array.Fill(z, T.NaN);
            }
            T[] y0 = (T[])y.Clone(), z0 = (T[])z.Clone();
            map.Apply(T.CreateChecked(1.5), new ReadOnlyMatrixView<T>(u, p, k, stride), T.CreateChecked(beta), new MatrixView<T>(y, n, k, stride));
            map.ApplyTranspose(T.CreateChecked(1.5), new ReadOnlyMatrixView<T>(v, n, k, stride), T.CreateChecked(beta), new MatrixView<T>(z, p, k, stride));
            for (int j = 0; j < k; j++)
            {
                CheckColumn(y, y0, u, beta, j, n, p, (i, q) => phi[(long)i * p + q], p + d + 4, "ΦU");
                CheckColumn(z, z0, v, beta, j, p, n, (q, i) => phi[(long)i * p + q], n + 6, "ΦᵀV");
                // The padding between rows is not written.
                for (int i = 0; i < n; i++)
                {
                    Tolerance.AssertIdentical(y0[i * stride + k], y[i * stride + k], "padding of Y");
                }
            }
        }

        // Column j of a block product against its sum in double: result[r, j] = 1.5·Σ_t entry(r, t)·operand[t, j] + β·before[r, j].
        void CheckColumn(T[] result, T[] before, T[] operand, double beta, int j, int rows, int inner, Func<int, int, double> entry, int terms, string name)
        {
            for (int r = 0; r < rows; r++)
            {
                double exact = beta == 0 ? 0 : beta * double.CreateChecked(before[r * stride + j]), magnitude = Math.Abs(exact);
                for (int t = 0; t < inner; t++)
                {
                    double term = 1.5 * entry(r, t) * double.CreateChecked(operand[t * stride + j]);
                    exact += term;
                    magnitude += Math.Abs(term);
                }
                Tolerance.AssertClose(result[r * stride + j], exact, magnitude, terms, $"({name})[{r}, {j}], β = {beta}");
            }
        }
    }

    [Fact]
    public void Block_products_split_into_column_chunks_match_vector_products()
    {
        // n·m = 1024 · 600 masks exceed half the 2²⁰-element scratch limit, so a block of 3 columns runs as 3 chunks of
        // one. With d = 1 every entry of X·Uᵀ is one exact product, so Φ·U matches the vector product (the same dot
        // products over m) bit for bit; Φᵀ·V sums n products per entry, in an order the Gemm shape may change.
        const int n = 1024, m = 600, k = 3;
        double[] x = NtkTestData.Points<double>(n, 1, 3, edgeCases: false);
        var map = new RandomFeatureMap<double>(new ReadOnlyMatrixView<double>(x, n, 1), RandomFeatures<double>.Plain(m, 1, 4));
        var random = new System.Random(5);
        double[] u = Enumerable.Range(0, m * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] v = Enumerable.Range(0, n * k).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = new double[n * k];
        var z = new double[m * k];
        map.Apply(1.0, new ReadOnlyMatrixView<double>(u, m, k), 0.0, new MatrixView<double>(y, n, k));
        map.ApplyTranspose(1.0, new ReadOnlyMatrixView<double>(v, n, k), 0.0, new MatrixView<double>(z, m, k));
        var column = new double[Math.Max(n, m)];
        var single = new double[Math.Max(n, m)];
        for (int j = 0; j < k; j++)
        {
            for (int r = 0; r < m; r++)
            {
                column[r] = u[r * k + j];
            }
            map.Apply(1.0, column.AsSpan(0, m), 0.0, single.AsSpan(0, n));
            for (int i = 0; i < n; i++)
            {
                Tolerance.AssertIdentical(single[i], y[i * k + j], $"(ΦU)[{i}, {j}]");
            }
            for (int i = 0; i < n; i++)
            {
                column[i] = v[i * k + j];
            }
            map.ApplyTranspose(1.0, column.AsSpan(0, n), 0.0, single.AsSpan(0, m));
            for (int r = 0; r < m; r++)
            {
                double magnitude = 0;
                for (int i = 0; i < n; i++)
                {
                    magnitude += Math.Abs(map.Masks[i, r] * x[i] * v[i * k + j]);
                }
                // Two sums of n terms, each within n·ε·magnitude of the exact one.
                Tolerance.AssertClose(z[r * k + j], single[r], magnitude, 2 * n, $"(ΦᵀV)[{r}, {j}]");
            }
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
