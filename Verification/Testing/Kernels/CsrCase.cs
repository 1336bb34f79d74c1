using System.Numerics;
using Kernels.Sparse;

namespace Kernels.Testing;

/// <summary>
/// A generated sparse matrix, described by a few small numbers so that FsCheck can shrink it and print it: its shape,
/// the percentage of positions that hold a stored entry, the kind of values and a data seed.
/// </summary>
/// <remarks>
/// Stored values are drawn from <see cref="ValueKind"/>, so <see cref="ValueKind.Special"/> stores explicit zeros,
/// subnormals and large magnitudes. Float and double builds of one case have the same structure.
/// </remarks>
public sealed record CsrCase(int Rows, int Columns, int DensityPercent, ValueKind Kind, int Seed)
{
    /// <summary>The CSR arrays of the case and, built alongside without the library, the same matrix dense and row-major.</summary>
    public CsrParts<T> Parts<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(Seed);
        var dense = new T[Rows * Columns];
        var rowPointers = new int[Rows + 1];
        var columns = new List<int>();
        var values = new List<T>();
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Columns; c++)
            {
                if (random.Next(100) < DensityPercent)
                {
                    T v = SampleData.Draw<T>(random, Kind);
                    columns.Add(c);
                    values.Add(v);
                    dense[r * Columns + c] = v;
                }
            }
            rowPointers[r + 1] = columns.Count;
        }
        return new CsrParts<T>(rowPointers, columns.ToArray(), values.ToArray(), dense);
    }

    /// <summary>The matrix, through the public constructor, and its dense twin.</summary>
    public (CsrMatrix<T> Sparse, T[] Dense) Build<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsrParts<T> p = Parts<T>();
        return (new CsrMatrix<T>(Rows, Columns, p.RowPointers, p.ColumnIndices, p.Values), p.Dense);
    }

    /// <inheritdoc/>
    public override string ToString() => $"CsrCase({Rows}×{Columns}, {DensityPercent}% stored, {Kind}, seed={Seed})";
}

/// <summary>The arrays of a <see cref="CsrCase"/>: CSR form and the dense row-major equivalent.</summary>
public sealed record CsrParts<T>(int[] RowPointers, int[] ColumnIndices, T[] Values, T[] Dense);
