namespace Kernels.Sketching.Diagnostics;

/// <summary>How evenly a hash function spread <see cref="Keys"/> keys over <see cref="Buckets"/> buckets.</summary>
/// <param name="Keys">N: the keys hashed.</param>
/// <param name="Buckets">B: the buckets.</param>
/// <param name="MinLoad">The fewest keys in any bucket.</param>
/// <param name="MaxLoad">The most keys in any bucket.</param>
public readonly record struct BucketLoadStatistics(long Keys, int Buckets, long MinLoad, long MaxLoad)
{
    /// <summary>N/B: every bucket's expected load.</summary>
    public double ExpectedLoad => (double)Keys / Buckets;

    /// <summary>MinLoad / (N/B).</summary>
    public double MinRatio => MinLoad / ExpectedLoad;

    /// <summary>MaxLoad / (N/B).</summary>
    public double MaxRatio => MaxLoad / ExpectedLoad;

    /// <summary>True when every load lies in [(1 − δ)·N/B, (1 + δ)·N/B]; Lemma 4.1 of the paper states δ = 0.1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="relativeDeviation"/> is negative or not finite.</exception>
    public bool IsWithin(double relativeDeviation)
    {
        if (!(double.IsFinite(relativeDeviation) && relativeDeviation >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeDeviation), relativeDeviation, "The relative deviation must be finite and non-negative.");
        }
        return MinLoad >= (1 - relativeDeviation) * ExpectedLoad && MaxLoad <= (1 + relativeDeviation) * ExpectedLoad;
    }
}
