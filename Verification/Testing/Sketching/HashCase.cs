using Kernels.Sketching.Hashing;

namespace Kernels.Testing;

/// <summary>The hash families under test, each at the independence it is used with.</summary>
public enum HashFamily
{
    /// <summary><see cref="MultiplyShift"/>, 2-wise.</summary>
    MultiplyShift,

    /// <summary><see cref="PolynomialHash"/> over 2⁶¹ − 1, 2-wise.</summary>
    Polynomial61Pairwise,

    /// <summary><see cref="PolynomialHash"/> over 2⁶¹ − 1, 5-wise.</summary>
    Polynomial61FiveWise,

    /// <summary><see cref="PolynomialHash"/> over 2³¹ − 1, 2-wise.</summary>
    Polynomial31Pairwise,

    /// <summary><see cref="PolynomialHash"/> over 2³¹ − 1, 4-wise (the operators' hash).</summary>
    Polynomial31FourWise,

    /// <summary><see cref="PolynomialHash"/> over 2³¹ − 1, 9-wise.</summary>
    Polynomial31NineWise,

    /// <summary>Simple <see cref="TabulationHash"/>, 3-wise.</summary>
    SimpleTabulation,

    /// <summary>Thorup–Zhang <see cref="TabulationHash"/>, 5-wise.</summary>
    ThorupZhangTabulation,
}

/// <summary>
/// A generated batch-hashing problem: a family, a batch length, a bucket count and a seed for both the function and
/// the keys (keys are random below the family's key count, plus the extremes 0 and the largest allowed key).
/// </summary>
public sealed record HashCase(HashFamily Family, int Length, int Buckets, int Seed)
{
    /// <summary>The function of the case's family drawn with (seed, stream).</summary>
    public static IHashFunction Draw(HashFamily family, ulong seed, ulong stream) => family switch
    {
        HashFamily.MultiplyShift => new MultiplyShift(seed, stream),
        HashFamily.Polynomial61Pairwise => new PolynomialHash(2, seed, stream, PrimeField.Mersenne61),
        HashFamily.Polynomial61FiveWise => new PolynomialHash(5, seed, stream, PrimeField.Mersenne61),
        HashFamily.Polynomial31Pairwise => new PolynomialHash(2, seed, stream, PrimeField.Mersenne31),
        HashFamily.Polynomial31FourWise => new PolynomialHash(4, seed, stream, PrimeField.Mersenne31),
        HashFamily.Polynomial31NineWise => new PolynomialHash(9, seed, stream, PrimeField.Mersenne31),
        HashFamily.SimpleTabulation => TabulationHash.Simple(seed, stream),
        _ => TabulationHash.ThorupZhang(seed, stream),
    };

    /// <summary>The function of this case.</summary>
    public IHashFunction Function() => Draw(Family, (ulong)Seed * 0x9E37_79B9_7F4A_7C15UL, (ulong)Seed);

    /// <summary>The keys of this case, all below <paramref name="keyCount"/>.</summary>
    public uint[] Keys(ulong keyCount)
    {
        var random = new System.Random(Seed);
        var keys = new uint[Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = (i % 7) switch
            {
                0 => 0,
                1 => (uint)(keyCount - 1),
                _ => (uint)random.NextInt64((long)keyCount),
            };
        }
        return keys;
    }

    /// <inheritdoc/>
    public override string ToString() => $"HashCase({Family}, n={Length}, B={Buckets}, seed={Seed})";
}
