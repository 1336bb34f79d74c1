using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Training.Ntk;
using Kernels.Verification.Infrastructure;
using Xunit.Sdk;

namespace Kernels.Verification.Training.Ntk;

/// <summary>
/// <see cref="NeuralTangentKernel"/> against its closed form evaluated in double with <see cref="Math.Acos(double)"/>.
/// Error bound for an entry: the Gram entry and the norms carry (d + 2)·ε·‖x‖‖z‖ of rounding, so u = cos θ is off by
/// δ ≤ (d + 4)·ε; arccos has slope 1/sin θ, which near u = ±1 (a repeated or antipodal point) turns δ into at most √(2δ)
/// radians; the polynomial arccos adds a few ulps of π. So |K̂ − K| ≤ ‖x‖‖z‖·((d + 10)·ε + √(2(d + 4)ε)/(2π)) — the square
/// root matters only for nearly parallel points, which the data include on purpose.
/// </summary>
public sealed class NeuralTangentKernelTests
{
    [Theory]
    [InlineData(1, 3)]
    [InlineData(7, 5)]
    [InlineData(37, 17)]
    [InlineData(600, 9)]
    public void Symmetric_build_matches_the_closed_form_is_exactly_symmetric_and_has_half_squared_norms_on_the_diagonal(int n, int d)
    {
        Check<double>(n, d);
        Check<float>(n, d);
    }

