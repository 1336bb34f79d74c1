using System.Numerics;
using Kernels.Randomness;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;
using Xunit.Sdk;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>
/// Each operator's matrix built straight from its documented definition with the public building blocks (hash
/// functions, the counter generator, Hadamard signs by popcount), and products with it evaluated in double.
/// </summary>
public static class SketchReference
{
    /// <summary>S (s × N, row-major) as the documentation of <paramref name="sketch"/>'s type defines it.</summary>
    public static T[] Matrix<T>(ISketch<T> sketch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int s = sketch.Rows, n = sketch.Columns;
        var matrix = new T[s * n];
        switch (sketch)
        {
            case SparseEmbedding<T> osnap:   // CountSketch included: t = 1
                Hashed(matrix, s, n, osnap.Distribution.NonzerosPerColumn, sketch.Seed);
                break;
            case GaussianSketch<T>:
                new CounterRandom(Derived(sketch.Seed, "gaussian"), 0).FillNormal(matrix, T.Zero, T.One / T.Sqrt(T.CreateChecked(s)));
                break;
            case Srht<T> srht:
            {
                int[] rows = srht.SampledRows.ToArray();
                Assert.Equal(s, rows.Length);
                Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First < p.Second) && rows.All(r => r >= 0 && r < srht.Distribution.PaddedColumns), "sampled rows");
                var words = new uint[n];
                new CounterRandom(Derived(sketch.Seed, "srht"), 0).FillUInt32(words);
                T scale = T.One / T.Sqrt(T.CreateChecked(s));
                for (int i = 0; i < s; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        int sign = ((words[j] >> 31) + BitOperations.PopCount((uint)(rows[i] & j))) % 2 == 0 ? 1 : -1;
                        matrix[i * n + j] = sign > 0 ? scale : -scale;
                    }
                }
                break;
            }
            default:
                throw new InvalidOperationException(sketch.GetType().Name);
        }
        return matrix;
    }

    /// <summary>The README's seed rule: a component draws from the seed derived for its purpose, never from the user's seed.</summary>
    private static ulong Derived(ulong seed, string purpose) => CounterRandom.Derive(seed, CounterRandom.Purpose(purpose));

    /// <summary>Column j has ±1/√t at row start_b + bucket in every block b, from PolynomialHash(4, derived seed, b) over 2³¹ − 1.</summary>
    private static void Hashed<T>(T[] matrix, int s, int n, int blocks, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = blocks == 1 ? T.One : T.One / T.Sqrt(T.CreateChecked(blocks));
        for (int b = 0; b < blocks; b++)
        {
            int start = (int)((long)b * s / blocks), size = (int)((long)(b + 1) * s / blocks) - start;
            var hash = new PolynomialHash(4, Derived(seed, "osnap"), (ulong)b, PrimeField.Mersenne31);
            for (int j = 0; j < n; j++)
            {
                var (bucket, sign) = hash.BucketAndSign((uint)j, size);
                matrix[(start + bucket) * n + j] = sign > 0 ? scale : -scale;
            }
        }
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> (rows × cols, row-major with the given stride) equals op(M)·B for the
    /// row-major M (m × k) and B (k × cols), within <see cref="Tolerance"/> with growth k + 2.
    /// </summary>
    public static void AssertProduct<T>(T[] m, int mRows, int mCols, bool transposeM, ReadOnlySpan<T> b, int bCols, ReadOnlySpan<T> actual, int stride, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = transposeM ? mCols : mRows, depth = transposeM ? mRows : mCols;
        for (int i = 0; i < rows; i++)
        {
            for (int c = 0; c < bCols; c++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < depth; p++)
                {
                    double term = double.CreateChecked(transposeM ? m[p * mCols + i] : m[i * mCols + p]) * double.CreateChecked(b[p * bCols + c]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                Tolerance.AssertClose(actual[i * stride + c], sum, magnitude, depth + 2, $"{context} [{i}, {c}]");
            }
        }
    }

    /// <summary>Asserts bitwise equality of two spans.</summary>
    public static void AssertIdentical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (expected.Length != actual.Length)
        {
            throw new XunitException($"{context}: lengths {expected.Length} and {actual.Length} differ.");
        }
        for (int i = 0; i < expected.Length; i++)
        {
            Tolerance.AssertIdentical(expected[i], actual[i], $"{context} [{i}]");
        }
    }
}
