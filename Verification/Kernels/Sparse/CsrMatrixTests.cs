using System.Numerics;
using Kernels.Blas;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Sparse;

/// <summary><see cref="CsrMatrix{T}"/>: construction, its invariants, and the dense and triplet conversions.</summary>
public sealed class CsrMatrixTests
{
    // ---- Construction and views ----------------------------------------------------------------------------

    [KernelProperty]
    public void Constructor_exposes_the_given_arrays_and_ToDense_restores_the_matrix(CsrCase c)
    {
        CheckConstruction<float>(c);
        CheckConstruction<double>(c);
    }

    private static void CheckConstruction<T>(CsrCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsrParts<T> p = c.Parts<T>();
        var a = new CsrMatrix<T>(c.Rows, c.Columns, p.RowPointers, p.ColumnIndices, p.Values);
        Assert.Equal((c.Rows, c.Columns, p.Values.Length), (a.Rows, a.Columns, a.NonZeroCount));
        Assert.Equal(p.RowPointers, a.RowPointers.ToArray());
        Assert.Equal(p.ColumnIndices, a.ColumnIndices.ToArray());
        Assert.Equal(p.Values, a.Values.ToArray());
        for (int r = 0; r < c.Rows; r++)
        {
            int start = p.RowPointers[r], length = p.RowPointers[r + 1] - start;
            Assert.Equal(p.ColumnIndices.AsSpan(start, length).ToArray(), a.ColumnIndicesOfRow(r).ToArray());
            Assert.Equal(p.Values.AsSpan(start, length).ToArray(), a.ValuesOfRow(r).ToArray());
        }
        T[] dense = a.ToDense();
        Assert.Equal(p.Dense.Length, dense.Length);
        for (int i = 0; i < dense.Length; i++)
        {
            Tolerance.AssertIdentical(p.Dense[i], dense[i], $"ToDense[{i}] {c}");
        }
    }

    [Fact]
    public void The_matrix_does_not_change_when_the_caller_changes_its_arrays()
    {
        int[] rowPointers = [0, 2, 3];
        int[] columns = [0, 2, 1];
        double[] values = [1, 2, 3];
        var a = new CsrMatrix<double>(2, 3, rowPointers, columns, values);
        rowPointers[1] = 1;
        columns[0] = 1;
        values[2] = 99;
        Assert.Equal([0, 2, 3], a.RowPointers.ToArray());
        Assert.Equal([0, 2, 1], a.ColumnIndices.ToArray());
        Assert.Equal([1.0, 2, 3], a.Values.ToArray());
    }

