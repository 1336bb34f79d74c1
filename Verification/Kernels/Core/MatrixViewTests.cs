using Kernels.Blas;

namespace Kernels.Verification.Kernels.Core;

/// <summary>The matrix views: layout, range checks and shape validation.</summary>
public sealed class MatrixViewTests
{
    [Fact]
    public void Elements_rows_and_slices_address_the_documented_layout()
    {
        int[] data = Enumerable.Range(0, 30).ToArray();
        var view = new MatrixView<int>(data, 4, 5, 7); // needs 3·7 + 5 = 26 elements
        Assert.Equal(2 * 7 + 3, view[2, 3]);
        Assert.Equal([21, 22, 23, 24, 25], view.Row(3).ToArray());
        var block = view.Slice(1, 2, 2, 3);
        Assert.Equal(1 * 7 + 2, block[0, 0]);
        Assert.Equal(2 * 7 + 4, block[1, 2]);
        block[1, 1] = -1;
        Assert.Equal(-1, data[2 * 7 + 3]);
        ReadOnlyMatrixView<int> readOnly = view;
        Assert.Equal(view[3, 4], readOnly[3, 4]);
    }

    [Fact]
    public void Bad_shapes_and_indices_throw()
    {
        int[] data = new int[20];
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new MatrixView<int>(data, 3, 7)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<int>(data, 2, 5, 4)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReadOnlyMatrixView<int>(data, -1, 2));
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<int>(data, 4, 5)[4, 0]).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<int>(data, 4, 5)[0, 5]).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<int>(data, 4, 5).Slice(3, 0, 2, 1)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => new MatrixView<int>(data, 4, 5).Slice(0, 4, 1, 2)).ParamName);
        // Empty views need no storage.
        Assert.Equal(0, new MatrixView<int>([], 0, 9).Rows);
        Assert.Equal(0, new MatrixView<int>([], 9, 0).Columns);
    }
}
