using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="SymmetricRankUpdate.Lower{T}"/> against the textbook product, element by element, with the Gemm
/// tolerance (k + 4)·ε·(|alpha|·Σ|a||a| + |beta·c|); the strictly upper triangle and all padding hold NaN and must come
/// back untouched.
/// </summary>
public sealed class SymmetricRankUpdateTests
{
    [KernelProperty(MaxTest = 80)]
    public void The_lower_triangle_matches_the_product_and_nothing_else_is_touched(MatrixCase c, bool useBeta)
    {
        Check<float>(c.Rows, c.Depth, c.ExtraStride, 1.5f, useBeta ? -0.5f : 0f, c.Seed);
        Check<double>(c.Rows, c.Depth, c.ExtraStride, -1.0, useBeta ? 1.0 : 0.0, c.Seed);
    }

    [Fact]
    public void Orders_past_two_recursion_levels_are_right()
    {
        Check<double>(150, 33, 2, -1.0, 1.0, 1);
        Check<float>(129, 300, 0, 2f, 0.5f, 2);
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        const int n = 260, k = 200;
        double[] a = SampleData.Matrix<double>(n, k, 3);
        double[] Run(BlasOptions options)
        {
            double[] c = SampleData.Matrix<double>(n, n, 4);
            SymmetricRankUpdate.Lower(-1.0, new ReadOnlyMatrixView<double>(a, n, k), 1.0, new MatrixView<double>(c, n, n), options);
            return c;
        }
        double[] one = Run(BlasOptions.SingleThreaded);
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
    }

    [Fact]
    public void Bad_shapes_aliasing_and_scalars_throw()
    {
        double[] a = new double[12], c = new double[16];
        var ex = Assert.Throws<ArgumentException>(() => SymmetricRankUpdate.Lower(1.0, new ReadOnlyMatrixView<double>(a, 4, 3), 0.0, new MatrixView<double>(c, 4, 3)));
        Assert.Equal("c", ex.ParamName);
        Assert.Contains("4×4", ex.Message);
        Assert.Throws<ArgumentException>(() => SymmetricRankUpdate.Lower(1.0, new ReadOnlyMatrixView<double>(a, 3, 4), 0.0, new MatrixView<double>(c, 4, 4)));
        Assert.Throws<ArgumentException>(() => SymmetricRankUpdate.Lower(1.0, new ReadOnlyMatrixView<double>(c, 4, 2), 0.0, new MatrixView<double>(c, 4, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SymmetricRankUpdate.Lower(double.NaN, new ReadOnlyMatrixView<double>(a, 4, 3), 0.0, new MatrixView<double>(c, 4, 4)));
        Assert.All(c, v => Assert.Equal(0.0, v));
    }

    private static void Check<T>(int n, int k, int extra, T alpha, T beta, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int sa = k + extra, sc = n + extra;
        T[] a = TestMatrices.Stored(SampleData.Matrix<double>(n, k, seed), n, k, sa, T.NaN);
        double[] initial = SampleData.Matrix<double>(n, n, seed + 1);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                initial[i * n + j] = double.NaN;
            }
        }
        T[] c0 = TestMatrices.Stored(initial, n, n, sc, T.NaN);
        if (beta == T.Zero)
        {
            // beta = 0 must not read C: NaN everywhere proves it.
            Array.Fill(c0, T.NaN);
        }
        T[] c = c0.ToArray();
        SymmetricRankUpdate.Lower(alpha, new ReadOnlyMatrixView<T>(a, n, k, sa), beta, new MatrixView<T>(c, n, n, sc));
        double al = double.CreateChecked(alpha), be = double.CreateChecked(beta);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < sc && i * sc + j < c.Length; j++)
            {
                if (j > i)
                {
                    Tolerance.AssertIdentical(c0[i * sc + j], c[i * sc + j], $"C[{i},{j}] above the diagonal or in the padding was written, n={n} k={k}");
                    continue;
                }
                var (dot, magnitude) = Reference.ProductElement<T>(a, sa, false, a, sa, true, k, i, j);
                double old = be == 0 ? 0 : double.CreateChecked(c0[i * sc + j]);
                Tolerance.AssertClose(c[i * sc + j], al * dot + be * old, Math.Abs(al) * magnitude + Math.Abs(be * old), k + 4, $"C[{i},{j}] n={n} k={k}");
            }
        }
    }
}