    [Fact]
    public void Empty_shapes_are_valid()
    {
        var none = new CsrMatrix<float>(0, 0, [0], [], []);
        Assert.Equal(0, none.NonZeroCount);
        Assert.Empty(none.ToDense());
        var emptyRows = new CsrMatrix<float>(3, 0, [0, 0, 0, 0], [], []);
        Assert.Empty(emptyRows.ColumnIndicesOfRow(2).ToArray());
        var zeroMatrix = new CsrMatrix<double>(2, 5, [0, 0, 0], [], []);
        Assert.All(zeroMatrix.ToDense(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Explicit_zeros_and_the_same_column_in_different_rows_are_accepted()
    {
        var a = new CsrMatrix<double>(2, 3, [0, 2, 4], [1, 2, 1, 2], [0, 5, -0.0, 7]);
        Assert.Equal(4, a.NonZeroCount);
        Assert.Equal([0.0, 0, 5, 0, 0, 7], a.ToDense());
    }

    // ---- Invalid structure ---------------------------------------------------------------------------------

    public static TheoryData<string, int, int, int[], int[], double[], string> InvalidStructures => new()
    {
        { "too few row pointers", 2, 3, [0, 1], [0], [1], "rowPointers" },
        { "too many row pointers", 2, 3, [0, 1, 1, 1], [0], [1], "rowPointers" },
        { "first row pointer not 0", 2, 3, [1, 1, 2], [0, 1], [1, 2], "rowPointers" },
        { "decreasing row pointers", 3, 3, [0, 2, 1, 3], [0, 1, 2], [1, 2, 3], "rowPointers" },
        { "last row pointer short of the entries", 2, 3, [0, 1, 2], [0, 1, 2], [1, 2, 3], "rowPointers" },
        { "last row pointer past the entries", 2, 3, [0, 1, 4], [0, 1, 2], [1, 2, 3], "rowPointers" },
        { "fewer values than columns", 1, 3, [0, 2], [0, 1], [1], "values" },
        { "more values than columns", 1, 3, [0, 2], [0, 1], [1, 2, 3], "values" },
        { "negative column", 2, 3, [0, 1, 2], [0, -1], [1, 2], "columnIndices" },
        { "column equal to the column count", 2, 3, [0, 1, 2], [0, 3], [1, 2], "columnIndices" },
        { "column far out of range", 1, 3, [0, 1], [int.MaxValue], [1], "columnIndices" },
        { "unsorted columns in a row", 2, 4, [0, 1, 3], [0, 3, 2], [1, 2, 3], "columnIndices" },
        { "duplicate column in a row", 1, 4, [0, 3], [0, 2, 2], [1, 2, 3], "columnIndices" },
        { "column of an empty shape", 1, 0, [0, 1], [0], [1], "columnIndices" },
    };

    [Theory]
    [MemberData(nameof(InvalidStructures))]
    public void Invalid_structure_is_rejected_with_the_argument_named(string why, int rows, int cols, int[] rowPointers, int[] columns,
        double[] values, string parameter)
    {
        var ex = Assert.Throws<ArgumentException>(() => new CsrMatrix<double>(rows, cols, rowPointers, columns, values));
        Assert.True(parameter == ex.ParamName, $"{why}: expected the parameter {parameter}, got {ex.ParamName}: {ex.Message}");
    }

    [Fact]
    public void Messages_name_the_offending_position()
    {
        var unsorted = Assert.Throws<ArgumentException>(() => new CsrMatrix<float>(2, 5, [0, 1, 4], [0, 1, 3, 2], [1, 1, 1, 1]));
        Assert.Contains("columnIndices[3] (row 1)", unsorted.Message);
        var outOfRange = Assert.Throws<ArgumentException>(() => new CsrMatrix<float>(2, 5, [0, 1, 2], [0, 5], [1, 1]));
        Assert.Contains("columnIndices[1] (row 1) is 5", outOfRange.Message);
        var decreasing = Assert.Throws<ArgumentException>(() => new CsrMatrix<float>(3, 5, [0, 2, 1, 2], [0, 1], [1, 1]));
        Assert.Contains("row 1", decreasing.Message);
    }

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(double.PositiveInfinity, 2)]
    [InlineData(double.NegativeInfinity, 4)]
    public void Non_finite_values_are_rejected_naming_values_and_the_position(double bad, int at)
    {
        double[] values = [1, 2, 3, 4, 5];
        values[at] = bad;
        var ex = Assert.Throws<ArgumentException>(() => new CsrMatrix<double>(3, 4, [0, 2, 2, 5], [0, 3, 0, 1, 2], values));
        Assert.Equal("values", ex.ParamName);
        int[] rowOf = [0, 0, 2, 2, 2];
        int[] columnOf = [0, 3, 0, 1, 2];
        Assert.Contains($"values[{at}] (row {rowOf[at]}, column {columnOf[at]})", ex.Message);

        float[] singles = [1, 2, 3, 4, 5];
        singles[at] = (float)bad;
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => new CsrMatrix<float>(3, 4, [0, 2, 2, 5], [0, 3, 0, 1, 2], singles)).ParamName);
    }

