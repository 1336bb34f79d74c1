namespace Kernels.Testing;

/// <summary>
/// Non-asymptotic bounds for statistical tests, so that a stated false-failure probability is a proof rather than a
/// normal approximation: Bernstein's inequality for sample means of bounded variables and the
/// Dvoretzky–Kiefer–Wolfowitz inequality (Massart's constant) for Kolmogorov–Smirnov distances.
/// </summary>
public static class Statistics
{
    /// <summary>
    /// The t with P(|mean − μ| ≥ t) ≤ <paramref name="probability"/> for the mean of <paramref name="count"/>
    /// independent values of variance σ² with |X − μ| ≤ b always. Bernstein: P ≤ 2·exp(−n t² / (2σ² + 2bt/3));
    /// setting it to p and writing L = ln(2/p) gives n t² − (2bL/3)·t − 2σ²L = 0, whose positive root is returned.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is below 1, the variance or bound is negative or not finite, or the probability is outside (0, 1).</exception>
    public static double BernsteinDeviation(long count, double variance, double bound, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        RequireNonNegative(variance, nameof(variance));
        RequireNonNegative(bound, nameof(bound));
        RequireProbability(probability);
        double log = Math.Log(2 / probability);
        double linear = 2 * bound * log / 3;
        return (linear + Math.Sqrt(linear * linear + 8.0 * count * variance * log)) / (2.0 * count);
    }

    /// <summary>
    /// The ε with P(sup |Fₙ − F| &gt; ε) ≤ <paramref name="probability"/> for the empirical CDF of
    /// <paramref name="count"/> independent draws from F: DKW–Massart, P ≤ 2·exp(−2nε²), so ε = √(ln(2/p) / 2n).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">count is below 1 or the probability is outside (0, 1).</exception>
    public static double KolmogorovDeviation(long count, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        RequireProbability(probability);
        return Math.Sqrt(Math.Log(2 / probability) / (2.0 * count));
    }

    /// <summary>sup |Fₙ − F| for an ascending sample: the empirical CDF jumps from i/n to (i+1)/n at the i-th value.</summary>
    public static double KolmogorovDistance(ReadOnlySpan<double> ascending, Func<double, double> cdf)
    {
        double n = ascending.Length, distance = 0;
        for (int i = 0; i < ascending.Length; i++)
        {
            double f = cdf(ascending[i]);
            distance = Math.Max(distance, Math.Max((i + 1) / n - f, f - i / n));
        }
        return distance;
    }

    /// <summary>
    /// Standard normal CDF Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …) (Marsaglia, "Evaluating the normal distribution",
    /// JSS 2004): every term has the sign of x, so the sum has no cancellation; absolute error about 1e-15.
    /// Beyond |x| = 9, Φ is within 1e-18 of 0 or 1.
    /// </summary>
    public static double NormalCdf(double x)
    {
        if (Math.Abs(x) > 9)
        {
            return x < 0 ? 0 : 1;
        }
        double sum = x, term = x, square = x * x;
        for (int k = 1; Math.Abs(term) > 1e-17 * Math.Abs(sum); k++)
        {
            term *= square / (2 * k + 1);
            sum += term;
        }
        return 0.5 + Math.Exp(-0.5 * square) / Math.Sqrt(2 * Math.PI) * sum;
    }

    /// <summary>
    /// The median of <paramref name="groups"/> group means, each of perGroup = ⌊n / groups⌋ of the n independent values of
    /// variance at most σ² (nothing else assumed: the values may be unbounded). Returns the median and the deviation
    /// t = 2σ/√perGroup it may exceed with probability at most exp(−groups/8): by Chebyshev a group mean is t away from
    /// the mean with probability at most ¼, and the median is only if half the groups are, which Hoeffding bounds by
    /// exp(−2·groups·(½ − ¼)²).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">groups is below 1 or above the number of values, or the variance is negative or not finite.</exception>
    public static (double Median, double Deviation) MedianOfMeans(ReadOnlySpan<double> values, int groups, double variance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(groups, values.Length);
        RequireNonNegative(variance, nameof(variance));
        int perGroup = values.Length / groups;
        var means = new double[groups];
        for (int g = 0; g < groups; g++)
        {
            double sum = 0;
            foreach (double v in values.Slice(g * perGroup, perGroup))
            {
                sum += v;
            }
            means[g] = sum / perGroup;
        }
        Array.Sort(means);
        double median = groups % 2 == 1 ? means[groups / 2] : 0.5 * (means[groups / 2 - 1] + means[groups / 2]);
        return (median, 2 * Math.Sqrt(variance / perGroup));
    }

    /// <summary>The groups <see cref="MedianOfMeans"/> needs for a false-failure probability of at most <paramref name="probability"/>: ⌈8·ln(1/p)⌉, made odd.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The probability is outside (0, 1).</exception>
    public static int MedianOfMeansGroups(double probability)
    {
        RequireProbability(probability);
        int groups = (int)Math.Ceiling(8 * Math.Log(1 / probability));
        return groups | 1;
    }

    /// <summary>
    /// The smallest k with P(X &gt; k) ≤ <paramref name="probability"/> for X ~ Binomial(<paramref name="trials"/>,
    /// <paramref name="success"/>), from the exact probability mass function (summed from the top, so the tail keeps its
    /// relative accuracy): a count of events of probability at most p that exceeds k has false-alarm probability below
    /// the one given, since the tail only grows with p.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">trials is negative, success is outside [0, 1), or the probability is outside (0, 1).</exception>
    public static int BinomialUpperQuantile(int trials, double success, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (!(success >= 0 && success < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(success), success, "success must be in [0, 1).");
        }
        RequireProbability(probability);
        var mass = new double[trials + 1];
        mass[0] = Math.Pow(1 - success, trials);
        for (int k = 0; k < trials; k++)
        {
            mass[k + 1] = mass[k] * (trials - k) / (k + 1) * success / (1 - success);
        }
        double tail = 0;
        for (int k = trials; k >= 1; k--)
        {
            // tail = P(X ≥ k) = P(X > k − 1)
            tail += mass[k];
            if (tail > probability)
            {
                return k;
            }
        }
        return 0;
    }

    private static void RequireProbability(double probability)
    {
        if (!(probability > 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "probability must be in (0, 1).");
        }
    }

    private static void RequireNonNegative(double value, string name)
    {
        if (!(double.IsFinite(value) && value >= 0))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }
}
