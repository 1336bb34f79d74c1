using FsCheck;
using FsCheck.Xunit;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Core;

/// <summary>The shared argument checks: each passes valid input, and each failure names the argument and what was expected.</summary>
public sealed class GuardTests
{
    private enum Contiguous { A = -1, B, C }

    private enum Sparse : byte { Low = 1, Mid = 4, High = 200 }

    [Fact]
    public void Lengths_and_destinations_name_the_argument_and_the_expected_length()
    {
        Guard.RequireLength(3, 3, "x", "unused");
        var length = Assert.Throws<ArgumentException>(() => Guard.RequireLength(2, 3, "y", "the length of x"));
        Assert.Equal("y", length.ParamName);
        Assert.Contains("length 2; expected 3 (the length of x)", length.Message);

        var dimension = Assert.Throws<ArgumentException>(() => Guard.RequireMatrixDimension(5, 4, "x", "column", "op(A)", 3, 4));
        Assert.Equal("x", dimension.ParamName);
        Assert.Contains("the column count of the 3×4 op(A)", dimension.Message);

        Guard.RequireDestination(5, 5, "d");
        var destination = Assert.Throws<ArgumentException>(() => Guard.RequireDestination(4, 5, "d"));
        Assert.Equal("d", destination.ParamName);
        Assert.Contains("at least 5", destination.Message);
    }

