namespace Kernels.Sketching.Diagnostics;

/// <summary>
/// The smallest and largest ratio ‖Sxᵢ − Sxⱼ‖² / ‖xᵢ − xⱼ‖² over the pairs of points that were compared.
/// The Johnson–Lindenstrauss lemma asks for every ratio in (1 − ε, 1 + ε).
/// </summary>
/// <param name="Min">The smallest ratio (+∞ when no pair was compared).</param>
/// <param name="Max">The largest ratio (−∞ when no pair was compared).</param>
/// <param name="Pairs">The pairs compared: those of distinct original points.</param>
public readonly record struct DistanceRatioRange(double Min, double Max, int Pairs)
{
    /// <summary>True when every ratio lies strictly inside (1 − ε, 1 + ε).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative or not finite.</exception>
    public bool IsWithin(double epsilon)
    {
        if (!(double.IsFinite(epsilon) && epsilon >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and non-negative.");
        }
        return Min > 1 - epsilon && Max < 1 + epsilon;
    }
}