    private static void Check<T>(int n, int d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] x = NtkTestData.Points<T>(n, d, 100 + n);
        var view = new ReadOnlyMatrixView<T>(x, n, d);
        var k = new T[n * n];
        NeuralTangentKernel.Build(view, new MatrixView<T>(k, n, n));
        for (int i = 0; i < n; i++)
        {
            double squared = 0;
            foreach (T v in view.Row(i))
            {
                squared += double.CreateChecked(v) * double.CreateChecked(v);
            }
            Tolerance.AssertClose(k[i * n + i], squared / 2, squared, d + 4, $"K[{i}, {i}]");
            for (int j = 0; j < n; j++)
            {
                Tolerance.AssertIdentical(k[i * n + j], k[j * n + i], $"symmetry at ({i}, {j})");
                AssertEntry(k[i * n + j], view.Row(i), view.Row(j), $"K[{i}, {j}]");
            }
        }
    }

    internal static void AssertEntry<T>(T actual, ReadOnlySpan<T> x, ReadOnlySpan<T> z, string context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double exact = NeuralTangentKernel.Evaluate(x, z);
        double scale = Math.Sqrt(double.CreateChecked(Blas.Level1.Dot(x, x)) * double.CreateChecked(Blas.Level1.Dot(z, z)));
        double epsilon = Tolerance.Epsilon<T>();
        double bound = scale * ((x.Length + 10) * epsilon + Math.Sqrt(2 * (x.Length + 4) * epsilon) / (2 * Math.PI)) + 10 * Tolerance.Tiny<T>();
        double error = Math.Abs(double.CreateChecked(actual) - exact);
        if (!(error <= bound))
        {
            throw new XunitException($"{context}: got {actual}, exact {exact:R}, error {error:E3} > bound {bound:E3}.");
        }
    }

    [Fact]
    public void Lower_build_is_the_lower_triangle_of_the_full_build_for_any_thread_count()
    {
        // 1,100 points: three block rows (the last one partial), so the block Gemms, the per-block transform and the
        // mirroring across blocks all run; one thread against threads forced even for small work.
        const int n = 1100, d = 5;
        double[] x = NtkTestData.Points<double>(n, d, 31);
        var view = new ReadOnlyMatrixView<double>(x, n, d);
        var full = new double[n * n];
        NeuralTangentKernel.Build(view, new MatrixView<double>(full, n, n), BlasOptions.SingleThreaded);
        var lower = new double[n * n];
        NeuralTangentKernel.BuildLower(view, new MatrixView<double>(lower, n, n), new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 });
        var threaded = new double[n * n];
        NeuralTangentKernel.Build(view, new MatrixView<double>(threaded, n, n), new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 });
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                Tolerance.AssertIdentical(full[i * n + j], lower[i * n + j], $"lower ({i}, {j})");
            }
            for (int j = 0; j < n; j++)
            {
                Tolerance.AssertIdentical(full[i * n + j], threaded[i * n + j], $"threaded ({i}, {j})");
            }
        }
        for (int i = 0; i < n; i += 97)
        {
            for (int j = 0; j <= i; j += 13)
            {
                AssertEntry(lower[i * n + j], view.Row(i), view.Row(j), $"K[{i}, {j}]");
            }
        }
        Assert.Throws<ArgumentException>("kernel", () => NeuralTangentKernel.BuildLower(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(lower, n - 1, n - 1)));
        x[3] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>("x", () => NeuralTangentKernel.BuildLower(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(lower, n, n)));
    }

    /// <summary>
    /// The SIMD arccos of the transform, through every lane of <see cref="Simd.BinaryDriver"/> (whichever vector width this
    /// run uses, and the scalar tail), against <see cref="Math.Acos(double)"/> at random cosines. The arccos itself is within
    /// 4·π·ε of acos (the sweep above); the transform's output K = u·(π − acos u)/(2π) carries 3 more roundings, and recovering
    /// acos u = π − 2π·K/u in double adds 3 more relative to π − acos u ≤ π and one of π: in all at most 11·π·ε, so 12·π·ε
    /// bounds the recovered value in either precision (ε of the transform's type).
    /// </summary>
    [KernelProperty(MaxTest = 200)]
    public void Vectorized_arccos_stays_within_four_ulps_of_pi_of_Math_Acos(int seed)
    {
        var random = new Random(seed);
        const int length = 67;
        double[] u = Enumerable.Range(0, length).Select(_ => random.Next(4) switch
        {
            0 => 1 - random.NextDouble() * 1e-6,                       // near 1, where arccos is steep
            1 => -1 + random.NextDouble() * 1e-6,
            2 => random.NextDouble() - 0.5,                             // the |u| < ½ branch
            _ => 2 * random.NextDouble() - 1,
        }).ToArray();
        double[] ones = Enumerable.Repeat(1.0, length).ToArray();
        double[] kernel = new double[length];
        Simd.BinaryDriver.Run<double, ArcCosineTransform<double>>(u, ones, kernel, new ArcCosineTransform<double>(1.0));
        float[] uf = u.Select(v => (float)v).ToArray(), onesf = Enumerable.Repeat(1f, length).ToArray(), kernelf = new float[length];
        Simd.BinaryDriver.Run<float, ArcCosineTransform<float>>(uf, onesf, kernelf, new ArcCosineTransform<float>(1f));
        for (int i = 0; i < length; i++)
        {
            // The transform returns g·(π − acos u)/(2π) with g = u here, so acos u = π − 2π·K/u.
            if (Math.Abs(u[i]) < 1e-3)
            {
                continue;                                               // K underflows towards u·¼, and K/u would lose digits to subnormal-free but tiny products
            }
            double acos = Math.PI - 2 * Math.PI * kernel[i] / u[i];
            double bound = 12 * Math.PI * Tolerance.Epsilon<double>();
            Assert.True(Math.Abs(acos - Math.Acos(u[i])) <= bound, $"double lane {i}: u = {u[i]:R}, acos {acos:R} against {Math.Acos(u[i]):R}");
            double acosf = Math.PI - 2 * Math.PI * kernelf[i] / uf[i];
            double boundf = 12 * Math.PI * Tolerance.Epsilon<float>();
            Assert.True(Math.Abs(acosf - Math.Acos(uf[i])) <= boundf, $"float lane {i}: u = {uf[i]:R}, acos {acosf:R} against {Math.Acos(uf[i]):R}");
        }
    }

    [Fact]
    public void Cross_build_matches_the_closed_form()
    {
        T2<double>();
        T2<float>();

        static void T2<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            const int p = 9, n = 13, d = 6;
            T[] a = NtkTestData.Points<T>(p, d, 1), b = NtkTestData.Points<T>(n, d, 2);
            // Make a test point a training point, and another its opposite.
            a.AsSpan(4 * d, d).CopyTo(b.AsSpan(0, d));
            for (int k = 0; k < d; k++)
            {
                b[d + k] = -a[5 * d + k];
            }
            var k2 = new T[p * n];
            NeuralTangentKernel.Build(new ReadOnlyMatrixView<T>(a, p, d), new ReadOnlyMatrixView<T>(b, n, d), new MatrixView<T>(k2, p, n));
            for (int i = 0; i < p; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    AssertEntry(k2[i * n + j], a.AsSpan(i * d, d), b.AsSpan(j * d, d), $"K[{i}, {j}]");
                }
            }
        }
    }

    [Fact]
    public void The_kernel_matrix_is_positive_semidefinite()
    {
        // A Gram matrix of feature vectors; its computed eigenvalues may dip below 0 by backward error only: ‖ΔK‖ ≤ n·(bound above).
        const int n = 60, d = 8;
        double[] x = NtkTestData.Points<double>(n, d, 5);
        var k = new double[n * n];
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, n, d), new MatrixView<double>(k, n, n));
        var values = new double[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(k, n, n), values);
        double norm = values[^1];
        Assert.True(values[0] >= -n * 1e-7 * norm, $"smallest eigenvalue {values[0]} against ‖K‖ = {norm}");
    }

    [Fact]
    public void The_vectorized_arccos_is_within_a_few_ulps_of_Math_Acos()
    {
        for (int i = -20000; i <= 20000; i++)
        {
            double u = i / 20000.0;
            double got = ArcCosineTransform<double>.ArcCos(u);
            Assert.True(Math.Abs(got - Math.Acos(u)) <= 4 * Math.PI * Tolerance.Epsilon<double>(), $"acos({u}) = {got} against {Math.Acos(u)}");
            float gotFloat = ArcCosineTransform<float>.ArcCos((float)u);
            Assert.True(Math.Abs(gotFloat - Math.Acos((float)u)) <= 4 * Math.PI * Tolerance.Epsilon<float>(), $"float acos({u})");
        }
        // The SIMD transform on a row equals the scalar one on every lane (the row is long enough for every width and a tail).
        double[] g = Enumerable.Range(0, 37).Select(i => Math.Cos(i * 0.3) * (1 + i % 3)).ToArray();
        double[] c = Enumerable.Range(0, 37).Select(i => 1.0 / (1 + i % 3)).ToArray();
        double[] row = new double[37];
        var op = new ArcCosineTransform<double>(1.0);
        Simd.BinaryDriver.Run<double, ArcCosineTransform<double>>(g, c, row, op);
        for (int i = 0; i < row.Length; i++)
        {
            Tolerance.AssertIdentical(op.Invoke(g[i], c[i]), row[i], $"lane {i}");
        }
    }

    /// <summary>
    /// Vectors whose cosines are all below ½ skip the square root; every lane must still equal the scalar transform, both
    /// in rows made only of such vectors and in rows where they alternate with vectors that need the other branch.
    /// </summary>
    [Fact]
    public void Vectors_of_small_cosines_give_the_scalar_bits()
    {
        var random = new Random(17);
        foreach (bool alternate in new[] { false, true })
        {
            // 16-lane stretches (a whole vector at every width, float or double) of |u| < ½, or of |u| ≥ ½ on odd stretches.
            double[] g = Enumerable.Range(0, 131).Select(i => alternate && i / 16 % 2 == 1
                ? (random.Next(2) == 0 ? -1 : 1) * (0.5 + 0.5 * random.NextDouble())
                : random.NextDouble() - 0.5).ToArray();
            double[] c = Enumerable.Repeat(1.0, g.Length).ToArray();
            double[] row = new double[g.Length];
            var op = new ArcCosineTransform<double>(1.0);
            Simd.BinaryDriver.Run<double, ArcCosineTransform<double>>(g, c, row, op);
            float[] gf = g.Select(v => (float)v).ToArray(), cf = c.Select(v => (float)v).ToArray(), rowf = new float[g.Length];
            var opf = new ArcCosineTransform<float>(1f);
            Simd.BinaryDriver.Run<float, ArcCosineTransform<float>>(gf, cf, rowf, opf);
            for (int i = 0; i < g.Length; i++)
            {
                Tolerance.AssertIdentical(op.Invoke(g[i], c[i]), row[i], $"double lane {i} (alternating: {alternate})");
                Tolerance.AssertIdentical(opf.Invoke(gf[i], cf[i]), rowf[i], $"float lane {i} (alternating: {alternate})");
            }
        }
    }

    [Fact]
    public void Bad_input_is_rejected_before_anything_is_written()
    {
        var x = new double[] { 1, 2, 3, 4, 5, 6 };
        var k = new double[9];
        Array.Fill(k, 7);
        Assert.Throws<ArgumentException>("kernel", () => NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, 3, 2), new MatrixView<double>(k, 2, 2)));
        var bad = new double[] { 1, double.NaN, 3, 4, 5, 6 };
        Assert.Throws<ArgumentException>("x", () => NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(bad, 3, 2), new MatrixView<double>(k, 3, 3)));
        Assert.All(k, v => Assert.Equal(7, v));
        Assert.Throws<ArgumentException>("kernel", () => NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, 3, 2), new MatrixView<double>(x, 2, 2)));
        Assert.Throws<ArgumentException>("b", () => NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, 3, 2), new ReadOnlyMatrixView<double>(x, 2, 3), new MatrixView<double>(k, 3, 2)));
        Assert.Throws<ArgumentException>("kernel", () => NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(x, 3, 2), new ReadOnlyMatrixView<double>(x, 3, 2), new MatrixView<double>(k, 2, 3)));
        Assert.Throws<ArgumentException>("a", () => NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(bad, 3, 2), new ReadOnlyMatrixView<double>(x, 3, 2), new MatrixView<double>(k, 3, 3)));
        Assert.Throws<ArgumentException>("z", () => NeuralTangentKernel.Evaluate<double>([1, 2], [1]));
        Assert.Throws<ArgumentException>("x", () => NeuralTangentKernel.Evaluate<double>([double.PositiveInfinity, 2], [1, 2]));
        Assert.Equal(0, NeuralTangentKernel.Evaluate<double>([0, 0], [1, 2]));
        Assert.Equal(8L * 6, NeuralTangentKernel.RequiredBytes<double>(2, 3));
    }
}
