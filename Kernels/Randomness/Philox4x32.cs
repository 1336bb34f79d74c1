using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kernels.Randomness;

/// <summary>
/// The Philox4x32-10 bijection of Salmon, Moraes, Dror and Shaw ("Parallel random numbers: as easy as 1, 2, 3",
/// SC 2011; the Random123 library): a keyed permutation of 128-bit counters that is cheap enough to serve as a
/// random number generator whose n-th output is simply the image of counter n.
/// </summary>
/// <remarks>
/// <para>Each round multiplies counter words 0 and 2 by <see cref="Multiplier0"/> and <see cref="Multiplier1"/> into
/// 64-bit products and mixes them as
/// <c>(hi(M1·x2) ⊕ x1 ⊕ k0, lo(M1·x2), hi(M0·x0) ⊕ x3 ⊕ k1, lo(M0·x0))</c>.
/// Between rounds the key advances by the Weyl increments <see cref="KeyIncrement0"/> and <see cref="KeyIncrement1"/>.
/// Random123 recommends <see cref="Rounds"/> = 10; the paper reports that 7 rounds already pass BigCrush, so 10 leave a margin.</para>
/// <para>The vector overloads evaluate 16 or 8 independent blocks at once (one block per lane, one vector per word) and
/// give exactly the scalar results, since every step is integer arithmetic.</para>
/// </remarks>
public static class Philox4x32
{
    /// <summary>Multiplier of counter word 0 in every round, 0xD2511F53 (chosen by the authors for avalanche).</summary>
    public const uint Multiplier0 = 0xD2511F53;

    /// <summary>Multiplier of counter word 2 in every round, 0xCD9E8D57.</summary>
    public const uint Multiplier1 = 0xCD9E8D57;

    /// <summary>Weyl increment of key word 0 between rounds, 0x9E3779B9: the golden ratio's fractional part, ⌊2³²·(φ − 1)⌋.</summary>
    public const uint KeyIncrement0 = 0x9E3779B9;

    /// <summary>Weyl increment of key word 1 between rounds, 0xBB67AE85: ⌊2³²·(√3 − 1)⌋.</summary>
    public const uint KeyIncrement1 = 0xBB67AE85;

    /// <summary>Number of rounds, 10.</summary>
    public const int Rounds = 10;

    /// <summary>Maps the counter <c>(counter0, …, counter3)</c> under the key <c>(key0, key1)</c> to four output words.</summary>
    /// <remarks>Word order follows Random123: <c>counter0</c> is element 0 of its <c>ctr</c> array, <c>key0</c> element 0 of <c>key</c>.</remarks>
    public static (uint X0, uint X1, uint X2, uint X3) Apply(uint counter0, uint counter1, uint counter2, uint counter3, uint key0, uint key1)
    {
        uint x0 = counter0, x1 = counter1, x2 = counter2, x3 = counter3;
        for (int round = 0; round < Rounds; round++)
        {
            ulong product0 = (ulong)Multiplier0 * x0;
            ulong product1 = (ulong)Multiplier1 * x2;
            x0 = (uint)(product1 >> 32) ^ x1 ^ key0;
            x1 = (uint)product1;
            x2 = (uint)(product0 >> 32) ^ x3 ^ key1;
            x3 = (uint)product0;
            key0 += KeyIncrement0;
            key1 += KeyIncrement1;
        }
        return (x0, x1, x2, x3);
    }

    /// <summary>Applies the bijection to 16 blocks at once: lane i of <paramref name="x0"/>…<paramref name="x3"/> is block i. Needs AVX-512F.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Apply(ref Vector512<uint> x0, ref Vector512<uint> x1, ref Vector512<uint> x2, ref Vector512<uint> x3, uint key0, uint key1)
    {
        Vector512<uint> m0 = Vector512.Create(Multiplier0), m1 = Vector512.Create(Multiplier1);
        for (int round = 0; round < Rounds; round++)
        {
            Vector512<uint> high0 = MultiplyHigh(x0, m0), low0 = x0 * m0;
            Vector512<uint> high1 = MultiplyHigh(x2, m1), low1 = x2 * m1;
            x0 = high1 ^ x1 ^ Vector512.Create(key0);
            x1 = low1;
            x2 = high0 ^ x3 ^ Vector512.Create(key1);
            x3 = low0;
            key0 += KeyIncrement0;
            key1 += KeyIncrement1;
        }
    }

    /// <summary>Applies the bijection to 8 blocks at once: lane i of <paramref name="x0"/>…<paramref name="x3"/> is block i. Needs AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Apply(ref Vector256<uint> x0, ref Vector256<uint> x1, ref Vector256<uint> x2, ref Vector256<uint> x3, uint key0, uint key1)
    {
        Vector256<uint> m0 = Vector256.Create(Multiplier0), m1 = Vector256.Create(Multiplier1);
        for (int round = 0; round < Rounds; round++)
        {
            Vector256<uint> high0 = MultiplyHigh(x0, m0), low0 = x0 * m0;
            Vector256<uint> high1 = MultiplyHigh(x2, m1), low1 = x2 * m1;
            x0 = high1 ^ x1 ^ Vector256.Create(key0);
            x1 = low1;
            x2 = high0 ^ x3 ^ Vector256.Create(key1);
            x3 = low0;
            key0 += KeyIncrement0;
            key1 += KeyIncrement1;
        }
    }

    /// <summary>
    /// High 32 bits of each lane's 32×32-bit product. The widening multiply (vpmuludq) only reads even lanes,
    /// so odd lanes are shifted down for a second multiply and the two high halves are merged back in place.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> MultiplyHigh(Vector512<uint> x, Vector512<uint> multiplier)
    {
        Vector512<ulong> even = Avx512F.Multiply(x, multiplier);
        Vector512<ulong> odd = Avx512F.Multiply(Vector512.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), multiplier);
        return (Vector512.ShiftRightLogical(even, 32) | (odd & Vector512.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }

    /// <inheritdoc cref="MultiplyHigh(Vector512{uint}, Vector512{uint})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> MultiplyHigh(Vector256<uint> x, Vector256<uint> multiplier)
    {
        Vector256<ulong> even = Avx2.Multiply(x, multiplier);
        Vector256<ulong> odd = Avx2.Multiply(Vector256.ShiftRightLogical(x.AsUInt64(), 32).AsUInt32(), multiplier);
        return (Vector256.ShiftRightLogical(even, 32) | (odd & Vector256.Create(0xFFFF_FFFF_0000_0000UL))).AsUInt32();
    }
}
