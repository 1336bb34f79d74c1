using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Randomness;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// Multiply-add-shift hashing of 32-bit keys (Dietzfelbinger 1996): h(x) = ⌊((a·x + b) mod 2⁶⁴) / 2³²⌋ with a and b
/// uniform 64-bit words. This is the 2-independent (strongly universal) variant, not the 2-universal multiply-shift
/// without b: for w-bit keys and l-bit values it needs 2^w̄ arithmetic with w̄ ≥ w + l − 1, here 64 ≥ 32 + 32 − 1,
/// so the 32-bit values of any two distinct keys are independent and uniform on [0, 2³²).
/// </summary>
/// <remarks>
/// <para>Buckets use the multiply-high map of 32-bit values (R = 2³²): each bucket's probability is within 2⁻³² of
/// 1/m, a relative bias of at most m/2³².</para>
/// <para>a and b are raw words 0–3 of <c>CounterRandom(seed, stream)</c> (a = w₁·2³² + w₀, b = w₃·2³² + w₂); every
/// 64-bit seed and stream is valid. The batch path computes a·x as two 32×32→64-bit products (vpmuludq) per lane.</para>
/// </remarks>
public readonly struct MultiplyShift : IHashFunction, IRawHash
{
    private readonly ulong _multiplier;
    private readonly ulong _increment;

    /// <summary>Draws the function of (<paramref name="seed"/>, <paramref name="stream"/>).</summary>
    public MultiplyShift(ulong seed, ulong stream)
    {
        Span<uint> words = stackalloc uint[4];
        new CounterRandom(seed, stream).FillUInt32(words);
        _multiplier = ((ulong)words[1] << 32) | words[0];
        _increment = ((ulong)words[3] << 32) | words[2];
    }

    /// <summary>a, the 64-bit multiplier of h(x) = ⌊((a·x + b) mod 2⁶⁴) / 2³²⌋.</summary>
    internal ulong Multiplier => _multiplier;

    /// <summary>b, the 64-bit increment of h(x) = ⌊((a·x + b) mod 2⁶⁴) / 2³²⌋.</summary>
    internal ulong Increment => _increment;

    /// <summary>2: the family is 2-independent.</summary>
    public int Independence => 2;

    /// <summary>2³²: every 32-bit key.</summary>
    public ulong KeyCount => 1UL << 32;

    /// <summary>The 32-bit hash value of <paramref name="key"/>, uniform on [0, 2³²).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Hash(uint key) => (uint)((_multiplier * key + _increment) >> 32);

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

    bool IRawHash.IsVectorized512 => Avx512F.IsSupported;

    bool IRawHash.IsVectorized256 => Avx2.IsSupported;

    bool IRawHash.IsVectorized32 => false;

    ulong IRawHash.Hash(uint key) => Hash(key);

    /// <summary>a·x mod 2⁶⁴ = a₀·x + (a₁·x)·2³² for the 32-bit halves a₀, a₁ of a, then + b and the top half.</summary>
    Vector512<ulong> IRawHash.Hash(Vector512<ulong> keys)
    {
        Vector512<uint> x = keys.AsUInt32();
        Vector512<ulong> low = Avx512F.Multiply(x, Vector512.Create(_multiplier).AsUInt32());
        Vector512<ulong> high = Avx512F.Multiply(x, Vector512.Create(_multiplier >> 32).AsUInt32());
        return Vector512.ShiftRightLogical(low + Vector512.ShiftLeft(high, 32) + Vector512.Create(_increment), 32);
    }

    /// <inheritdoc cref="IRawHash.Hash(Vector512{ulong})"/>
    Vector256<ulong> IRawHash.Hash(Vector256<ulong> keys)
    {
        Vector256<uint> x = keys.AsUInt32();
        Vector256<ulong> low = Avx2.Multiply(x, Vector256.Create(_multiplier).AsUInt32());
        Vector256<ulong> high = Avx2.Multiply(x, Vector256.Create(_multiplier >> 32).AsUInt32());
        return Vector256.ShiftRightLogical(low + Vector256.ShiftLeft(high, 32) + Vector256.Create(_increment), 32);
    }

    Vector256<uint> IRawHash.Hash(Vector256<uint> keys) => throw new NotSupportedException("Multiply-shift uses 64-bit lanes.");
}
