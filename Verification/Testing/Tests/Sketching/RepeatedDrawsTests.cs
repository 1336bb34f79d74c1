using Xunit.Sdk;

namespace Kernels.Verification.Testing.Sketching;

/// <summary><see cref="RepeatedDraws"/>: the allowed failure count is the binomial quantile, summed here term by term.</summary>
public sealed class RepeatedDrawsTests
{
    [Theory]
    [InlineData(20, 0.0366, 1e-6)]
    [InlineData(100, 0.01, 1e-3)]
    [InlineData(5, 1e-9, 1e-6)]
    public void Allowed_failures_is_the_smallest_count_whose_tail_is_below_the_false_alarm(int draws, double drawFailure, double falseAlarm)
    {
        int allowed = RepeatedDraws.AllowedFailures(draws, drawFailure, falseAlarm);
        Assert.True(BinomialTail(draws, drawFailure, allowed + 1) <= falseAlarm);
        Assert.True(allowed == 0 || BinomialTail(draws, drawFailure, allowed) > falseAlarm);
    }

    [Fact]
    public void Assert_fails_only_past_the_allowed_count()
    {
        int allowed = RepeatedDraws.AllowedFailures(20, 0.1, 1e-3);
        RepeatedDraws.Assert(20, 0.1, 1e-3, Enumerable.Repeat("bad", allowed).ToArray(), "at the limit");
        var error = Assert.Throws<XunitException>(() => RepeatedDraws.Assert(20, 0.1, 1e-3, Enumerable.Repeat("bad", allowed + 1).ToArray(), "past it"));
        Assert.Contains("past it", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>("draws", () => RepeatedDraws.Assert(2, 0.1, 1e-3, ["a", "b", "c"], "more failures than draws"));
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(n, p), by the textbook sum.</summary>
    private static double BinomialTail(int n, double p, int k)
    {
        double tail = 0;
        for (int j = k; j <= n; j++)
        {
            double log = LogChoose(n, j) + j * Math.Log(p) + (n - j) * Math.Log(1 - p);
            tail += Math.Exp(log);
        }
        return tail;
    }

    private static double LogChoose(int n, int k)
    {
        double sum = 0;
        for (int i = 1; i <= k; i++)
        {
            sum += Math.Log(n - k + i) - Math.Log(i);
        }
        return sum;
    }
}
