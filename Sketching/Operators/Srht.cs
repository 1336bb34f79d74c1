using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A sampled subsampled randomized Hadamard transform S = √(1/s)·P·H·D (see <see cref="SrhtDistribution"/>): S·x flips
/// signs, zero-pads to N', applies the in-place <see cref="WalshHadamard"/> transform and keeps s coordinates.
/// Applying it costs O(N' log N') per column.
/// </summary>
/// <remarks>
/// <para><b>Sampling.</b> With d = <c>CounterRandom.Derive(seed, Purpose("srht"))</c> (the README's seed rule), the sign
/// of input j is −1 when the top bit of raw word j of <c>CounterRandom(d, 0)</c> is set; signs are regenerated, 256 at a
/// time, wherever they are needed. The s rows are chosen by selection sampling (Knuth's Algorithm S) over the N'
/// candidates with the uniform doubles of <c>CounterRandom(d, 1)</c>:
/// candidate t is kept when (N' − t)·u_t &lt; (rows still needed), which keeps exactly s rows, each s-subset equally
/// likely; they are kept in ascending order, and only they (s integers) are stored.</para>
/// <para><b>Padding.</b> An input length N that is not a power of two is zero-padded to N', so S is s × N made of
/// the first N columns of the s × N' transform. Dense and sparse operands are copied into an N' × d scratch
/// matrix from the array pool and transformed along its rows; a general <see cref="Kernels.Solvers.ILinearMap{T}"/> goes
/// through the blocked Aᵀ·Sᵀ path of <see cref="ISketch{T}"/>.</para>
/// <para>See <see cref="ISketch{T}"/> for determinism: every element is produced by additions in a fixed order and one
/// final scaling, so all paths give the same bits. Products run on the calling thread (the options are accepted and
/// ignored).</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Srht<T> : SketchOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int SignChunk = 256;

    /// <summary>The purpose the operator derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("srht");

    private readonly CounterRandom _signs;
    private readonly int[] _sampledRows;
    private readonly T _scale;

    internal Srht(SrhtDistribution distribution, ulong seed) : base(distribution.Rows, distribution.Columns, seed)
    {
        Distribution = distribution;
        ulong derived = CounterRandom.Derive(seed, SeedPurpose);
        _signs = new CounterRandom(derived, 0);
        _sampledRows = SampleRows(distribution.Rows, distribution.PaddedColumns, new CounterRandom(derived, 1));
        _scale = T.One / T.Sqrt(T.CreateChecked(distribution.Rows));
    }

    /// <summary>The distribution this operator was drawn from.</summary>
    public SrhtDistribution Distribution { get; }

    /// <summary>The rows of H that S keeps, ascending.</summary>
    public ReadOnlySpan<int> SampledRows => _sampledRows;

    private int Padded => Distribution.PaddedColumns;

    private protected override void ApplyVector(ReadOnlySpan<T> x, Span<T> destination)
    {
        T[] buffer = ArrayPool<T>.Shared.Rent(Padded);
        try
        {
            Span<T> z = buffer.AsSpan(0, Padded);
            x.CopyTo(z);
            z[Columns..].Clear();
            MultiplyBySigns(z[..Columns]);
            WalshHadamard.Transform(z);
            for (int i = 0; i < Rows; i++)
            {
                destination[i] = _scale * z[_sampledRows[i]];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private protected override void ApplyDense(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions options)
    {
        if (a.Columns == 0)
        {
            return;
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(Padded * a.Columns);
        try
        {
            var z = new MatrixView<T>(buffer, Padded, a.Columns);
            for (int j = 0; j < a.Rows; j++)
            {
                a.Row(j).CopyTo(z.Row(j));
            }
            TransformAndSample(z, destination);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private protected override void ApplySparse(CsrMatrix<T> a, MatrixView<T> destination)
    {
        if (a.Columns == 0)
        {
            return;
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(Padded * a.Columns);
        try
        {
            var z = new MatrixView<T>(buffer, Padded, a.Columns);
            for (int j = 0; j < a.Rows; j++)
            {
                Span<T> row = z.Row(j);
                row.Clear();
                ReadOnlySpan<int> columns = a.ColumnIndicesOfRow(j);
                ReadOnlySpan<T> values = a.ValuesOfRow(j);
                for (int k = 0; k < columns.Length; k++)
                {
                    row[columns[k]] = values[k];
                }
            }
            TransformAndSample(z, destination);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private protected override void ApplyTransposeVector(ReadOnlySpan<T> y, Span<T> destination)
    {
        T[] buffer = ArrayPool<T>.Shared.Rent(Padded);
        try
        {
            Span<T> z = buffer.AsSpan(0, Padded);
            z.Clear();
            for (int i = 0; i < Rows; i++)
            {
                z[_sampledRows[i]] = _scale * y[i];
            }
            WalshHadamard.Transform(z);
            z[..Columns].CopyTo(destination);
            MultiplyBySigns(destination);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private protected override void ApplyTransposeDense(ReadOnlyMatrixView<T> y, MatrixView<T> destination)
    {
        int d = y.Columns;
        if (d == 0)
        {
            return;
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(Padded * d);
        try
        {
            var z = new MatrixView<T>(buffer, Padded, d);
            SignedBlockHashing<T>.Clear(z);
            for (int i = 0; i < Rows; i++)
            {
                Level1.Scale(_scale, y.Row(i), z.Row(_sampledRows[i]));
            }
            WalshHadamard.TransformRows(z);
            Span<T> signs = stackalloc T[SignChunk];
            for (int j0 = 0; j0 < Columns; j0 += SignChunk)
            {
                int n = Math.Min(SignChunk, Columns - j0);
                FillSigns(j0, signs[..n]);
                for (int k = 0; k < n; k++)
                {
                    Level1.Scale(signs[k], z.Row(j0 + k), destination.Row(j0 + k));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>S[i, j] = √(1/s)·D[j]·H[r_i, j] with H[r, j] = (−1)^popcount(r AND j).</summary>
    private protected override void WriteRows(int firstRow, MatrixView<T> destination)
    {
        Span<T> signs = stackalloc T[SignChunk];
        for (int j0 = 0; j0 < Columns; j0 += SignChunk)
        {
            int n = Math.Min(SignChunk, Columns - j0);
            FillSigns(j0, signs[..n]);
            for (int i = 0; i < destination.Rows; i++)
            {
                for (int k = 0; k < n; k++)
                {
                    bool odd = (BitOperations.PopCount((uint)(_sampledRows[firstRow + i] & (j0 + k))) & 1) != 0;
                    destination[i, j0 + k] = odd ? -_scale * signs[k] : _scale * signs[k];
                }
            }
        }
    }

    /// <summary>Signs on rows 0 … N − 1, zero padding below, H along the rows, then the sampled rows scaled into the destination.</summary>
    private void TransformAndSample(MatrixView<T> z, MatrixView<T> destination)
    {
        SignedBlockHashing<T>.Clear(z.Slice(Columns, 0, Padded - Columns, z.Columns));
        Span<T> signs = stackalloc T[SignChunk];
        for (int j0 = 0; j0 < Columns; j0 += SignChunk)
        {
            int n = Math.Min(SignChunk, Columns - j0);
            FillSigns(j0, signs[..n]);
            for (int k = 0; k < n; k++)
            {
                if (signs[k] < T.Zero)
                {
                    Level1.Scale(signs[k], z.Row(j0 + k));
                }
            }
        }
        WalshHadamard.TransformRows(z);
        for (int i = 0; i < Rows; i++)
        {
            Level1.Scale(_scale, z.Row(_sampledRows[i]), destination.Row(i));
        }
    }

    /// <summary>x[j] ← D[j]·x[j] for the first x.Length inputs.</summary>
    private void MultiplyBySigns(Span<T> x)
    {
        Span<T> signs = stackalloc T[SignChunk];
        for (int j0 = 0; j0 < x.Length; j0 += SignChunk)
        {
            int n = Math.Min(SignChunk, x.Length - j0);
            FillSigns(j0, signs[..n]);
            for (int k = 0; k < n; k++)
            {
                x[j0 + k] *= signs[k];
            }
        }
    }

    /// <summary>D[first], D[first + 1], … as ±1.</summary>
    private void FillSigns(int first, Span<T> signs)
    {
        Span<uint> words = stackalloc uint[SignChunk];
        words = words[..signs.Length];
        _signs.FillUInt32(words, first);
        for (int k = 0; k < signs.Length; k++)
        {
            signs[k] = (words[k] & 0x8000_0000u) != 0 ? -T.One : T.One;
        }
    }

    /// <summary>Selection sampling of <paramref name="count"/> of <paramref name="population"/> indices, ascending (see the remarks).</summary>
    private static int[] SampleRows(int count, int population, CounterRandom random)
    {
        var rows = new int[count];
        Span<double> uniforms = stackalloc double[SignChunk];
        int selected = 0;
        for (int t0 = 0; t0 < population && selected < count; t0 += SignChunk)
        {
            int n = Math.Min(SignChunk, population - t0);
            random.FillUniform(uniforms[..n], t0);
            for (int k = 0; k < n && selected < count; k++)
            {
                int t = t0 + k;
                if ((population - t) * uniforms[k] < count - selected)
                {
                    rows[selected++] = t;
                }
            }
        }
        return rows;
    }
}
