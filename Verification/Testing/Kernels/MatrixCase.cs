using System.Numerics;
using Kernels.Blas;

namespace Kernels.Testing;

/// <summary>
/// A generated matrix product problem: op(A) is Rows × Depth, op(B) is Depth × Columns, every operand stored with
/// <see cref="ExtraStride"/> spare columns per row, and the data drawn from <see cref="Seed"/>.
/// </summary>
public sealed record MatrixCase(int Rows, int Columns, int Depth, int ExtraStride, Transpose TransA, Transpose TransB, int Seed)
{
    /// <summary>Stored shape of A: op(A) = A is Rows × Depth, op(A) = Aᵀ stores Depth × Rows.</summary>
    public (int Rows, int Columns) StoredA => TransA == Transpose.None ? (Rows, Depth) : (Depth, Rows);

    /// <summary>Stored shape of B.</summary>
    public (int Rows, int Columns) StoredB => TransB == Transpose.None ? (Depth, Columns) : (Columns, Depth);

    /// <summary>A stored matrix of the given shape with the case's stride padding, filled from a seed (padding holds NaN so that reading it shows).</summary>
    public T[] Stored<T>((int Rows, int Columns) shape, int stream, out int stride) where T : unmanaged, IFloatingPointIeee754<T>
    {
        stride = shape.Columns + ExtraStride;
        var random = new System.Random(Seed * 7 + stream);
        var data = new T[Math.Max(0, shape.Rows * stride)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i % stride < shape.Columns ? T.CreateChecked(random.NextDouble() * 2 - 1) : T.NaN;
        }
        return data;
    }

    /// <inheritdoc/>
    public override string ToString() => $"MatrixCase({Rows}×{Depth} · {Depth}×{Columns}, stride +{ExtraStride}, {TransA}/{TransB}, seed={Seed})";
}
