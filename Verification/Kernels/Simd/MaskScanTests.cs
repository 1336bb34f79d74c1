using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// <see cref="MaskScan"/> against a plain scalar loop over the same predicate: every match reported once, in
/// ascending order, with the running position; the first match; the mask and index list of one 64-byte block. Every
/// length 0..300 and beyond, both element types, on whatever width the run selects (CI re-runs the suite on the
/// 512-, 256-, 128-bit and scalar paths).
/// </summary>
public sealed class MaskScanTests
{
    /// <summary>A predicate written here, as a user would: x &lt; limit (the library's predicates are ≥, = and NaN).</summary>
    private readonly struct LessThan<T>(T limit) : ILanePredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool Test(T x) => x < limit;
        public Vector128<T> Test(Vector128<T> x) => Vector128.LessThan(x, Vector128.Create(limit));
        public Vector256<T> Test(Vector256<T> x) => Vector256.LessThan(x, Vector256.Create(limit));
        public Vector512<T> Test(Vector512<T> x) => Vector512.LessThan(x, Vector512.Create(limit));
    }

    /// <summary>Collects the reported indices, checking that each group arrives with the count of the matches before it.</summary>
    private sealed class RecordingSink : IMatchSink
    {
        public List<int> Indices { get; } = [];

        public void Accept(int position, nuint start, ulong lanes)
        {
            Assert.Equal(Indices.Count, position);
            foreach (int lane in new SetBits(lanes))
            {
                Indices.Add((int)start + lane);
            }
        }
    }

    [Fact]
    public void Run_and_IndexOfFirst_match_a_scalar_loop_for_every_length()
    {
        foreach (int n in SampleData.SweepLengths())
        {
            CheckAllPredicates<float>(n, n % 7);
            CheckAllPredicates<double>(n, n % 3);
        }
    }

    [KernelProperty]
    public void Run_and_IndexOfFirst_match_a_scalar_loop(VectorCase c)
    {
        CheckAllPredicates<float>(c.Length, c.Offset, c.Seed);
        CheckAllPredicates<double>(c.Length, c.Offset, c.Seed);
    }

    [Fact]
    public void A_block_mask_and_its_indices_match_a_scalar_loop_at_every_offset()
    {
        CheckBlocks<float>();
        CheckBlocks<double>();
    }

    [Fact]
    public void Block_length_is_64_bytes()
    {
        Assert.Equal(16, MaskScan.BlockLength<float>());
        Assert.Equal(8, MaskScan.BlockLength<double>());
    }

    [Fact]
    public void Short_blocks_and_destinations_throw_before_anything_is_written()
    {
        var predicate = new GreaterOrEqualPredicate<float>(0f);
        Assert.Equal("block", Assert.Throws<ArgumentOutOfRangeException>(() => MaskScan.BlockMask<float, GreaterOrEqualPredicate<float>>(new float[15], predicate)).ParamName);
        Assert.Equal("block", Assert.Throws<ArgumentOutOfRangeException>(() => MaskScan.BlockIndices<float, GreaterOrEqualPredicate<float>>(new float[15], predicate, 0, new int[16])).ParamName);
        int[] destination = Enumerable.Repeat(-7, 15).ToArray();
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => MaskScan.BlockIndices<float, GreaterOrEqualPredicate<float>>(new float[16], predicate, 0, destination)).ParamName);
        Assert.All(destination, v => Assert.Equal(-7, v));
    }

    private static void CheckAllPredicates<T>(int n, int offset, int seed = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Small integers with NaNs salted in: many ties for =, boundary values for ≥ and <, and NaNs that only the NaN test selects.
        T[] values = SampleData.Vector<T>(n, ValueKind.SmallIntegers, seed + n, offset).ToArray();
        var random = new System.Random(seed + n);
        for (int i = random.Next(25); i < n; i += 1 + random.Next(50))
        {
            values[i] = T.NaN;
        }
        T pick = n == 0 || T.IsNaN(values[n / 2]) ? T.One : values[n / 2];
        Check(values, new GreaterOrEqualPredicate<T>(pick), x => x >= pick, $"≥ {pick}");
        Check(values, new GreaterOrEqualPredicate<T>(T.NegativeInfinity), x => !T.IsNaN(x), "≥ −∞");
        Check(values, new GreaterOrEqualPredicate<T>(T.PositiveInfinity), x => x == T.PositiveInfinity, "≥ +∞");
        Check(values, new EqualPredicate<T>(pick), x => x == pick, $"= {pick}");
        Check(values, default(NaNPredicate<T>), T.IsNaN, "NaN");
        Check(values, new LessThan<T>(pick), x => x < pick, $"< {pick}");
    }

    private static void Check<T, TPredicate>(T[] values, TPredicate predicate, Func<T, bool> reference, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TPredicate : struct, ILanePredicate<T>
    {
        List<int> expected = Enumerable.Range(0, values.Length).Where(i => reference(values[i])).ToList();
        string context = $"{typeof(T).Name} n={values.Length} {what}";
        var sink = new RecordingSink();
        int count = MaskScan.Run<T, TPredicate, RecordingSink>(values, predicate, sink);
        Assert.True(expected.Count == count, $"count, {context}");
        Assert.True(expected.SequenceEqual(sink.Indices), $"indices, {context}");
        Assert.True(count == MaskScan.Run<T, TPredicate, CountOnly>(values, predicate, default), $"counting run, {context}");
        int[] written = new int[values.Length];
        Assert.True(count == MaskScan.Run<T, TPredicate, IndexWriter>(values, predicate, new IndexWriter(written, 3)), $"index writer, {context}");
        Assert.True(expected.Select(i => i + 3).SequenceEqual(written[..count]), $"written indices, {context}");
        Assert.True((expected.Count == 0 ? -1 : expected[0]) == MaskScan.IndexOfFirst(values, predicate), $"first index, {context}");
    }

    private static void CheckBlocks<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int block = MaskScan.BlockLength<T>();
        T[] values = SampleData.Vector<T>(200, ValueKind.SmallIntegers, 11).ToArray();
        values[5] = T.NaN;
        values[37] = T.NaN;
        foreach (T threshold in new[] { T.NegativeInfinity, -T.One, T.Zero, T.One, T.PositiveInfinity })
        {
            var predicate = new GreaterOrEqualPredicate<T>(threshold);
            for (int start = 0; start + block <= values.Length; start++)
            {
                ulong expectedMask = 0;
                var expectedIndices = new List<int>();
                for (int j = 0; j < block; j++)
                {
                    if (values[start + j] >= threshold)
                    {
                        expectedMask |= 1UL << j;
                        expectedIndices.Add(100 + j);
                    }
                }
                // The block is the first BlockLength elements of a longer span: the rest must be ignored.
                ReadOnlySpan<T> span = values.AsSpan(start);
                Assert.Equal(expectedMask, MaskScan.BlockMask(span, predicate));
                int[] destination = new int[block + 3];
                int count = MaskScan.BlockIndices(span, predicate, 100, destination);
                Assert.Equal(expectedIndices, destination[..count]);
                Assert.All(destination[block..], v => Assert.Equal(0, v));
            }
        }
    }
}
