using System.Numerics;
using Kernels.Sketching.Layers;

namespace Kernels.Testing;

/// <summary>
/// A generated sketched-layer problem: the sketch kind and shape (s × inputs, OSNAP's nonzeros per column), the output
/// width, the bias option, a batch size and a seed for the sketch, the parameters and the data.
/// </summary>
public sealed record SketchedLinearCase(SketchKind Kind, int SketchRows, int Inputs, int Outputs, int Nonzeros, int Batch, bool Bias, int Seed)
{
    /// <summary>The layer of the case, with parameters drawn uniformly from [−1, 1].</summary>
    public SketchedLinear<T> Layer<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = new SketchedLinear<T>(SketchCase.Of(Kind, SketchRows, Inputs, Nonzeros).Sample<T>((ulong)Seed), Outputs, Bias);
        layer.InitializeUniform(T.One, (ulong)Seed + 1);
        return layer;
    }

    /// <summary>The inputs X (batch × inputs), uniform in [−1, 1].</summary>
    public T[] InputData<T>() where T : unmanaged, IFloatingPointIeee754<T> => SampleData.Matrix<T>(Batch, Inputs, Seed + 2);

    /// <summary>An output gradient dY (batch × outputs), uniform in [−1, 1].</summary>
    public T[] OutputGradient<T>() where T : unmanaged, IFloatingPointIeee754<T> => SampleData.Matrix<T>(Batch, Outputs, Seed + 3);

    /// <inheritdoc/>
    public override string ToString() =>
        $"SketchedLinearCase({Kind}, S {SketchRows}×{Inputs}, outputs={Outputs}, t={Nonzeros}, batch={Batch}, {(Bias ? "bias" : "no bias")}, seed={Seed})";
}
