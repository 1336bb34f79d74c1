namespace Kernels.Training.Models;

/// <summary>One fully connected layer of an <see cref="Mlp"/>: its output width and how its weights are stored.</summary>
/// <param name="Outputs">The layer's output width, at least 1.</param>
/// <param name="Buckets">0 for a dense layer (<see cref="Kernels.Layers.Linear{T}"/>, inputs·outputs weights); otherwise a
/// HashedNets layer (<see cref="Kernels.Sketching.Layers.HashedLinear{T}"/>) sharing this many real weights, from 1 to inputs·outputs.</param>
public readonly record struct MlpLayerSpec(int Outputs, int Buckets = 0)
{
    /// <summary>Whether the layer is a HashedNets layer.</summary>
    public bool IsHashed => Buckets > 0;
}
