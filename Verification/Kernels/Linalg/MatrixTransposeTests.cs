using FsCheck;
using FsCheck.Xunit;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>The tiled transposed copy: every element lands at its transposed position, and bad shapes or overlap throw first.</summary>
public sealed class MatrixTransposeTests
{
    [KernelProperty]
    public void Copy_writes_the_transpose(PositiveInt rows, PositiveInt columns, NonNegativeInt padding)
    {
        int r = rows.Get % 40, c = columns.Get % 40, stride = c + padding.Get % 3;
        double[] source = SampleData.Matrix<double>(Math.Max(r, 1), stride, r + 41 * c);
        double[] destination = new double[Math.Max(c, 1) * (r + 2)];
        MatrixTranspose.Copy(new ReadOnlyMatrixView<double>(source, r, c, stride), new MatrixView<double>(destination, c, r, r + 2));
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                Assert.Equal(source[i * stride + j], destination[j * (r + 2) + i]);
            }
        }
    }

    [Fact]
    public void Bad_shapes_and_overlap_throw_before_writing()
    {
        float[] a = new float[12], b = new float[12];
        b[0] = 7;
        var shape = Assert.Throws<ArgumentException>(() => MatrixTranspose.Copy(new ReadOnlyMatrixView<float>(a, 3, 4), new MatrixView<float>(b, 3, 4)));
        Assert.Equal("destination", shape.ParamName);
        Assert.Contains("expected 4×3", shape.Message);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(
            () => MatrixTranspose.Copy(new ReadOnlyMatrixView<float>(a, 2, 2), new MatrixView<float>(a.AsSpan(1), 2, 2))).ParamName);
        Assert.Equal(7, b[0]);
    }
}
