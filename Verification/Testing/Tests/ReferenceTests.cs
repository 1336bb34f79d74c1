namespace Kernels.Verification.Testing;

/// <summary>The kit's exact references refuse arguments they cannot answer for, naming the argument, before reading anything.</summary>
public sealed class ReferenceTests
{
    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        float[] x = [1, 2, 3];
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Reference.Dot<float>(x, x.AsSpan(0, 2))).ParamName);
        Assert.Equal("strideA", Assert.Throws<ArgumentOutOfRangeException>(() => Reference.ProductElement<float>(x, -1, false, x, 1, false, 1, 0, 0)).ParamName);
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => Reference.ProductElement<float>(x, 1, false, x, 1, false, 1, -1, 0)).ParamName);
        // a is 1 × 3 with depth 3: element (1, 0) would read a[3], past its end.
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Reference.ProductElement<float>(x, 3, false, x, 1, false, 3, 1, 0)).ParamName);
        // The largest valid element reads the last entries exactly.
        Assert.Equal(1 * 1 + 2 * 2 + 3 * 3, Reference.ProductElement<float>(x, 3, false, x, 1, false, 3, 0, 0).Value);
    }
}
