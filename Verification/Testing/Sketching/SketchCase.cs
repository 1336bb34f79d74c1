using System.Numerics;
using Kernels.Sketching.Operators;

namespace Kernels.Testing;

/// <summary>The sketch operators under test.</summary>
public enum SketchKind
{
    /// <summary><see cref="CountSketch{T}"/>.</summary>
    CountSketch,

    /// <summary><see cref="SparseEmbedding{T}"/> with <see cref="SketchCase.Nonzeros"/> nonzeros per column.</summary>
    SparseEmbedding,

    /// <summary><see cref="GaussianSketch{T}"/>.</summary>
    Gaussian,

    /// <summary><see cref="Srht{T}"/>.</summary>
    Srht,
}

/// <summary>
/// A generated sketching problem: an operator kind and shape s × N, the width d of the sketched matrix, the nonzeros
/// per column (OSNAP; clamped to s), and a seed for both the operator and the data.
/// </summary>
public sealed record SketchCase(SketchKind Kind, int Rows, int Columns, int Width, int Nonzeros, int Seed)
{
    /// <summary>The distribution of the case (rows clamped to what the kind allows).</summary>
    public SketchDistribution Distribution() => Of(Kind, Rows, Columns, Nonzeros);

    /// <summary>The distribution of a kind and shape; OSNAP's nonzeros are clamped to s, SRHT's rows to N'.</summary>
    public static SketchDistribution Of(SketchKind kind, int rows, int columns, int nonzeros = 3) => kind switch
    {
        SketchKind.CountSketch => new CountSketchDistribution(rows, columns),
        SketchKind.SparseEmbedding => new SparseEmbeddingDistribution(rows, columns, Math.Clamp(nonzeros, 1, rows)),
        SketchKind.Gaussian => new GaussianDistribution(rows, columns),
        _ => new SrhtDistribution(Math.Min(rows, (int)BitOperations.RoundUpToPowerOf2((uint)columns)), columns),
    };

    /// <summary>The operator of the case.</summary>
    public ISketch<T> Sketch<T>() where T : unmanaged, IFloatingPointIeee754<T> => Distribution().Sample<T>((ulong)Seed);

    /// <inheritdoc/>
    public override string ToString() => $"SketchCase({Kind}, {Rows}×{Columns}, d={Width}, t={Nonzeros}, seed={Seed})";
}
