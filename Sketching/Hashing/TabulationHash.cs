using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Randomness;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// Tabulation hashing of 32-bit keys: the key is cut into characters, each character indexes a table of random
/// 32-bit words, and the words are XOR-ed. <see cref="TabulationScheme.Simple"/> is 3-wise independent;
/// <see cref="TabulationScheme.ThorupZhang"/> is 5-wise independent.
/// </summary>
/// <remarks>
/// <para>The tables are one array filled with the raw words of <c>CounterRandom(seed, stream)</c>, tables in the
/// order T₀, T₁, … and entries in index order; the independence claims assume fully random tables, which a
/// counter-based generator stands in for. Hash values are uniform on [0, 2³²), so bucket probabilities are within
/// 2⁻³² of 1/m. Every 64-bit seed and stream is valid.</para>
/// <para>The batch paths gather eight keys' table entries at a time with AVX2 (.NET exposes no AVX-512 gather) and
/// fall back to scalar loads elsewhere.</para>
/// </remarks>
public readonly struct TabulationHash : IHashFunction, IRawHash
{
    private const int SimpleTableSize = 256;
    private const int CharacterSize = 1 << 16;
    private const int SumTableSize = 2 * CharacterSize - 1;

    private readonly uint[] _tables;

    private TabulationHash(TabulationScheme scheme, ulong seed, ulong stream)
    {
        Scheme = scheme;
        _tables = new uint[scheme == TabulationScheme.Simple ? 4 * SimpleTableSize : 2 * CharacterSize + SumTableSize];
        new CounterRandom(seed, stream).FillUInt32(_tables);
    }

    /// <summary>Draws a simple-tabulation function (3-wise independent).</summary>
    public static TabulationHash Simple(ulong seed, ulong stream) => new(TabulationScheme.Simple, seed, stream);

    /// <summary>Draws a Thorup–Zhang function (5-wise independent).</summary>
    public static TabulationHash ThorupZhang(ulong seed, ulong stream) => new(TabulationScheme.ThorupZhang, seed, stream);

    /// <summary>How keys are cut into lookups.</summary>
    public TabulationScheme Scheme { get; }

    /// <summary>3 for <see cref="TabulationScheme.Simple"/>, 5 for <see cref="TabulationScheme.ThorupZhang"/>.</summary>
    public int Independence => Scheme == TabulationScheme.Simple ? 3 : 5;

    /// <summary>2³²: every 32-bit key.</summary>
    public ulong KeyCount => 1UL << 32;

    /// <summary>The tables, in the order described in the remarks.</summary>
    public ReadOnlySpan<uint> Tables => _tables;

    /// <summary>The 32-bit hash value of <paramref name="key"/>, uniform on [0, 2³²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Hash(uint key)
    {
        ref uint t = ref MemoryMarshal.GetArrayDataReference(_tables);
        if (Scheme == TabulationScheme.Simple)
        {
            return Unsafe.Add(ref t, (nint)(key & 0xFF))
                ^ Unsafe.Add(ref t, (nint)(SimpleTableSize + ((key >> 8) & 0xFF)))
                ^ Unsafe.Add(ref t, (nint)(2 * SimpleTableSize + ((key >> 16) & 0xFF)))
                ^ Unsafe.Add(ref t, (nint)(3 * SimpleTableSize + (key >> 24)));
        }
        uint low = key & 0xFFFF, high = key >> 16;
        return Unsafe.Add(ref t, (nint)low) ^ Unsafe.Add(ref t, (nint)(CharacterSize + high)) ^ Unsafe.Add(ref t, (nint)(2 * CharacterSize + low + high));
    }

    /// <inheritdoc/>
    public int Bucket(uint key, int buckets) => HashEntryPoints.Bucket(this, key, buckets);

    /// <inheritdoc/>
    public int Sign(uint key) => HashEntryPoints.Sign(this, key);

    /// <inheritdoc/>
    public (int Bucket, int Sign) BucketAndSign(uint key, int buckets) => HashEntryPoints.BucketAndSign(this, key, buckets);

    /// <inheritdoc/>
    public void Buckets(ReadOnlySpan<uint> keys, int buckets, Span<int> destination) => HashEntryPoints.Buckets(this, keys, buckets, destination);

    /// <inheritdoc/>
    public void Signs(ReadOnlySpan<uint> keys, Span<int> destination) => HashEntryPoints.Signs(this, keys, destination);

    /// <inheritdoc/>
    public void BucketsAndSigns(ReadOnlySpan<uint> keys, int buckets, Span<int> bucketDestination, Span<int> signDestination) =>
        HashEntryPoints.BucketsAndSigns(this, keys, buckets, bucketDestination, signDestination);

    int IRawHash.RangeBits => 32;

    bool IRawHash.IsVectorized512 => false;

    bool IRawHash.IsVectorized256 => false;

    bool IRawHash.IsVectorized32 => Avx2.IsSupported;

    ulong IRawHash.Hash(uint key) => Hash(key);

    Vector512<ulong> IRawHash.Hash(Vector512<ulong> keys) => throw new NotSupportedException("Tabulation hashing has no vector path.");

    Vector256<ulong> IRawHash.Hash(Vector256<ulong> keys) => throw new NotSupportedException("Tabulation hashing has no vector path.");

    /// <summary>The lookups of <see cref="Hash(uint)"/> for eight keys, one AVX2 gather per table.</summary>
    unsafe Vector256<uint> IRawHash.Hash(Vector256<uint> keys)
    {
        fixed (uint* t = _tables)
        {
            Vector256<int> k = keys.AsInt32();
            Vector256<int> bytes = Vector256.Create(0xFF);
            if (Scheme == TabulationScheme.Simple)
            {
                return Avx2.GatherVector256(t, k & bytes, 4)
                    ^ Avx2.GatherVector256(t + SimpleTableSize, Vector256.ShiftRightLogical(k, 8) & bytes, 4)
                    ^ Avx2.GatherVector256(t + 2 * SimpleTableSize, Vector256.ShiftRightLogical(k, 16) & bytes, 4)
                    ^ Avx2.GatherVector256(t + 3 * SimpleTableSize, Vector256.ShiftRightLogical(k, 24), 4);
            }
            Vector256<int> low = k & Vector256.Create(0xFFFF), high = Vector256.ShiftRightLogical(k, 16);
            return Avx2.GatherVector256(t, low, 4) ^ Avx2.GatherVector256(t + CharacterSize, high, 4) ^ Avx2.GatherVector256(t + 2 * CharacterSize, low + high, 4);
        }
    }
}
