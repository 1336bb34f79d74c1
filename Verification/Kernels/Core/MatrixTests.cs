using FsCheck;
using FsCheck.Xunit;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Core;

/// <summary>The owning matrix: contiguous row-major storage, views over it, copies and shape validation.</summary>
public sealed class MatrixTests
{
    [Fact]
    public void A_new_matrix_is_zero_and_its_views_share_its_storage()
    {
        var m = new Matrix<double>(3, 4);
        Assert.Equal((3, 4), (m.Rows, m.Columns));
        Assert.Equal(12, m.AsSpan().Length);
        Assert.All(m.AsSpan().ToArray(), x => Assert.Equal(0.0, x));
        Assert.Equal(12, m.AsMemory().Length);

        m[2, 1] = 5;
        m.Row(1)[3] = 7;
        m.View[0, 2] = 9;
        Assert.Equal(5, m.AsSpan()[2 * 4 + 1]);
        Assert.Equal(7, m.ReadOnlyView[1, 3]);
        Assert.Equal(9, m.AsSpan()[2]);
        Assert.Equal((3, 4, 4), (m.View.Rows, m.View.Columns, m.View.Stride));
        Assert.Equal(4, m.ReadOnlyView.Stride);
    }

    [KernelProperty]
    public void A_copy_of_a_strided_view_holds_its_elements_contiguously(PositiveInt rows, PositiveInt columns, NonNegativeInt padding)
    {
        int r = rows.Get % 9, c = columns.Get % 9, stride = c + padding.Get % 5;
        float[] data = SampleData.Matrix<float>(Math.Max(1, r), stride, r * 31 + c);
        var source = new ReadOnlyMatrixView<float>(data, r, c, stride);
        var copy = new Matrix<float>(source);
        Assert.Equal((r, c), (copy.Rows, copy.Columns));
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                Assert.Equal(data[i * stride + j], copy.AsSpan()[i * c + j]);
            }
        }
        // The copy owns its storage: changing the source leaves it alone.
        if (r > 0 && c > 0)
        {
            float before = copy[0, 0];
            data[0] += 1;
            Assert.Equal(before, copy[0, 0]);
        }
    }

    [Fact]
    public void Empty_shapes_are_allowed()
    {
        Assert.Equal(0, new Matrix<float>(0, 5).AsSpan().Length);
        Assert.Equal(0, new Matrix<float>(5, 0).Row(4).Length);
        Assert.Equal(0, new Matrix<float>(new ReadOnlyMatrixView<float>([], 0, 0)).Rows);
    }

    [Fact]
    public void Bad_dimensions_and_indices_throw_naming_the_argument()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(-1, 3)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(3, -1)).ParamName);
        // 65536² = 2³² overflows int; int.MaxValue × 2 overflows it too. Neither may wrap into a small array.
        var overflow = Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<float>(65536, 65536));
        Assert.Equal("columns", overflow.ParamName);
        Assert.Contains("65536×65536", overflow.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Matrix<double>(int.MaxValue, 2));

        var m = new Matrix<float>(2, 3);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(2)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m.Row(-1)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => m[2, 0]).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => m[0, 3]).ParamName);
    }

    [Fact]
    public void Element_types_other_than_float_and_double_are_refused() =>
        Assert.Throws<NotSupportedException>(() => new Matrix<Half>(2, 2));
}
