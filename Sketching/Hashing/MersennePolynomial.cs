using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Sketching.Hashing;

/// <summary>
/// Horner evaluation of c[0]·x^(k−1) + … + c[k−1] modulo the Mersenne prime p = 2^<see cref="Bits"/> − 1, using
/// 2^Bits ≡ 1 (mod p): a product is folded as (low Bits bits) + (the rest), which needs no division.
/// </summary>
/// <remarks>
/// Coefficients are below p and keys below p, so each step r·x + c is below 2^(2·Bits) + p; two folds bring it
/// below p + 3 and one conditional subtraction into [0, p). For Bits = 31 every product fits 64 bits, which is what
/// the vector paths use; for Bits = 61 the scalar path takes the 128-bit product.
/// </remarks>
internal readonly struct MersennePolynomial(ulong[] coefficients, int bits) : IRawHash
{
    private readonly ulong _prime = (1UL << bits) - 1;

    public int Bits => bits;

    public ReadOnlySpan<ulong> Coefficients => coefficients;

    /// <summary>2³² for 2⁶¹ − 1 (every 32-bit key); p for 2³¹ − 1 (keys must be field elements).</summary>
    public ulong KeyCount => bits == 61 ? 1UL << 32 : _prime;

    public int RangeBits => bits;

    public bool IsVectorized512 => bits == 31 && Avx512F.IsSupported;

    public bool IsVectorized256 => bits == 31 && Avx2.IsSupported;

    public bool IsVectorized32 => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash(uint key)
    {
        ulong[] c = coefficients;
        ulong r = c[0];
        if (bits == 61)
        {
            for (int i = 1; i < c.Length; i++)
            {
                ulong high = Math.BigMul(r, key, out ulong low);
                r = Reduce((low & _prime) + ((low >> 61) | (high << 3)) + c[i]);
            }
        }
        else
        {
            for (int i = 1; i < c.Length; i++)
            {
                r = Reduce(r * key + c[i]);
            }
        }
        return r;
    }

    public Vector512<ulong> Hash(Vector512<ulong> keys)
    {
        ulong[] c = coefficients;
        Vector512<ulong> prime = Vector512.Create(_prime);
        Vector512<ulong> r = Vector512.Create(c[0]);
        for (int i = 1; i < c.Length; i++)
        {
            Vector512<ulong> s = Avx512F.Multiply(r.AsUInt32(), keys.AsUInt32()) + Vector512.Create(c[i]);
            s = (s & prime) + Vector512.ShiftRightLogical(s, 31);
            s = (s & prime) + Vector512.ShiftRightLogical(s, 31);
            r = Vector512.Min(s, s - prime);
        }
        return r;
    }

    public Vector256<ulong> Hash(Vector256<ulong> keys)
    {
        ulong[] c = coefficients;
        Vector256<ulong> prime = Vector256.Create(_prime);
        Vector256<ulong> r = Vector256.Create(c[0]);
        for (int i = 1; i < c.Length; i++)
        {
            Vector256<ulong> s = Avx2.Multiply(r.AsUInt32(), keys.AsUInt32()) + Vector256.Create(c[i]);
            s = (s & prime) + Vector256.ShiftRightLogical(s, 31);
            s = (s & prime) + Vector256.ShiftRightLogical(s, 31);
            r = Vector256.Min(s, s - prime);
        }
        return r;
    }

    public Vector256<uint> Hash(Vector256<uint> keys) => throw new NotSupportedException("Polynomials use 64-bit lanes.");

    /// <summary>x mod p for x &lt; 2^(2·Bits + 1): two folds, then one conditional subtraction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ulong Reduce(ulong x)
    {
        x = (x & _prime) + (x >> bits);
        x = (x & _prime) + (x >> bits);
        return x >= _prime ? x - _prime : x;
    }
}
