using Kernels.Blas;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching;

/// <summary>Threaded sketch products and layer passes allocate nothing after warm-up, on any thread of the process.</summary>
[Collection(WholeProcessAllocation.Name)]
public sealed class ThreadedAllocationTests
{
    /// <summary>Two threads and no size threshold, so every product that can split its work does.</summary>
    private static readonly BlasOptions TwoThreads = new() { MaxThreads = 2, ParallelThreshold = 0 };

    [Theory]
    [InlineData(SketchKind.CountSketch)]
    [InlineData(SketchKind.SparseEmbedding)]
    [InlineData(SketchKind.Gaussian)]
    [InlineData(SketchKind.Srht)]
    public void Threaded_dense_products_do_not_allocate(SketchKind kind)
    {
        // 2048 float columns: the hashing sketches split a dense operand into column stripes of at least 4 KiB per row.
        const int s = 16, n = 100, d = 2048;
        float[] a = SampleData.Matrix<float>(n, d, 1), sa = new float[s * d];
        float[] y = SampleData.Matrix<float>(s, d, 2), sty = new float[n * d];
        ISketch<float> sketch = SketchCase.Of(kind, s, n).Sample<float>(3);
        long allocated = Allocation.MeasureProcess(() =>
        {
            sketch.Apply(new ReadOnlyMatrixView<float>(a, n, d), new MatrixView<float>(sa, s, d), TwoThreads);
            sketch.ApplyTranspose(new ReadOnlyMatrixView<float>(y, s, d), new MatrixView<float>(sty, n, d));
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Threaded_hashed_linear_passes_do_not_allocate()
    {
        // 300 outputs of 300 inputs make two gradient partitions (tiles of 65536 / 300 rows), so two threads share BackwardParameters.
        const int batch = 16, inputs = 300, outputs = 300;
        var layer = new HashedLinear<float>(inputs, outputs, 900, new MultiplyShift(3, 4));
        layer.InitializeUniform(0.1f, 1);
        float[] x = SampleData.Matrix<float>(batch, inputs, 1), dy = SampleData.Matrix<float>(batch, outputs, 2);
        float[] y = new float[batch * outputs], dx = new float[batch * inputs], dw = new float[layer.Buckets], db = new float[outputs];
        long allocated = Allocation.MeasureProcess(() =>
        {
            layer.Forward(new ReadOnlyMatrixView<float>(x, batch, inputs), new MatrixView<float>(y, batch, outputs), TwoThreads);
            layer.BackwardInput(new ReadOnlyMatrixView<float>(dy, batch, outputs), new MatrixView<float>(dx, batch, inputs), 0f, TwoThreads);
            layer.BackwardParameters(new ReadOnlyMatrixView<float>(x, batch, inputs), new ReadOnlyMatrixView<float>(dy, batch, outputs), dw, db, 0f, TwoThreads);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Threaded_sketched_linear_passes_do_not_allocate()
    {
        const int batch = 16, inputs = 300, outputs = 200, s = 40;
        var layer = new SketchedLinear<float>(new SparseEmbeddingDistribution(s, inputs, 3).Sample<float>(2), outputs);
        layer.InitializeUniform(0.1f, 1);
        var workspace = new SketchedLinearWorkspace<float>(layer, batch);
        float[] x = SampleData.Matrix<float>(batch, inputs, 1), dy = SampleData.Matrix<float>(batch, outputs, 2);
        float[] y = new float[batch * outputs], dx = new float[batch * inputs], dp = new float[s * outputs], db = new float[outputs];
        long allocated = Allocation.MeasureProcess(() =>
        {
            layer.Forward(new ReadOnlyMatrixView<float>(x, batch, inputs), new MatrixView<float>(y, batch, outputs), workspace, TwoThreads);
            layer.BackwardInput(new ReadOnlyMatrixView<float>(dy, batch, outputs), new MatrixView<float>(dx, batch, inputs), 0f, workspace, TwoThreads);
            layer.BackwardParameters(new ReadOnlyMatrixView<float>(x, batch, inputs), new ReadOnlyMatrixView<float>(dy, batch, outputs), dp, db, 0f, workspace, TwoThreads);
        });
        Assert.Equal(0, allocated);
    }
}
