using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Kernels.Sketching.Hashing;
using Kernels.Sparse;

namespace Kernels.Sketching.Layers;

/// <summary>
/// Where each entry of a HashedNets weight matrix comes from: entry (i, j) of the virtual outputs × inputs matrix V has
/// the key i·inputs + j, and one hash evaluation of that key gives its bucket h(i, j) and, for a signed layer, its sign
/// ξ(i, j), so that V[i, j] = ξ(i, j)·w[h(i, j)]. Keys are hashed a run of consecutive keys at a time, in batches.
/// </summary>
/// <remarks>
/// <para><b>One gather per entry.</b> <see cref="IHashFunction.BucketAndSign"/> maps the hash value into [0, 2B) and reads
/// the sign off the half: the pair (h, ξ) is exactly the index <see cref="IHashFunction.Bucket"/>(key, 2B) into the
/// signed table [w; −w] of 2B entries. So a signed entry is one table lookup, ξ·w[h] = table[Bucket(key, 2B)], with no
/// separate sign pass; an unsigned layer uses w itself as the table and B buckets. Gradients are scattered the same
/// way into a table gradient of 2B entries and folded back: ∂L/∂w_k = g[k] − g[B + k].</para>
/// <para>The table is a scratch copy (2B entries), rebuilt for every pass; no per-entry index is ever stored, so the
/// memory of a pass is O(B) plus a run of indices, never O(inputs·outputs).</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
internal sealed class HashedWeightMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Keys hashed per batch call (stack buffers of this many keys and indices).</summary>
    public const int Run = 256;

    private readonly IHashFunction _hash;

    public HashedWeightMap(IHashFunction hash, int inputs, int buckets, bool signed)
    {
        _hash = hash;
        Inputs = inputs;
        Buckets = buckets;
        Signed = signed;
    }

    /// <summary>Columns of V: the stride of the keys between consecutive rows.</summary>
    public int Inputs { get; }

    /// <summary>B, the number of real weights.</summary>
    public int Buckets { get; }

    /// <summary>Whether entries carry the sign ξ(i, j).</summary>
    public bool Signed { get; }

    /// <summary>Entries of the lookup table: 2B when signed ([w; −w]), B otherwise.</summary>
    public int TableLength => Signed ? 2 * Buckets : Buckets;

    /// <summary>The lookup table of <paramref name="weights"/>: [w; −w] when signed, w otherwise.</summary>
    public void FillTable(ReadOnlySpan<T> weights, Span<T> table)
    {
        weights.CopyTo(table);
        if (Signed)
        {
            Span<T> negated = table.Slice(Buckets, Buckets);
            for (int k = 0; k < negated.Length; k++)
            {
                negated[k] = -weights[k];
            }
        }
    }

    /// <summary>values[t] ← V at key <paramref name="firstKey"/> + t, for a run of at most <see cref="Run"/> keys.</summary>
    /// <param name="firstKey">The key of the first entry, i·inputs + j.</param>
    /// <param name="table">The pinned table from <see cref="FillTable"/>.</param>
    /// <param name="values">Destination of the run's entries.</param>
    public unsafe void Gather(uint firstKey, T* table, Span<T> values)
    {
        Span<int> indices = stackalloc int[Run];
        indices = indices[..values.Length];
        Indices(firstKey, indices);
        GatherScatter.GatherValidated(table, ref MemoryMarshal.GetReference(indices), ref MemoryMarshal.GetReference(values), (nuint)values.Length);
    }

    /// <summary>tableGradient[index(firstKey + t)] += gradient[t] for a run of at most <see cref="Run"/> keys, in key order.</summary>
    public void ScatterAdd(uint firstKey, ReadOnlySpan<T> gradient, Span<T> tableGradient)
    {
        Span<int> indices = stackalloc int[Run];
        indices = indices[..gradient.Length];
        Indices(firstKey, indices);
        GatherScatter.ScatterAddValidated(T.One, ref MemoryMarshal.GetReference(gradient), ref MemoryMarshal.GetReference(indices),
            ref MemoryMarshal.GetReference(tableGradient), (nuint)gradient.Length);
    }

    /// <summary>∂L/∂w from the table gradient: g[k] − g[B + k] when signed (the −w half enters with a minus), g[k] otherwise.</summary>
    public void FoldGradient(ReadOnlySpan<T> tableGradient, Span<T> weightGradient)
    {
        tableGradient[..Buckets].CopyTo(weightGradient);
        if (Signed)
        {
            ReadOnlySpan<T> negated = tableGradient.Slice(Buckets, Buckets);
            for (int k = 0; k < weightGradient.Length; k++)
            {
                weightGradient[k] -= negated[k];
            }
        }
    }

    /// <summary>Table indices of the keys firstKey … firstKey + indices.Length − 1: one batch hash call.</summary>
    private void Indices(uint firstKey, Span<int> indices)
    {
        Span<uint> keys = stackalloc uint[Run];
        keys = keys[..indices.Length];
        int t = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<uint> run = Vector256.Create(firstKey) + Vector256<uint>.Indices, step = Vector256.Create((uint)Vector256<uint>.Count);
            for (; t + Vector256<uint>.Count <= keys.Length; t += Vector256<uint>.Count, run += step)
            {
                run.StoreUnsafe(ref MemoryMarshal.GetReference(keys), (nuint)t);
            }
        }
        for (; t < keys.Length; t++)
        {
            keys[t] = firstKey + (uint)t;
        }
        _hash.Buckets(keys, TableLength, indices);
    }
}
