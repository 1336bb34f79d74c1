using Kernels.Randomness;

namespace Kernels.Training.Models;

/// <summary>
/// The random streams a model draws from its seed. Each purpose has its own stream, so the signs and the weights
/// of one model never share random numbers.
/// </summary>
internal static class ModelStreams
{
    /// <summary>The stream of the output signs a.</summary>
    public static CounterRandom Signs(ulong seed) => new(seed, 0x5349474E53); // "SIGNS"

    /// <summary>The stream of the initial weights W.</summary>
    public static CounterRandom Weights(ulong seed) => new(seed, 0x57454947485453); // "WEIGHTS"
}
