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

    /// <summary>Takes the products ⟨w_row, x_{first + p}⟩ in lanes p &lt; <paramref name="points"/> of
    /// <paramref name="products"/>; the other lanes belong to padding points and are ignored. Rows come in ascending
    /// order within a part.</summary>
    void Take<TLanes, TVector>(int row, int first, int points, TVector products)
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
    private LaneBuffer _lanes;

    public void Begin(int part)
    {
        _target = part == 0 ? destination : staging[part - 1];
        _target.Clear();
        _counts = ArrayPool<int>.Shared.Rent(_target.Rows);
        Array.Clear(_counts, 0, _target.Rows);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Take<TLanes, TVector>(int row, int first, int points, TVector products)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        ulong matches = TLanes.Matches(products, atLeastThreshold) & (ulong.MaxValue >> (64 - points));
        if (matches != 0)
        {
            Append<TLanes, TVector>(row, first, products, matches);
        }
    }

    /// <summary>The rare part of <see cref="Take{TLanes, TVector}"/>, out of line so that the kernel's loop stays small.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Append<TLanes, TVector>(int row, int first, TVector products, ulong matches)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        TLanes.Store(products, ref _lanes[0]);
        foreach (int p in new SetBits(matches))
        {
            int i = first + p;
            int count = _counts[i];
            if (count == _target!.Capacity(i))
            {
                _target.Reserve(i, count + 1);
            }
            _target.WritableIndices(i)[count] = row;
            _target.WritableValues(i)[count] = _lanes[p];
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

/// <summary>Stores every product: destination[i·stride + row] = ⟨w_row, x_i⟩. Parts write disjoint columns.</summary>
internal unsafe struct StoreSink(float* destination, nint stride) : IProductSink
{
    private LaneBuffer _lanes;

    public readonly void Begin(int part)
    {
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Take<TLanes, TVector>(int row, int first, int points, TVector products)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        TLanes.Store(products, ref _lanes[0]);
        float* column = destination + first * stride + row;
        for (int p = 0; p < points; p++)
        {
            column[p * stride] = _lanes[p];
        }
    }

    public readonly void End(int part)
    {
    }
}

/// <summary>Room for the lanes of the widest vector, where a sink reads a product vector lane by lane.</summary>
[InlineArray(16)]
internal struct LaneBuffer
{
    private float _element;
}
