using Kernels.Blas;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>The execution options: how many threads a call of a given size may use.</summary>
public sealed class BlasOptionsTests
{
    [Fact]
    public void ThreadsFor_uses_one_thread_below_the_threshold_and_never_more_than_the_cap_or_the_parts()
    {
        var options = new BlasOptions { MaxThreads = 4, ParallelThreshold = 1000 };
        Assert.Equal(1, options.ThreadsFor(999, 16));
        Assert.Equal(4, options.ThreadsFor(1000, 16));
        Assert.Equal(3, options.ThreadsFor(1L << 40, 3));
        Assert.Equal(1, options.ThreadsFor(1L << 40, 0));
        Assert.Equal("parts", Assert.Throws<ArgumentOutOfRangeException>(() => options.ThreadsFor(5, -1)).ParamName);
        Assert.Equal("multiplyAdds", Assert.Throws<ArgumentOutOfRangeException>(() => options.ThreadsFor(-5, 1)).ParamName);
    }
}
