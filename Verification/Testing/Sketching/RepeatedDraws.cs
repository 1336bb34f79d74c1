using Xunit.Sdk;

namespace Kernels.Testing;

/// <summary>
/// The acceptance rule shared by the sketch assertions: a randomized guarantee "each draw fails with probability at
/// most δ" is checked on independent draws, and the check fails only when more draws fail than a correct construction
/// produces with probability above the false-alarm probability p.
/// </summary>
/// <remarks>
/// With D independent draws each failing with probability at most δ, the number of failures is dominated by
/// Binomial(D, δ); <see cref="Statistics.BinomialUpperQuantile"/> gives the smallest k with P(X &gt; k) ≤ p, so a
/// correct construction exceeds k failures with probability at most p, whatever its true failure rate below δ.
/// </remarks>
public static class RepeatedDraws
{
    /// <summary>
    /// Throws when more of the <paramref name="draws"/> independent draws failed (<paramref name="failures"/> describes
    /// each failed one) than allowed: false-alarm probability at most <paramref name="falseAlarm"/> when every draw fails
    /// with probability at most <paramref name="drawFailure"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draws"/> is below 1 or below the failure count, or a probability is outside (0, 1).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="failures"/> is null.</exception>
    /// <exception cref="XunitException">More draws failed than allowed.</exception>
    public static void Assert(int draws, double drawFailure, double falseAlarm, IReadOnlyList<string> failures, string context)
    {
        int allowed = AllowedFailures(draws, drawFailure, falseAlarm);
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, failures.Count);
        if (failures.Count > allowed)
        {
            throw new XunitException(
                $"{context}: {failures.Count} of {draws} draws failed, more than the {allowed} a correct construction " +
                $"(each draw failing with probability ≤ {drawFailure:G3}) exceeds with probability ≤ {falseAlarm:G3}. " +
                string.Join("; ", failures.Take(5)));
        }
    }

    /// <summary>The largest number of failed draws <see cref="Assert"/> accepts: the Binomial(draws, drawFailure) quantile at <paramref name="falseAlarm"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="draws"/> is below 1, or a probability is outside (0, 1).</exception>
    public static int AllowedFailures(int draws, double drawFailure, double falseAlarm)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 1);
        RequireProbability(drawFailure, nameof(drawFailure));
        RequireProbability(falseAlarm, nameof(falseAlarm));
        return Statistics.BinomialUpperQuantile(draws, drawFailure, falseAlarm);
    }

    /// <summary>Throws unless <paramref name="value"/> lies in (0, 1).</summary>
    internal static void RequireProbability(double value, string name)
    {
        if (!(value > 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a probability in (0, 1).");
        }
    }
}