    [Fact]
    public void Negative_dimensions_are_out_of_range()
    {
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => new CsrMatrix<float>(-1, 2, [0], [], [])).ParamName);
        Assert.Equal("cols", Assert.Throws<ArgumentOutOfRangeException>(() => new CsrMatrix<float>(1, -2, [0, 0], [], [])).ParamName);
    }

    [Fact]
    public void Row_accessors_and_ToDense_check_their_arguments()
    {
        var a = new CsrMatrix<float>(2, 3, [0, 1, 2], [0, 2], [1, 2]);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => a.ColumnIndicesOfRow(2)).ParamName);
        Assert.Equal("row", Assert.Throws<ArgumentOutOfRangeException>(() => a.ValuesOfRow(-1)).ParamName);
        float[] wrong = new float[6];
        wrong.AsSpan().Fill(5);
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => a.ToDense(new MatrixView<float>(wrong, 3, 2))).ParamName);
        Assert.All(wrong, v => Assert.Equal(5f, v));
    }

    [Fact]
    public void ToDense_into_a_strided_view_clears_the_row_and_leaves_the_gap()
    {
        var a = new CsrMatrix<double>(2, 3, [0, 1, 2], [2, 0], [4, 5]);
        double[] buffer = Enumerable.Repeat(9.0, 2 * 5).ToArray();
        a.ToDense(new MatrixView<double>(buffer, 2, 3, 5));
        Assert.Equal([0.0, 0, 4, 9, 9, 5, 0, 0, 9, 9], buffer);
    }

    // ---- FromDense -----------------------------------------------------------------------------------------

    [KernelProperty]
    public void FromDense_stores_exactly_the_nonzero_entries(CsrCase c)
    {
        CheckFromDense<float>(c);
        CheckFromDense<double>(c);
    }

    private static void CheckFromDense<T>(CsrCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] dense = c.Parts<T>().Dense;
        var a = CsrMatrix<T>.FromDense(new ReadOnlyMatrixView<T>(dense, c.Rows, c.Columns));
        Assert.Equal(dense.Count(v => v != T.Zero), a.NonZeroCount);
        Assert.DoesNotContain(T.Zero, a.Values.ToArray());
        T[] back = a.ToDense();
        for (int i = 0; i < dense.Length; i++)
        {
            // Dropped zeros come back as +0 whatever their sign was.
            T expected = dense[i] == T.Zero ? T.Zero : dense[i];
            Tolerance.AssertIdentical(expected, back[i], $"FromDense round trip [{i}] {c}");
        }
    }

    [Fact]
    public void FromDense_reads_a_strided_view_and_drops_both_zeros()
    {
        float[] buffer = [0, -0f, 3, 99, 99, 4, 0, 0, 99, 99];
        var a = CsrMatrix<float>.FromDense(new ReadOnlyMatrixView<float>(buffer, 2, 3, 5));
        Assert.Equal([0, 1, 2], a.RowPointers.ToArray());
        Assert.Equal([2, 0], a.ColumnIndices.ToArray());
        Assert.Equal([3f, 4f], a.Values.ToArray());
    }

    [Fact]
    public void FromDense_rejects_non_finite_entries_naming_the_position()
    {
        double[] dense = [1, 0, 0, 0, double.NaN, 2];
        var ex = Assert.Throws<ArgumentException>(() => CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(dense, 2, 3)));
        Assert.Equal("dense", ex.ParamName);
        Assert.Contains("dense[1, 1]", ex.Message);
        float[] infinite = [0, float.NegativeInfinity];
        Assert.Equal("dense", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromDense(new ReadOnlyMatrixView<float>(infinite, 1, 2))).ParamName);
    }

    // ---- FromTriplets --------------------------------------------------------------------------------------

    [KernelProperty]
    public void FromTriplets_sums_duplicates_in_input_order_like_a_dictionary(CsrCase c)
    {
        CheckFromTriplets<float>(c);
        CheckFromTriplets<double>(c);
    }

    private static void CheckFromTriplets<T>(CsrCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(c.Seed);
        // Twice as many triplets as the density asks for, drawn with replacement: duplicates are common.
        int count = c.Rows == 0 || c.Columns == 0 ? 0 : 2 * c.Rows * c.Columns * c.DensityPercent / 100;
        int[] rows = new int[count], cols = new int[count];
        T[] values = new T[count];
        var model = new SortedDictionary<(int, int), T>();
        for (int k = 0; k < count; k++)
        {
            rows[k] = random.Next(c.Rows);
            cols[k] = random.Next(c.Columns);
            values[k] = SampleData.Draw<T>(random, c.Kind);
            model[(rows[k], cols[k])] = model.TryGetValue((rows[k], cols[k]), out T sum) ? sum + values[k] : values[k];
        }

        var a = CsrMatrix<T>.FromTriplets(c.Rows, c.Columns, rows, cols, values);
        Assert.Equal(model.Count, a.NonZeroCount);
        int e = 0;
        foreach (var ((r, col), v) in model)
        {
            Assert.True(a.RowPointers[r] <= e && e < a.RowPointers[r + 1], $"entry {e} ({r}, {col}) outside its row range {c}");
            Assert.Equal(col, a.ColumnIndices[e]);
            Tolerance.AssertIdentical(v, a.Values[e], $"FromTriplets ({r}, {col}) {c}");
            e++;
        }
    }

    [Fact]
    public void FromTriplets_keeps_cancelled_duplicates_as_explicit_zeros()
    {
        var a = CsrMatrix<double>.FromTriplets(2, 2, [1, 0, 1], [1, 0, 1], [2.5, 1, -2.5]);
        Assert.Equal([0, 1, 2], a.RowPointers.ToArray());
        Assert.Equal([0, 1], a.ColumnIndices.ToArray());
        Assert.Equal([1.0, 0], a.Values.ToArray());
    }

    [Fact]
    public void FromTriplets_rejects_bad_input_naming_the_argument()
    {
        Assert.Equal("columnIndices", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [0, 1], [0], [1, 2])).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [0, 1], [0, 1], [1])).ParamName);
        Assert.Equal("rowIndices", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [0, 2], [0, 1], [1, 2])).ParamName);
        Assert.Equal("rowIndices", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [-1, 0], [0, 1], [1, 2])).ParamName);
        Assert.Equal("columnIndices", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [0, 1], [0, -3], [1, 2])).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [0, 1], [0, 1], [1, float.NaN])).ParamName);
        var overflow = Assert.Throws<ArgumentException>(() => CsrMatrix<float>.FromTriplets(2, 2, [1, 1], [0, 0], [float.MaxValue, float.MaxValue]));
        Assert.Equal("values", overflow.ParamName);
        Assert.Contains("(1, 0)", overflow.Message);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => CsrMatrix<float>.FromTriplets(-1, 2, [], [], [])).ParamName);
    }
}
