using System.Numerics;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;

namespace Kernels.Testing;

/// <summary>
/// A generated HashedNets layer problem: the layer's shape (inputs × outputs, B buckets), its options (sign hash, bias),
/// the hash family, a batch size and a seed for the hash, the parameters and the data.
/// </summary>
public sealed record HashedLinearCase(int Inputs, int Outputs, int Buckets, int Batch, bool Signed, bool Bias, HashFamily Family, int Seed)
{
    /// <summary>The layer of the case, with parameters drawn uniformly from [−1, 1].</summary>
    public HashedLinear<T> Layer<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = new HashedLinear<T>(Inputs, Outputs, Buckets, HashCase.Draw(Family, (ulong)Seed, 3), Signed, Bias);
        layer.InitializeUniform(T.One, (ulong)Seed + 1);
        return layer;
    }

    /// <summary>The inputs X (batch × inputs), uniform in [−1, 1].</summary>
    public T[] InputData<T>() where T : unmanaged, IFloatingPointIeee754<T> => SampleData.Matrix<T>(Batch, Inputs, Seed + 2);

    /// <summary>An output gradient dY (batch × outputs), uniform in [−1, 1].</summary>
    public T[] OutputGradient<T>() where T : unmanaged, IFloatingPointIeee754<T> => SampleData.Matrix<T>(Batch, Outputs, Seed + 3);

    /// <inheritdoc/>
    public override string ToString() =>
        $"HashedLinearCase({Outputs}×{Inputs}, B={Buckets}, batch={Batch}, {(Signed ? "signed" : "unsigned")}, {(Bias ? "bias" : "no bias")}, {Family}, seed={Seed})";
}
