using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels;

/// <summary>
/// Threaded calls allocate nothing after warm-up, on any thread of the process: the work is dispatched with
/// <see cref="ParallelParts"/> (struct parts, no closures) and each thread keeps its Gemm pack buffer.
/// </summary>
[Collection(WholeProcessAllocation.Name)]
public sealed class ThreadedAllocationTests
{
    /// <summary>Two threads and no size threshold, so every call below splits its work.</summary>
    private static readonly BlasOptions TwoThreads = new() { MaxThreads = 2, ParallelThreshold = 0 };

    [Theory]
    [InlineData(200, 40, 60)] // C split into row stripes
    [InlineData(30, 300, 60)] // C split into column stripes
    public void Threaded_gemm_does_not_allocate(int m, int n, int k)
    {
        float[] a = SampleData.Matrix<float>(m, k, 1), b = SampleData.Matrix<float>(k, n, 2), c = new float[m * n];
        double[] ad = SampleData.Matrix<double>(k, m, 3), bd = SampleData.Matrix<double>(n, k, 4), cd = new double[m * n];
        long allocated = Allocation.MeasureProcess(() =>
        {
            Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, m, k), new ReadOnlyMatrixView<float>(b, k, n),
                0f, new MatrixView<float>(c, m, n), TwoThreads);
            Level3.Gemm(Transpose.Transposed, Transpose.Transposed, 0.5, new ReadOnlyMatrixView<double>(ad, k, m), new ReadOnlyMatrixView<double>(bd, n, k),
                1.0, new MatrixView<double>(cd, m, n), TwoThreads);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Threaded_gemv_does_not_allocate()
    {
        const int m = 300, n = 500;
        float[] a = SampleData.Matrix<float>(m, n, 1);
        float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, 2).ToArray(), y = new float[m];
        float[] xt = SampleData.Vector<float>(m, ValueKind.Uniform, 3).ToArray(), yt = new float[n];
        long allocated = Allocation.MeasureProcess(() =>
        {
            Level2.Gemv(Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, m, n), x, 0f, y, TwoThreads);
            Level2.Gemv(Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(a, m, n), xt, 0.5f, yt, TwoThreads);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Threaded_spmv_does_not_allocate()
    {
        var (a, _) = new CsrCase(400, 300, 5, ValueKind.Uniform, 1).Build<double>();
        double[] x = SampleData.Vector<double>(300, ValueKind.Uniform, 2).ToArray(), y = new double[400];
        long allocated = Allocation.MeasureProcess(() => SparseBlas.SpMV(1.0, a, x, 0.5, y, TwoThreads));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Threaded_factorizations_do_not_allocate()
    {
        // Cholesky and a QR refactor run on Gemm (and the triangular solves and rank updates built on it).
        const int n = 200, rows = 1000, columns = 40;
        double[] spd = TestMatrices.SymmetricWithEigenvalues(TestMatrices.LogSpaced(n, 1e3), 1), work = new double[n * n];
        double[] tall = SampleData.Matrix<double>(rows, columns, 2);
        var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(tall, rows, columns), TwoThreads);
        long allocated = Allocation.MeasureProcess(() =>
        {
            spd.CopyTo(work, 0);
            Cholesky.Factor(new MatrixView<double>(work, n, n), TwoThreads);
            qr.Refactor(new ReadOnlyMatrixView<double>(tall, rows, columns), TwoThreads);
        });
        Assert.Equal(0, allocated);
    }
}
