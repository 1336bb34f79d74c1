using System.Numerics;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>Gemv and Ger against scalar references, their thread invariance and their argument checks.</summary>
public sealed class Level2Tests
{
    [KernelProperty]
    public void Gemv_matches_the_scalar_reference(MatrixCase c, bool useBeta)
    {
        // Reuse the product generator: op(A) is Rows × Depth and x has Depth elements.
        CheckGemv<float>(c.Rows, c.Depth, c.ExtraStride, c.TransA, c.Seed, useBeta ? 0.5f : 0f);
        CheckGemv<double>(c.Rows, c.Depth, c.ExtraStride, c.TransA, c.Seed, useBeta ? -1.5 : 0.0);
    }

    [Fact]
    public void Gemv_matches_the_scalar_reference_for_every_row_length()
    {
        foreach (int n in SampleData.SweepLengths().Where(n => n < 5000))
        {
            CheckGemv<float>(7, n, n % 3, Transpose.None, n, 0.25f);
            CheckGemv<float>(7, n, n % 2, Transpose.Transposed, n, 0f);
            CheckGemv<double>(n % 9 + 1, n, 1, (Transpose)(n % 2), n, 2.0);
        }
        // Large enough that Aᵀ·x sums the two halves of A's rows separately (A is 1031 × 2053).
        CheckGemv<float>(2053, 1031, 3, Transpose.Transposed, 5, 0.5f);
        CheckGemv<double>(2053, 1031, 0, Transpose.Transposed, 6, 0.0);
    }

    private static void CheckGemv<T>(int rows, int cols, int extra, Transpose trans, int seed, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // op(A) is rows × cols.
        var stored = trans == Transpose.None ? (rows, cols) : (cols, rows);
        var c = new MatrixCase(stored.Item1, stored.Item2, 0, extra, Transpose.None, Transpose.None, seed);
        T[] a = c.Stored<T>(stored, 1, out int lda);
        T[] x = SampleData.Vector<T>(cols, ValueKind.Uniform, seed + 1).ToArray();
        T[] y = SampleData.Vector<T>(rows, ValueKind.Uniform, seed + 2).ToArray();
        if (beta == T.Zero)
        {
            Array.Fill(y, T.NaN); // beta = 0: y must not be read
        }
        T[] before = y.ToArray();
        T alpha = T.CreateChecked(1.75);
        Level2.Gemv(trans, alpha, new ReadOnlyMatrixView<T>(a, stored.Item1, stored.Item2, lda), x, beta, y);
        for (int i = 0; i < rows; i++)
        {
            double dot = 0, magnitude = 0;
            for (int j = 0; j < cols; j++)
            {
                double aij = double.CreateChecked(trans == Transpose.None ? a[i * lda + j] : a[j * lda + i]);
                double term = aij * double.CreateChecked(x[j]);
                dot += term;
                magnitude += Math.Abs(term);
            }
            double al = double.CreateChecked(alpha), be = double.CreateChecked(beta);
            double old = be == 0 ? 0 : double.CreateChecked(before[i]);
            Tolerance.AssertClose(y[i], al * dot + be * old, Math.Abs(al) * magnitude + Math.Abs(be * old), cols + 4,
                $"Gemv<{typeof(T).Name}> {trans} {rows}×{cols} y[{i}]");
        }
    }

