using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>The BLAS hot paths allocate no managed memory on the calling thread (single-threaded calls).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Level1_and_level2_do_not_allocate()
    {
        const int n = 257;
        float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, 1).ToArray();
        float[] y = SampleData.Vector<float>(n, ValueKind.Uniform, 2).ToArray();
        float[] a = SampleData.Matrix<float>(n, n, 3);
        float[] c = new float[n * n];
        float sink = 0;
        long allocated = Allocation.Measure(() =>
        {
            sink += Level1.Dot<float>(x, y) + Level1.Sum<float>(x) + Level1.Nrm2<float>(x) + Level1.Max<float>(x) + Level1.ArgMax<float>(x);
            Level1.Axpy(1e-3f, x, y);
            Level1.Scale(0.5f, y);
            Level2.Gemv(Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, n, n), x, 0f, y, BlasOptions.SingleThreaded);
            Level2.Gemv(Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(a, n, n), x, 0.5f, y, BlasOptions.SingleThreaded);
            Level2.Ger(1e-3f, x, y, new MatrixView<float>(c, n, n));
        });
        Assert.Equal(0, allocated);
        Assert.False(float.IsNaN(sink));
    }

    [Fact]
    public void Gemm_on_one_thread_does_not_allocate()
    {
        const int n = 100;
        double[] a = SampleData.Matrix<double>(n, n, 4), b = SampleData.Matrix<double>(n, n, 5), c = new double[n * n];
        long allocated = Allocation.Measure(() => Level3.Gemm(Transpose.None, Transpose.None, 1.0,
            new ReadOnlyMatrixView<double>(a, n, n), new ReadOnlyMatrixView<double>(b, n, n), 0.0, new MatrixView<double>(c, n, n), BlasOptions.SingleThreaded));
        Assert.Equal(0, allocated);
    }
}
