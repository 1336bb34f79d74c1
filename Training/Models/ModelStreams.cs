using Kernels.Randomness;

namespace Kernels.Training.Models;

/// <summary>
/// The random streams a <see cref="TwoLayerShiftedRelu"/> draws from its user seed s, by the library's seed rule:
/// <c>CounterRandom(CounterRandom.Derive(s, Purpose("srelu")), stream)</c>, stream 0 for the signs a and 1 for the
/// weights W, so the model never shares random numbers with another component built from the same seed.
/// </summary>
internal static class ModelStreams
{
    /// <summary>The purpose this derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong Purpose = CounterRandom.Purpose("srelu");

    /// <summary>The stream of the output signs a.</summary>
    public static CounterRandom Signs(ulong seed) => new(CounterRandom.Derive(seed, Purpose), 0);

    /// <summary>The stream of the initial weights W.</summary>
    public static CounterRandom Weights(ulong seed) => new(CounterRandom.Derive(seed, Purpose), 1);
}
