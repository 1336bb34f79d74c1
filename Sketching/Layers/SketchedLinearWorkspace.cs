using System.Numerics;
using Kernels.Blas;

namespace Kernels.Sketching.Layers;

/// <summary>
/// Scratch of one <see cref="SketchedLinear{T}"/> for batches of up to <see cref="MaxBatch"/> rows: the transposed inputs
/// (inputs × batch), the sketched inputs Zᵀ = S·Xᵀ (s × batch) that <see cref="SketchedLinear{T}.Forward"/> saves for
/// <see cref="SketchedLinear{T}.BackwardParameters"/>, and the sketched output gradient (s × batch). Passing one to every
/// call makes the passes allocation-free. Not safe for concurrent use.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SketchedLinearWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _transposed;
    private readonly T[] _sketched;
    private readonly T[] _sketchedGradient;

    /// <summary>Allocates scratch for <paramref name="layer"/> and batches of up to <paramref name="maxBatch"/> rows.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="layer"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBatch"/> is below 1.</exception>
    public SketchedLinearWorkspace(SketchedLinear<T> layer, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        Layer = layer;
        MaxBatch = maxBatch;
        _transposed = new T[(long)layer.Inputs * maxBatch];
        _sketched = new T[(long)layer.SketchSize * maxBatch];
        _sketchedGradient = new T[(long)layer.SketchSize * maxBatch];
    }

    /// <summary>The largest batch the workspace serves.</summary>
    public int MaxBatch { get; }

    /// <summary>The layer the workspace belongs to.</summary>
    internal SketchedLinear<T> Layer { get; }

    /// <summary>The batch size of the sketched inputs saved by the last forward pass; −1 before the first.</summary>
    internal int SketchedBatch { get; set; } = -1;

    /// <summary>Inputs × batch: Xᵀ in the forward pass, dXᵀ in the input gradient.</summary>
    internal MatrixView<T> Transposed(int batch) => new(_transposed, Layer.Inputs, batch);

    /// <summary>s × batch: Zᵀ = S·Xᵀ, saved from the forward pass.</summary>
    internal MatrixView<T> Sketched(int batch) => new(_sketched, Layer.SketchSize, batch);

    /// <summary>s × batch: P·dYᵀ in the input gradient.</summary>
    internal MatrixView<T> SketchedGradient(int batch) => new(_sketchedGradient, Layer.SketchSize, batch);
}
