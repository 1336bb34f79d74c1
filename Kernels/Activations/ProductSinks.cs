using System.Buffers;
using System.Runtime.CompilerServices;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// What <see cref="ThresholdProducts"/>' kernel does with the products of one row of W and one group of points: keep
/// those ≥ τ (<see cref="ThresholdSink"/>) or store them all (<see cref="StoreSink"/>). Each part of a threaded call
/// works on its own copy, started with <see cref="Begin"/> and finished with <see cref="End"/>.
/// </summary>
internal unsafe interface IProductSink
{
    /// <summary>Prepares this copy for part <paramref name="part"/>, before any <see cref="Take{TLanes, TVector}"/>.</summary>
    void Begin(int part);

    /// <summary>Takes the products ⟨w_{row + j}, x_{first + p}⟩ in lane p of <paramref name="sums"/>[j], for
    /// j &lt; <paramref name="rows"/> and p &lt; <paramref name="points"/>; the other lanes belong to padding points
    /// and are ignored. Rows come in ascending order within a part.</summary>
    void Take<TLanes, TVector>(int row, int rows, int first, int points, ref BlockSums<TVector> sums)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct;

    /// <summary>Finishes part <paramref name="part"/>.</summary>
    void End(int part);
}

/// <summary>
/// Appends (row, product) to point i's list in an <see cref="ActiveSets"/> for every product ≥ τ: part 0 into the
/// destination, part p into staging set p − 1, which the caller appends afterwards in part order.
/// </summary>
internal unsafe struct ThresholdSink(GreaterOrEqualPredicate<float> atLeastThreshold, ActiveSets destination, ActiveSets[] staging) : IProductSink
{
    private ActiveSets? _target;
    private int[] _counts = [];

    public void Begin(int part)
    {
        _target = part == 0 ? destination : staging[part - 1];
        _target.Clear();
        _counts = ArrayPool<int>.Shared.Rent(_target.Rows);
        Array.Clear(_counts, 0, _target.Rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Take<TLanes, TVector>(int row, int rows, int first, int points, ref BlockSums<TVector> sums)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        ulong valid = ulong.MaxValue >> (64 - points);
        for (int j = 0; j < rows; j++)
        {
            ulong matches = TLanes.Matches(sums[j], atLeastThreshold) & valid;
            if (matches != 0)
            {
                Append(row + j, first, ref Unsafe.As<TVector, float>(ref sums[j]), matches);
            }
        }
    }

    /// <summary>Appends (row, lanes[p]) to point first + p's list for each bit p of <paramref name="matches"/>.</summary>
    private readonly void Append(int row, int first, ref float lanes, ulong matches)
    {
        foreach (int p in new SetBits(matches))
        {
            int i = first + p;
            int count = _counts[i];
            if (count == _target!.Capacity(i))
            {
                _target.Reserve(i, count + 1);
            }
            _target.WritableIndices(i)[count] = row;
            _target.WritableValues(i)[count] = Unsafe.Add(ref lanes, p);
            _counts[i] = count + 1;
        }
    }

    public readonly void End(int part)
    {
        for (int i = 0; i < _target!.Rows; i++)
        {
            _target.Commit(i, _counts[i]);
        }
        ArrayPool<int>.Shared.Return(_counts);
    }
}

/// <summary>Stores every product: destination[i·stride + row] = ⟨w_row, x_i⟩, a block's rows contiguous in each
/// point's row of the destination. Parts write disjoint columns.</summary>
internal readonly unsafe struct StoreSink(float* destination, nint stride) : IProductSink
{
    public readonly void Begin(int part)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Take<TLanes, TVector>(int row, int rows, int first, int points, ref BlockSums<TVector> sums)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        // Lane p of product vector j is float j·width + p of the block: a transpose, written row by row of the destination.
        ref float all = ref Unsafe.As<BlockSums<TVector>, float>(ref sums);
        for (int p = 0; p < points; p++)
        {
            float* target = destination + (first + p) * stride + row;
            for (int j = 0; j < rows; j++)
            {
                target[j] = Unsafe.Add(ref all, j * TLanes.Width + p);
            }
        }
    }

    public readonly void End(int part)
    {
    }
}