    [Fact]
    public void Gemv_results_do_not_depend_on_the_thread_count()
    {
        foreach (var trans in new[] { Transpose.None, Transpose.Transposed })
        {
            foreach (var (m, n) in new[] { (1001, 517), (64, 4099), (2048, 33), (1031, 2053) })
            {
                float[] a = SampleData.Matrix<float>(m, n, m);
                var shape = trans == Transpose.None ? (m, n) : (n, m);
                float[] x = SampleData.Vector<float>(shape.Item2, ValueKind.Uniform, 3).ToArray();
                float[] single = SampleData.Vector<float>(shape.Item1, ValueKind.Uniform, 4).ToArray();
                float[] threaded = single.ToArray();
                Level2.Gemv(trans, 0.5f, new ReadOnlyMatrixView<float>(a, m, n), x, 2f, single, BlasOptions.SingleThreaded);
                Level2.Gemv(trans, 0.5f, new ReadOnlyMatrixView<float>(a, m, n), x, 2f, threaded, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 });
                Assert.Equal(single, threaded);
            }
        }
    }

    [Fact]
    public void Threaded_gemv_from_several_callers_at_once_matches_one_thread()
    {
        // Each caller reuses its own job object call after call while workers of its earlier calls may still be
        // draining; every result must still equal the single-threaded one.
        const int m = 203, n = 517;
        float[] a = SampleData.Matrix<float>(m, n, 7);
        float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, 8).ToArray();
        float[] xt = SampleData.Vector<float>(m, ValueKind.Uniform, 9).ToArray();
        float[] expected = new float[m], expectedT = new float[n];
        Level2.Gemv(Transpose.None, 1.5f, new ReadOnlyMatrixView<float>(a, m, n), x, 0f, expected, BlasOptions.SingleThreaded);
        Level2.Gemv(Transpose.Transposed, 1.5f, new ReadOnlyMatrixView<float>(a, m, n), xt, 0f, expectedT, BlasOptions.SingleThreaded);
        var options = new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 };
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            float[] y = new float[m], yt = new float[n];
            for (int call = 0; call < 200; call++)
            {
                Level2.Gemv(Transpose.None, 1.5f, new ReadOnlyMatrixView<float>(a, m, n), x, 0f, y, options);
                Level2.Gemv(Transpose.Transposed, 1.5f, new ReadOnlyMatrixView<float>(a, m, n), xt, 0f, yt, options);
                Assert.Equal(expected, y);
                Assert.Equal(expectedT, yt);
            }
        });
    }

    [Fact]
    public void Gemv_rejects_bad_lengths_aliasing_and_scalars()
    {
        double[] a = new double[12], x = new double[4], y = new double[3];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Level2.Gemv(Transpose.Transposed, 1.0, new ReadOnlyMatrixView<double>(a, 3, 4), x, 0.0, y)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Level2.Gemv(Transpose.None, 1.0, new ReadOnlyMatrixView<double>(a, 3, 4), x, 0.0, new double[4])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Level2.Gemv(Transpose.None, 1.0, new ReadOnlyMatrixView<double>(a, 3, 4), x, 0.0, a.AsSpan(0, 3))).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Level2.Gemv(Transpose.None, double.NaN, new ReadOnlyMatrixView<double>(a, 3, 4), x, 0.0, y)).ParamName);
    }

    [KernelProperty]
    public void Ger_matches_the_scalar_reference(MatrixCase c)
    {
        CheckGer<float>(c);
        CheckGer<double>(c);
    }

    private static void CheckGer<T>(MatrixCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = c.Stored<T>((c.Rows, c.Columns), 1, out int lda);
        T[] before = a.ToArray();
        T[] x = SampleData.Vector<T>(c.Rows, ValueKind.Uniform, c.Seed).ToArray();
        T[] y = SampleData.Vector<T>(c.Columns, ValueKind.Uniform, c.Seed + 1).ToArray();
        T alpha = T.CreateChecked(-0.625);
        Level2.Ger(alpha, x, y, new MatrixView<T>(a, c.Rows, c.Columns, lda));
        for (int i = 0; i < c.Rows; i++)
        {
            for (int j = 0; j < lda; j++)
            {
                if (j >= c.Columns)
                {
                    Tolerance.AssertIdentical(before[i * lda + j], a[i * lda + j], "padding untouched");
                    continue;
                }
                double scaled = double.CreateChecked(alpha * x[i]);
                double exact = scaled * double.CreateChecked(y[j]) + double.CreateChecked(before[i * lda + j]);
                double magnitude = Math.Abs(scaled * double.CreateChecked(y[j])) + Math.Abs(double.CreateChecked(before[i * lda + j]));
                Tolerance.AssertClose(a[i * lda + j], exact, magnitude, 3, $"Ger A[{i},{j}] {c}");
            }
        }
    }

    [Fact]
    public void Ger_rejects_bad_lengths_and_aliasing()
    {
        float[] a = new float[12];
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Level2.Ger(1f, new float[4], new float[4], new MatrixView<float>(a, 3, 4))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Level2.Ger(1f, new float[3], new float[3], new MatrixView<float>(a, 3, 4))).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Level2.Ger(1f, a.AsSpan(0, 3), new float[4], new MatrixView<float>(a, 3, 4))).ParamName);
    }
}
