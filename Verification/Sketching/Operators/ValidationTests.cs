using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>Bad sizes and shapes throw, naming the argument, before anything is written.</summary>
public sealed class ValidationTests
{
    public static TheoryData<SketchKind> Kinds() => new(Enum.GetValues<SketchKind>());

    [Fact]
    public void Distributions_reject_impossible_sizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>("rows", () => new CountSketchDistribution(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>("columns", () => new CountSketchDistribution(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>("rows", () => new GaussianDistribution(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>("nonzerosPerColumn", () => new SparseEmbeddingDistribution(3, 10, 4));
        Assert.Throws<ArgumentOutOfRangeException>("nonzerosPerColumn", () => new SparseEmbeddingDistribution(3, 10, 0));
        Assert.Throws<ArgumentOutOfRangeException>("rows", () => new SrhtDistribution(17, 10));
        Assert.Throws<ArgumentOutOfRangeException>("columns", () => new SrhtDistribution(1, SrhtDistribution.MaxColumns + 1));
        Assert.Equal(16, new SrhtDistribution(16, 10).PaddedColumns);
        Assert.Throws<NotSupportedException>(() => new GaussianDistribution(2, 2).Sample<Half>(0));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mismatched_shapes_throw_and_leave_the_destination_alone(SketchKind kind)
    {
        ISketch<double> sketch = SketchCase.Of(kind, 4, 9).Sample<double>(1);
        var output = new double[64];
        Array.Fill(output, 7.0);
        double[] input = new double[64];

        Assert.Throws<ArgumentException>("x", () => sketch.Apply(input.AsSpan(0, 8), output.AsSpan(0, 4)));
        Assert.Throws<ArgumentException>("destination", () => sketch.Apply(input.AsSpan(0, 9), output.AsSpan(0, 5)));
        Assert.Throws<ArgumentException>("destination", () => sketch.Apply(output.AsSpan(0, 9), output.AsSpan(5, 4)));
        Assert.Throws<ArgumentException>("y", () => sketch.ApplyTranspose(input.AsSpan(0, 3), output.AsSpan(0, 9)));
        Assert.Throws<ArgumentException>("destination", () => sketch.ApplyTranspose(input.AsSpan(0, 4), output.AsSpan(0, 8)));
        Assert.Throws<ArgumentException>("a", () => sketch.Apply(new ReadOnlyMatrixView<double>(input, 8, 2), new MatrixView<double>(output, 4, 2)));
        Assert.Throws<ArgumentException>("destination", () => sketch.Apply(new ReadOnlyMatrixView<double>(input, 9, 2), new MatrixView<double>(output, 4, 3)));
        Assert.Throws<ArgumentException>("destination", () => sketch.Apply(new ReadOnlyMatrixView<double>(output, 9, 2), new MatrixView<double>(output.AsSpan(10), 4, 2)));
        Assert.Throws<ArgumentException>("a", () => sketch.Apply(new CsrMatrix<double>(8, 2, new int[9], [], []), new MatrixView<double>(output, 4, 2)));
        Assert.Throws<ArgumentNullException>("a", () => sketch.Apply((CsrMatrix<double>)null!, new MatrixView<double>(output, 4, 2)));
        Assert.Throws<ArgumentException>("a", () => sketch.Apply(new OpaqueMap<double>(input, 10, 2), new MatrixView<double>(output, 4, 2)));
        Assert.Throws<ArgumentException>("y", () => sketch.ApplyTranspose(new ReadOnlyMatrixView<double>(input, 5, 2), new MatrixView<double>(output, 9, 2)));
        Assert.Throws<ArgumentException>("destination", () => sketch.ApplyTranspose(new ReadOnlyMatrixView<double>(input, 4, 2), new MatrixView<double>(output, 9, 3)));
        Assert.Throws<ArgumentException>("destination", () => sketch.ToDense(new MatrixView<double>(output, 4, 8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Apply(new ReadOnlyMatrixView<double>(input, 9, 2), new MatrixView<double>(output, 4, 2), new BlasOptions { MaxThreads = 0 }));
        Assert.All(output, v => Assert.Equal(7.0, v));
    }
}
