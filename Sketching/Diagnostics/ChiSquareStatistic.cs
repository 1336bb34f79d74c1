namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// Pearson's statistic X² = Σ (O − E)²/E of <see cref="Trials"/> independent trials over <see cref="Cells"/> cells that
/// should be equally likely, with a bound that a uniform law exceeds with a stated probability for any trial count.
/// </summary>
/// <param name="Value">X².</param>
/// <param name="Cells">C: the number of cells.</param>
/// <param name="Trials">T: the number of trials.</param>
public readonly record struct ChiSquareStatistic(double Value, int Cells, long Trials)
{
    /// <summary>C − 1, the degrees of freedom of the asymptotic χ² law.</summary>
    public int DegreesOfFreedom => Cells - 1;

    /// <summary>
    /// A bound U with P(X² &gt; U) ≤ <paramref name="falseAlarmProbability"/> when the cells are equally likely:
    /// U = (√(C − 1 + <paramref name="bias"/>) + √(C·ln(1/p)))².
    /// </summary>
    /// <remarks>
    /// Proof: D = √X² = ‖O − E‖₂/√E with E = T/C. Changing one trial moves one count down and one up, which changes D by
    /// at most √2/√E, so McDiarmid's inequality gives P(D ≥ E[D] + t) ≤ exp(−2t²/(T·2/E)) = exp(−t²/C); and
    /// E[D] ≤ √E[X²] = √(C − 1) for equally likely cells. When cell probabilities are 1/C + δ_c, E[X²] grows by at most
    /// T·C·Σδ_c², which <paramref name="bias"/> carries. The bound is valid for every T, unlike the χ² approximation.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The probability is not in (0, 1), or the bias is negative or not finite.</exception>
    public double UpperBound(double falseAlarmProbability, double bias = 0)
    {
        if (!(falseAlarmProbability > 0 && falseAlarmProbability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falseAlarmProbability), falseAlarmProbability, "The probability must be in (0, 1).");
        }
        ArgumentOutOfRangeException.ThrowIfNegative(bias);
        ArgumentOutOfRangeException.ThrowIfEqual(bias, double.PositiveInfinity);
        double root = Math.Sqrt(Cells - 1 + bias) + Math.Sqrt(Cells * Math.Log(1 / falseAlarmProbability));
        return root * root;
    }

    /// <summary>True when X² does not exceed <see cref="UpperBound"/>.</summary>
    public bool IsConsistentWithUniform(double falseAlarmProbability, double bias = 0) => Value <= UpperBound(falseAlarmProbability, bias);
}
