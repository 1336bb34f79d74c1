using Kernels.Blas;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Layers;

/// <summary>Bad sizes, shapes and scalars throw, naming the argument, before anything is written; passes allocate nothing.</summary>
public sealed class LayerValidationTests
{
    [Fact]
    public void Hashed_layer_construction_rejects_impossible_sizes()
    {
        var hash = new MultiplyShift(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => new HashedLinear<float>(10, 10, 0, hash));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => new HashedLinear<float>(10, 10, -3, hash));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => new HashedLinear<float>(10, 10, 101, hash));
        Assert.Throws<ArgumentOutOfRangeException>("inputs", () => new HashedLinear<float>(0, 10, 1, hash));
        Assert.Throws<ArgumentOutOfRangeException>("outputs", () => new HashedLinear<float>(10, 0, 1, hash));
        Assert.Throws<ArgumentNullException>("hash", () => new HashedLinear<float>(10, 10, 5, null!));
        // Keys i·inputs + j must fit the family: 2³¹ − 1 keys over the 2³¹ − 1 field, 2³² for multiply-shift.
        Assert.Throws<ArgumentException>("hash", () => new HashedLinear<float>(50_000, 50_000, 10, new PolynomialHash(4, 1, 1)));
        Assert.Throws<ArgumentException>("hash", () => new HashedLinear<float>(70_000, 70_000, 10, hash));
        _ = new HashedLinear<float>(65_536, 65_536, 10, hash);
        Assert.Throws<NotSupportedException>(() => new HashedLinear<Half>(2, 2, 1, hash));
        var layer = new HashedLinear<float>(3, 4, 5, hash);
        Assert.Throws<ArgumentOutOfRangeException>("bound", () => layer.InitializeUniform(float.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>("bound", () => layer.InitializeUniform(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("output", () => layer.VirtualWeight(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => layer.VirtualWeight(0, -1));
    }

    [Fact]
    public void Hashed_layer_passes_reject_mismatched_shapes_and_leave_outputs_alone()
    {
        var layer = new HashedLinear<double>(5, 3, 4, new MultiplyShift(1, 1));
        layer.InitializeUniform(1, 2);
        var noBias = new HashedLinear<double>(5, 3, 4, new MultiplyShift(1, 1), bias: false);
        var data = new double[64];
        var output = new double[64];
        Array.Fill(output, 7.0);
        var grad = new double[8];
        Array.Fill(grad, 7.0);

        Assert.Throws<ArgumentException>("input", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 4), new MatrixView<double>(output, 2, 3)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 3, 3)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 2, 4)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(output, 2, 5), new MatrixView<double>(output.AsSpan(3), 2, 3)));
        Assert.Throws<ArgumentException>("outputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 4), new MatrixView<double>(output, 2, 5), 0.0));
        Assert.Throws<ArgumentException>("inputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 3), new MatrixView<double>(output, 1, 5), 0.0));
        Assert.Throws<ArgumentException>("outputGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 3, 3), grad.AsSpan(0, 4), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 3), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 4), grad.AsSpan(4, 2), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => noBias.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 4), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), data.AsSpan(0, 4), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 4), grad.AsSpan(2, 3), 0.0));
        Assert.Throws<ArgumentException>("destination", () => layer.CopyVirtualMatrix(new MatrixView<double>(output, 5, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 2, 3), new BlasOptions { MaxThreads = 0 }));
        Assert.All(output, v => Assert.Equal(7.0, v));
        Assert.All(grad, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void Sketched_layer_rejects_mismatched_shapes_and_foreign_workspaces()
    {
        ISketch<double> sketch = new CountSketchDistribution(4, 9).Sample<double>(1);
        var layer = new SketchedLinear<double>(sketch, 3);
        var other = new SketchedLinear<double>(sketch, 3);
        var workspace = new SketchedLinearWorkspace<double>(layer, 2);
        var data = new double[64];
        var output = new double[64];
        Array.Fill(output, 7.0);

        Assert.Throws<ArgumentNullException>("sketch", () => new SketchedLinear<double>(null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>("outputs", () => new SketchedLinear<double>(sketch, 0));
        Assert.Throws<ArgumentOutOfRangeException>("maxBatch", () => new SketchedLinearWorkspace<double>(layer, 0));
        Assert.Throws<ArgumentException>("input", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 8), new MatrixView<double>(output, 2, 3), workspace));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 9), new MatrixView<double>(output, 2, 4), workspace));
        Assert.Throws<ArgumentException>("workspace", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 3, 9), new MatrixView<double>(output, 3, 3), workspace));
        Assert.Throws<ArgumentException>("workspace", () => other.Forward(new ReadOnlyMatrixView<double>(data, 2, 9), new MatrixView<double>(output, 2, 3), workspace));
        Assert.Throws<ArgumentNullException>("workspace", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 9), new MatrixView<double>(output, 2, 3), null!));
        Assert.Throws<ArgumentException>("inputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 3), new MatrixView<double>(output, 2, 8), 0.0, workspace));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 9), new ReadOnlyMatrixView<double>(data, 2, 3), output.AsSpan(0, 11), output.AsSpan(20, 3), 0.0, workspace));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 9), new ReadOnlyMatrixView<double>(data, 2, 3), output.AsSpan(0, 12), output.AsSpan(20, 2), 0.0, workspace));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 9), new ReadOnlyMatrixView<double>(data, 2, 3), data.AsSpan(0, 12), output.AsSpan(20, 3), 0.0, workspace));
        Assert.All(output, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void Layer_passes_do_not_allocate()
    {
        var hashed = new HashedLinear<float>(300, 200, 900, new MultiplyShift(3, 4));
        hashed.InitializeUniform(0.1f, 1);
        var sketched = new SketchedLinear<float>(new SparseEmbeddingDistribution(40, 300, 3).Sample<float>(2), 200);
        var workspace = new SketchedLinearWorkspace<float>(sketched, 16);
        float[] x = SampleData.Matrix<float>(16, 300, 1), dy = SampleData.Matrix<float>(16, 200, 2);
        float[] y = new float[16 * 200], dx = new float[16 * 300], dw = new float[900], db = new float[200], dp = new float[40 * 200];
        BlasOptions one = BlasOptions.SingleThreaded;
        // Scratch comes from the array pool, which a gen-2 collection (tests run in parallel) may trim; the best of three counts.
        long allocated = Enumerable.Range(0, 3).Min(_ => Allocation.Measure(() =>
        {
            hashed.Forward(new ReadOnlyMatrixView<float>(x, 16, 300), new MatrixView<float>(y, 16, 200), one);
            hashed.BackwardInput(new ReadOnlyMatrixView<float>(dy, 16, 200), new MatrixView<float>(dx, 16, 300), 0f, one);
            hashed.BackwardParameters(new ReadOnlyMatrixView<float>(x, 16, 300), new ReadOnlyMatrixView<float>(dy, 16, 200), dw, db, 0f, one);
            sketched.Forward(new ReadOnlyMatrixView<float>(x, 16, 300), new MatrixView<float>(y, 16, 200), workspace, one);
            sketched.BackwardInput(new ReadOnlyMatrixView<float>(dy, 16, 200), new MatrixView<float>(dx, 16, 300), 0f, workspace, one);
            sketched.BackwardParameters(new ReadOnlyMatrixView<float>(x, 16, 300), new ReadOnlyMatrixView<float>(dy, 16, 200), dp, db, 0f, workspace, one);
        }));
        Assert.Equal(0, allocated);
    }
}
