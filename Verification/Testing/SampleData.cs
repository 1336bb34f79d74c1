using System.Numerics;

namespace Kernels.Testing;

/// <summary>Deterministic test data: the same arguments always give the same values.</summary>
public static class SampleData
{
    /// <summary>Every length from 0 to 300, then sizes past the unrolled loops and caches (odd and aligned).</summary>
    public static IEnumerable<int> SweepLengths()
    {
        for (int n = 0; n <= 300; n++)
        {
            yield return n;
        }
        foreach (int n in new[] { 511, 512, 513, 1000, 1024, 4099, 65_536 + 17 })
        {
            yield return n;
        }
    }

    /// <summary>A vector of <paramref name="length"/> values of the given kind, placed at <paramref name="offset"/> in a larger array.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length or offset is negative, or the kind is not defined.</exception>
    public static Memory<T> Vector<T>(int length, ValueKind kind, int seed, int offset = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.RequireAtLeast(length, 0, nameof(length));
        Guard.RequireAtLeast(offset, 0, nameof(offset));
        Guard.RequireDefined(kind, nameof(kind));
        var random = new System.Random(seed);
        var buffer = new T[offset + length + 3];
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = Draw<T>(random, kind);
        }
        return buffer.AsMemory(offset, length);
    }

    /// <summary>A row-major matrix of uniform values in [−1, 1].</summary>
    public static T[] Matrix<T>(int rows, int cols, int seed) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector<T>(rows * cols, ValueKind.Uniform, seed).ToArray();

    /// <summary>One value of the given kind.</summary>
    public static T Draw<T>(System.Random random, ValueKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (kind)
        {
            case ValueKind.SmallIntegers:
                return T.CreateChecked(random.Next(-8, 9));
            case ValueKind.WideRange:
            {
                // |x| in [2^-e, 2^e] with e small enough that 300-term sums of products stay finite.
                int e = typeof(T) == typeof(float) ? 40 : 300;
                double magnitude = Math.Pow(2, (random.NextDouble() * 2 - 1) * e);
                return T.CreateChecked(random.Next(2) == 0 ? magnitude : -magnitude);
            }
            case ValueKind.Special:
            {
                int pick = random.Next(12);
                return pick switch
                {
                    0 => T.Zero,
                    1 => T.NegativeZero,
                    2 => T.Epsilon * T.CreateChecked(random.Next(1, 1000)),
                    3 => -T.Epsilon * T.CreateChecked(random.Next(1, 1000)),
                    4 => T.One,
                    5 => -T.One,
                    6 => T.CreateChecked(typeof(T) == typeof(float) ? 1e15 : 1e150) * T.CreateChecked(random.NextDouble() * 2 - 1),
                    _ => T.CreateChecked(random.NextDouble() * 2 - 1),
                };
            }
            default:
                return T.CreateChecked(random.NextDouble() * 2 - 1);
        }
    }
}
