namespace Kernels.Bench.Harness;

/// <summary>
/// The difference of two means measured once per seed on each side, with Welch's standard error
/// √(s₁²/n₁ + s₂²/n₂), the Welch–Satterthwaite degrees of freedom and the 95 % interval difference ± t₀.₉₇₅(ν)·SE:
/// what a comparison against a peer needs to say whether a target gap is met, missed, or not resolved at its seed count.
/// </summary>
public readonly record struct WelchDifference(double Difference, double StandardError, double DegreesOfFreedom, double Low, double High)
{
    /// <summary>mean(<paramref name="first"/>) − mean(<paramref name="second"/>) and its 95 % Welch interval; each side needs at least 2 values.</summary>
    /// <exception cref="ArgumentException">A side has fewer than 2 values.</exception>
    public static WelchDifference Of(IReadOnlyCollection<double> first, IReadOnlyCollection<double> second)
    {
        if (first.Count < 2 || second.Count < 2)
        {
            throw new ArgumentException($"Welch's interval needs at least 2 values per side, got {first.Count} and {second.Count}.", nameof(first));
        }
        var a = SeedSpread.Of(first);
        var b = SeedSpread.Of(second);
        double va = a.StandardDeviation * a.StandardDeviation / a.Seeds, vb = b.StandardDeviation * b.StandardDeviation / b.Seeds;
        double se = Math.Sqrt(va + vb);
        double nu = se == 0 ? double.PositiveInfinity : (va + vb) * (va + vb) / (va * va / (a.Seeds - 1) + vb * vb / (b.Seeds - 1));
        double half = StudentQuantile975(nu) * se;
        double difference = a.Mean - b.Mean;
        return new WelchDifference(difference, se, nu, difference - half, difference + half);
    }

    /// <summary>
    /// "met" when the whole interval lies within ±<paramref name="tolerance"/>, "not met" when it lies wholly above it
    /// (the first side worse by more than the tolerance), "better" when wholly below −tolerance, and otherwise "not
    /// distinguishable at these seed counts".
    /// </summary>
    public string Verdict(double tolerance) =>
        Low >= -tolerance && High <= tolerance ? "met" :
        Low > tolerance ? "not met" :
        High < -tolerance ? "better than the peer by more than the tolerance" :
        "not distinguishable at these seed counts";

    /// <summary>
    /// The 0.975 quantile of Student's t with ν degrees of freedom (ν ≥ 1, fractional allowed), by the Cornish–Fisher
    /// expansion about the normal quantile (Abramowitz–Stegun 26.7.5): within 0.001 of the exact value for ν ≥ 4
    /// (2.7756 against 2.7764 at ν = 4, 2.1314 at 15, 2.0423 at 30); below 4, linear between the exact values at whole ν.
    /// </summary>
    public static double StudentQuantile975(double nu)
    {
        if (!(nu >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(nu), nu, "At least 1 degree of freedom.");
        }
        if (nu < 4)
        {
            // Below 4 the expansion is poor; the interval then is wide anyway, so interpolate the exact values linearly.
            double[] exact = [12.7062, 4.3027, 3.1824, 2.7764];
            int i = (int)Math.Floor(nu) - 1;
            return exact[i] + (exact[i + 1] - exact[i]) * (nu - Math.Floor(nu));
        }
        const double z = 1.959963984540054;
        double z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu);
    }
}
