namespace Kernels.Verification.Testing;

/// <summary>The kit's tolerance rule: a growth that is negative or not finite, or a NaN magnitude, would make every bound meaningless, so they throw.</summary>
public sealed class ToleranceTests
{
    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        Assert.Equal("growth", Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.AssertClose(1f, 1, 1, -1, "c")).ParamName);
        Assert.Equal("growth", Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.AssertClose(1f, 1, 1, double.PositiveInfinity, "c")).ParamName);
        Assert.Equal("magnitude", Assert.Throws<ArgumentOutOfRangeException>(() => Tolerance.AssertClose(1f, 1, double.NaN, 2, "c")).ParamName);
        Tolerance.AssertClose(1f, 1, 1, 2, "an exact value passes");
        Assert.ThrowsAny<Exception>(() => Tolerance.AssertClose(1.5f, 1, 1, 2, "an error of 0.5 against a bound of about 2.4e-7 fails"));
    }
}