    [Fact]
    public void Span_overlap_allows_exact_aliasing_only_where_asked()
    {
        float[] a = new float[10];
        Guard.RequireNoPartialOverlap<float>(a, "x", a, "y");
        Guard.RequireDisjoint<float>(a.AsSpan(0, 5), "x", a.AsSpan(5), "y");
        var shifted = Assert.Throws<ArgumentException>(() => Guard.RequireNoPartialOverlap<float>(a.AsSpan(0, 5), "x", a.AsSpan(2, 5), "y"));
        Assert.Equal("y", shifted.ParamName);
        Assert.Contains("offset of 2", shifted.Message);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Guard.RequireDisjoint<float>(a, "x", a, "y")).ParamName);
    }

    /// <summary>Two blocks of one parent (or of parents with different strides) against the set of elements each covers.</summary>
    [KernelProperty]
    public void Matrix_blocks_are_disjoint_exactly_when_they_share_no_element(
        NonNegativeInt inRows, NonNegativeInt inColumns, NonNegativeInt outRows, NonNegativeInt outColumns,
        NonNegativeInt offset, NonNegativeInt stridePad, bool sameStride)
    {
        int ir = inRows.Get % 5, ic = inColumns.Get % 6, or = outRows.Get % 5, oc = outColumns.Get % 6;
        int stride = Math.Max(ic, oc) + stridePad.Get % 4;
        int outStride = sameStride ? stride : stride + 1;
        int start = offset.Get % 30;
        float[] parent = new float[80];
        var covered = new HashSet<int>(from r in Enumerable.Range(0, ir) from c in Enumerable.Range(0, ic) select r * stride + c);
        bool shares = (from r in Enumerable.Range(0, or) from c in Enumerable.Range(0, oc) select start + r * outStride + c).Any(covered.Contains);
        // With different strides the guard is conservative: any overlap of the memory ranges counts.
        bool rangesOverlap = covered.Count > 0 && or * oc > 0
            && start < (ir - 1) * stride + ic && start + (or - 1) * outStride + oc > 0;
        bool expected = sameStride ? shares : rangesOverlap;
        var error = Record.Exception(() => Guard.RequireDisjoint(
            new ReadOnlyMatrixView<float>(parent, ir, ic, stride), "a", new ReadOnlyMatrixView<float>(parent.AsSpan(start), or, oc, outStride), "c"));
        Assert.Equal(expected, error is ArgumentException { ParamName: "c" });
    }

    [Fact]
    public void Scalars_must_be_finite_or_not_NaN_as_asked()
    {
        Guard.RequireFinite(1.5f, "alpha");
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireFinite(double.PositiveInfinity, "alpha")).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireFinite(float.NaN, "beta")).ParamName);
        Guard.RequireNotNaN(float.NegativeInfinity, "threshold");
        Assert.Equal("threshold", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireNotNaN(double.NaN, "threshold")).ParamName);
    }

    [Fact]
    public void Enum_values_must_be_declared()
    {
        Guard.RequireDefined(Contiguous.A, "kind");
        Guard.RequireDefined(Contiguous.C, "kind");
        Guard.RequireDefined(Sparse.High, "kind");
        foreach (Contiguous bad in new[] { (Contiguous)(-2), (Contiguous)2, (Contiguous)int.MinValue })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireDefined(bad, "kind"));
            Assert.Equal("kind", error.ParamName);
            Assert.Contains(nameof(Contiguous), error.Message);
        }
        foreach (Sparse bad in new[] { (Sparse)0, (Sparse)2, (Sparse)5, (Sparse)255 })
        {
            Assert.Equal("kind", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireDefined(bad, "kind")).ParamName);
        }
        // Agrees with the reflection answer on every value of a byte enum.
        for (int v = 0; v < 256; v++)
        {
            Assert.Equal(Enum.IsDefined((Sparse)v), Record.Exception(() => Guard.RequireDefined((Sparse)v, "kind")) is null);
        }
    }

    [Fact]
    public void Indices_must_lie_in_range()
    {
        Guard.RequireIndex(0, 1, "i", "data point");
        Guard.RequireAtLeast(1, 1, "buckets");
        var index = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireIndex(3, 3, "i", "data point"));
        Assert.Equal("i", index.ParamName);
        Assert.Contains("data point index in [0, 3)", index.Message);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireIndex(-1, 3, "i", "row")).ParamName);
        Assert.Equal("buckets", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireAtLeast(0, 1, "buckets")).ParamName);

        Guard.RequireAllBelow([0, 4, 2], 5, "indices");
        Guard.RequireAllBelow([], 0, "indices");
        var above = Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireAllBelow([0, 4, 5, 9], 5, "indices"));
        Assert.Equal("indices", above.ParamName);
        Assert.Contains("indices[2] is 5", above.Message);
        Assert.Contains("indices[1] is -3", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireAllBelow([1, -3], 5, "indices")).Message);
        Assert.Contains("indices[0] is 0", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireAllBelow([0], 0, "indices")).Message);
    }

    [Fact]
    public void Matrix_shapes_name_the_argument_and_the_expected_shape()
    {
        float[] data = new float[12];
        ReadOnlyMatrixView<float> M() => new(data, 3, 4);
        Guard.RequireShape(M(), 3, 4, "w", "unused");
        Guard.RequireColumns(M(), 4, "x", "unused");
        var shape = Assert.Throws<ArgumentException>(() => Guard.RequireShape(M(), 4, 3, "w", "outputs × inputs"));
        Assert.Equal("w", shape.ParamName);
        Assert.Contains("is 3×4; expected 4×3 (outputs × inputs)", shape.Message);
        var columns = Assert.Throws<ArgumentException>(() => Guard.RequireColumns(M(), 5, "x", "batch × inputs"));
        Assert.Equal("x", columns.ParamName);
        Assert.Contains("expected 5 columns (batch × inputs)", columns.Message);
        var square = Assert.Throws<ArgumentException>(() => Guard.RequireSquare(M(), "a"));
        Assert.Equal("a", square.ParamName);
        Assert.Contains("3×4", square.Message);

        Guard.RequireMatrix(12, 3, 4, 4, "data");
        Assert.Equal(9, Guard.RequiredLength(2, 4, 5));
        Assert.Equal(0, Guard.RequiredLength(0, 4, 5));
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => Guard.RequireMatrix(8, 2, 4, 5, "data")).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireMatrix(99, 2, 4, 3, "data")).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireMatrix(99, -1, 4, 4, "data")).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireMatrix(99, 1, -1, 4, "data")).ParamName);
        Assert.Equal("column", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireMatrixIndex(0, 4, 3, 4)).ParamName);
        Assert.Equal("columns", Assert.Throws<ArgumentOutOfRangeException>(() => Guard.RequireMatrixBlock(0, 2, 1, 3, 3, 4)).ParamName);
    }

    [Fact]
    public void Passing_checks_allocate_nothing()
    {
        float[] a = new float[16];
        int[] indices = [0, 1, 2, 3];
        Guard.RequireDefined(Sparse.Mid, "kind"); // builds the table of declared values once
        long allocated = Allocation.Measure(() =>
        {
            var m = new ReadOnlyMatrixView<float>(a, 4, 4);
            Guard.RequireLength(4, 4, "x", "x");
            Guard.RequireDisjoint<float>(a.AsSpan(0, 8), "x", a.AsSpan(8), "y");
            Guard.RequireDisjoint(m.Slice(0, 0, 2, 2), "a", m.Slice(0, 2, 2, 2), "b");
            Guard.RequireFinite(1.0, "alpha");
            Guard.RequireDefined(Sparse.Mid, "kind");
            Guard.RequireAllBelow(indices, 4, "indices");
            Guard.RequireShape(m, 4, 4, "m", "m");
        });
        Assert.Equal(0, allocated);
    }
}
