using System.Numerics;
using Kernels.Randomness;
using Kernels.Verification.Infrastructure;
using Xunit.Sdk;

namespace Kernels.Verification.Kernels.Randomness;

/// <summary>
/// The contract of <see cref="CounterRandom"/>: value k depends only on (seed, stream, k), whatever the split into
/// calls, the order, the threads or the vector path; plus the documented layout, the ranges and argument checks.
/// </summary>
public sealed partial class CounterRandomTests
{
    // ---- Blocks, paths and threads ----------------------------------------------------------------------

    /// <summary>THE property: pieces filled in reverse order, each on a different path, equal one widest-path fill.</summary>
    [KernelProperty]
    public void Any_split_on_any_paths_equals_one_fill(FillSplit c)
    {
        var random = new CounterRandom(c.Seed, c.Stream);
        foreach (FillMethod method in FillMethods.All)
        {
            ulong[] whole = FillMethods.Fill(method, random, c.Start, c.Length);
            ulong[] pieces = FillMethods.Fill(method, random, c.Start, c.Length, c.Pieces().Reverse(), RandomPaths.Supported);
            AssertSameBits(whole, pieces, $"{method} {c}");
        }
    }

    /// <summary>
    /// The cases the property once failed on (CI, a fresh seed): a range ending at the last index long.MaxValue with an
    /// empty piece after it, whose start 2⁶³ wrapped to a negative index; and the empty range at the last index, whose
    /// generated start wrapped the same way. Both must split like any other range.
    /// </summary>
    [Fact]
    public void Splits_that_end_at_the_last_index_equal_one_fill()
    {
        Any_split_on_any_paths_equals_one_fill(new FillSplit(0, 0, long.MaxValue, 1, [1]));
        Any_split_on_any_paths_equals_one_fill(new FillSplit(3, 5, long.MaxValue - 99, 100, [100, 0, 100, 37]));
        Any_split_on_any_paths_equals_one_fill(new FillSplit(1, 2, long.MaxValue, 0, [0, 0]));
    }

    [Fact]
    public void Every_length_at_every_offset_and_path_equals_a_slice_of_one_long_fill()
    {
        var random = new CounterRandom(0x0123_4567_89AB_CDEF, 7);
        const long origin = 1_000_000_007; // not a multiple of any group size
        int[] offsets = [0, 1, 15, 16, 33, 63];
        int longest = SampleData.SweepLengths().Max() + offsets.Max();
        foreach (FillMethod method in FillMethods.All)
        {
            ulong[] reference = FillMethods.Fill(method, random, origin, longest);
            foreach (VectorPath path in RandomPaths.Supported)
            {
                foreach (int n in SampleData.SweepLengths())
                {
                    foreach (int offset in offsets)
                    {
                        ulong[] part = FillMethods.Fill(method, random, origin + offset, n, [(0, n)], [path]);
                        AssertSameBits(reference.AsSpan(offset, n).ToArray(), part, $"{method} on {path}, n={n}, offset={offset}");
                    }
                }
            }
        }
    }

    [Fact]
    public void Uneven_blocks_filled_in_parallel_equal_the_serial_fill()
    {
        const int n = 1_000_003;
        var random = new CounterRandom(42, 3);
        var cutter = new System.Random(5);
        int[] cuts = Enumerable.Range(0, 40).Select(_ => cutter.Next(n)).ToArray();
        var split = new FillSplit(42, 3, 123_456_789, n, cuts);
        foreach (FillMethod method in FillMethods.All)
        {
            ulong[] serial = FillMethods.Fill(method, random, split.Start, n);
            ulong[] parallel = FillMethods.Fill(method, random, split.Start, n, split.Pieces(), RandomPaths.Supported, inParallel: true);
            AssertSameBits(serial, parallel, $"{method} {split}");
        }
    }

    [Fact]
    public void The_public_methods_take_the_widest_path()
    {
        var random = new CounterRandom(99, 1);
        const int n = 1000;
        const long start = 77;
        uint[] words = new uint[n];
        float[] uniformSingle = new float[n], rangeSingle = new float[n], normalSingle = new float[n];
        double[] uniformDouble = new double[n], rangeDouble = new double[n], normalDouble = new double[n];
        random.FillUInt32(words, start);
        random.FillUniform<float>(uniformSingle, start);
        random.FillUniform<double>(uniformDouble, start);
        random.FillUniform(rangeSingle, -3.5f, 7.25f, start);
        random.FillUniform(rangeDouble, -1e-3, 2.5e3, start);
        random.FillNormal(normalSingle, 0f, 1f, start);
        random.FillNormal(normalDouble, -2.0, 0.5, start);
        AssertSameBits(FillMethods.Fill(FillMethod.Words, random, start, n), words.Select(w => (ulong)w).ToArray(), "FillUInt32");
        AssertSameBits(FillMethods.Fill(FillMethod.UniformSingle, random, start, n), uniformSingle.Select(Bits).ToArray(), "FillUniform<float>");
        AssertSameBits(FillMethods.Fill(FillMethod.UniformDouble, random, start, n), uniformDouble.Select(BitConverter.DoubleToUInt64Bits).ToArray(), "FillUniform<double>");
        AssertSameBits(FillMethods.Fill(FillMethod.RangeSingle, random, start, n), rangeSingle.Select(Bits).ToArray(), "FillUniform<float>(low, high)");
        AssertSameBits(FillMethods.Fill(FillMethod.RangeDouble, random, start, n), rangeDouble.Select(BitConverter.DoubleToUInt64Bits).ToArray(), "FillUniform<double>(low, high)");
        AssertSameBits(FillMethods.Fill(FillMethod.NormalSingle, random, start, n), normalSingle.Select(Bits).ToArray(), "FillNormal<float>");
        AssertSameBits(FillMethods.Fill(FillMethod.NormalDouble, random, start, n), normalDouble.Select(BitConverter.DoubleToUInt64Bits).ToArray(), "FillNormal<double>");
    }

    // ---- Determinism -------------------------------------------------------------------------------------

    /// <summary>
    /// Equal (seed, stream) repeat exactly; changing either, in its low or its high 32 bits, changes the values.
    /// Independent draws agree by chance with probability at most 2⁻²⁴ per value (float uniform), so of 4096 values
    /// about 2.4·10⁻⁴ are expected to agree; the bound of 1 % cannot be reached by chance.
    /// </summary>
    [Fact]
    public void Same_seed_and_stream_repeat_and_any_other_seed_or_stream_differs()
    {
        const int n = 4096;
        const ulong seed = 0xDEAD_BEEF_0BAD_F00D, stream = 11;
        var random = new CounterRandom(seed, stream);
        CounterRandom[] others =
        [
            random with { Stream = stream + 1 },
            random with { Stream = stream | (1UL << 40) },
            random with { Seed = seed + 1 },
            random with { Seed = seed ^ (1UL << 40) },
        ];
        foreach (FillMethod method in FillMethods.All)
        {
            ulong[] values = FillMethods.Fill(method, random, 0, n);
            AssertSameBits(values, FillMethods.Fill(method, new CounterRandom(seed, stream), 0, n), $"{method} repeated");
            foreach (CounterRandom other in others)
            {
                ulong[] different = FillMethods.Fill(method, other, 0, n);
                int agreeing = values.Zip(different).Count(p => p.First == p.Second);
                Assert.True(agreeing < n / 100, $"{method}: {other} agrees with {random} in {agreeing} of {n} values.");
            }
        }
    }

    // ---- The documented layout ---------------------------------------------------------------------------

    [KernelProperty]
    public void Uniform_values_are_the_documented_bits_of_the_Philox_words(FillSplit c)
    {
        var random = new CounterRandom(c.Seed, c.Stream);
        float[] singles = new float[c.Length];
        double[] doubles = new double[c.Length];
        random.FillUniform<float>(singles, c.Start);
        random.FillUniform<double>(doubles, c.Start);
        for (int i = 0; i < c.Length; i++)
        {
            ulong k = (ulong)c.Start + (ulong)i;
            uint[] words = Words(random, k / 64 * 16 + k % 16);
            Assert.Equal((words[k % 64 / 16] >> 8) / 16777216f, singles[i]);

            words = Words(random, k / 32 * 16 + k % 16);
            int j = (int)(k % 32 / 16);
            ulong pair = ((ulong)words[2 * j + 1] << 32) | words[2 * j];
            Assert.Equal((pair >> 11) * Math.ScaleB(1, -53), doubles[i]);
        }
    }

    /// <summary>
    /// Normal values against Box–Muller evaluated with the platform's Math.Log and Math.Sqrt and an accurate sin/cos,
    /// from the documented words. The library's own approximations are within about an ulp each, so 4 ulps of the
    /// result bound the difference; a wrong word, row or formula would be off by order one.
    /// </summary>
    [KernelProperty(MaxTest = 50)]
    public void Normal_values_follow_the_documented_Box_Muller_layout(FillSplit c)
    {
        var random = new CounterRandom(c.Seed, c.Stream);
        float[] singles = new float[c.Length];
        double[] doubles = new double[c.Length];
        random.FillNormal(singles, 0f, 1f, c.Start);
        random.FillNormal(doubles, 0.0, 1.0, c.Start);
        for (int i = 0; i < c.Length; i++)
        {
            ulong k = (ulong)c.Start + (ulong)i;
            uint[] words = Words(random, k / 64 * 16 + k % 16);
            int row = (int)(k % 64 / 16);
            double u1 = ((words[row / 2 * 2] >> 8) + 1) * Math.ScaleB(1, -24);
            double u2 = (words[row / 2 * 2 + 1] >> 8) * Math.ScaleB(1, -24);
            AssertNear(singles[i], BoxMuller(u1, u2, cosine: row % 2 == 0), $"float index {k} of {c}");

            words = Words(random, k / 32 * 16 + k % 16);
            u1 = ((((ulong)words[1] << 32) | words[0]) >> 11) * Math.ScaleB(1, -53) + Math.ScaleB(1, -53);
            u2 = ((((ulong)words[3] << 32) | words[2]) >> 11) * Math.ScaleB(1, -53);
            AssertNear(doubles[i], BoxMuller(u1, u2, cosine: k % 32 < 16), $"double index {k} of {c}");
        }
    }

    private static double BoxMuller(double u1, double u2, bool cosine)
    {
        var (sin, cos) = Reference.SinCosTurns(u2);
        return Math.Sqrt(-2 * Math.Log(u1)) * (cosine ? cos : sin);
    }

    private static void AssertNear<T>(T actual, double expected, string context) where T : IFloatingPointIeee754<T>
    {
        double bound = 4 * Tolerance.Epsilon<T>() * Math.Abs(expected) + Tolerance.Tiny<T>();
        double error = Math.Abs(double.CreateChecked(actual) - expected);
        if (!(error <= bound))
        {
            throw new XunitException($"{context}: got {actual}, expected {expected:R}, error {error:E3} > {bound:E3}.");
        }
    }

    /// <summary>The words of Philox block <paramref name="block"/> as documented: counter (block, stream), key seed.</summary>
    private static uint[] Words(CounterRandom random, ulong block)
    {
        var (x0, x1, x2, x3) = Philox4x32.Apply((uint)block, (uint)(block >> 32), (uint)random.Stream, (uint)(random.Stream >> 32),
            (uint)random.Seed, (uint)(random.Seed >> 32));
        return [x0, x1, x2, x3];
    }

    // ---- Ranges and parameters ---------------------------------------------------------------------------

    [Theory]
    [InlineData(-3.5, 7.25)]
    [InlineData(0.0, 1e-40)]                     // a subnormal float width
    [InlineData(-1e30, 1e30)]
    [InlineData(1e-30, 2e-30)]
    [InlineData(16777216.0, 16777218.0)]         // adjacent floats: low + 2u rounds to high for u > ½
    [InlineData(9007199254740992.0, 9007199254740994.0)] // adjacent doubles, likewise
    public void Uniform_range_values_lie_in_low_high_and_are_low_plus_width_times_u(double low, double high)
    {
        CheckRange((float)low, (float)high);
        CheckRange(low, high);
    }

    private static void CheckRange<T>(T low, T high) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(high > low))
        {
            return; // the bounds collapse in this precision
        }
        var random = new CounterRandom(2024, 5);
        const int n = 20_000;
        T[] values = new T[n], unit = new T[n];
        random.FillUniform(values, low, high, 1000);
        random.FillUniform(unit, 1000);
        double width = double.CreateChecked(high - low), l = double.CreateChecked(low);
        double ulp = double.CreateChecked(T.BitIncrement(T.Max(T.Abs(low), T.Abs(high))) - T.Max(T.Abs(low), T.Abs(high)));
        for (int i = 0; i < n; i++)
        {
            Assert.True(values[i] >= low && values[i] < high, $"{typeof(T).Name} [{low}, {high}): value {i} is {values[i]}.");
            double expected = l + width * double.CreateChecked(unit[i]);
            Assert.True(Math.Abs(double.CreateChecked(values[i]) - expected) <= 2 * ulp,
                $"{typeof(T).Name} [{low}, {high}): value {i} is {values[i]}, expected about {expected:R}.");
        }
    }

    [Fact]
    public void Uniform_on_zero_one_is_in_zero_one()
    {
        var random = new CounterRandom(8, 8);
        float[] singles = new float[100_000];
        double[] doubles = new double[100_000];
        random.FillUniform<float>(singles);
        random.FillUniform<double>(doubles);
        Assert.All(singles, v => Assert.True(v >= 0f && v < 1f));
        Assert.All(doubles, v => Assert.True(v >= 0.0 && v < 1.0));
    }

    [Fact]
    public void Normal_mean_and_deviation_are_an_affine_map_of_the_standard_normal()
    {
        var random = new CounterRandom(31, 4);
        const int n = 10_000;
        CheckAffine<float>(random, n, 3f, 2f);
        CheckAffine<double>(random, n, -1e6, 1e-3);
        CheckAffine<float>(random, n, 5f, 0f);
        CheckAffine<double>(random, n, 0.25, -0.0);
    }

    private static void CheckAffine<T>(CounterRandom random, int n, T mean, T deviation) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] standard = new T[n], shifted = new T[n];
        random.FillNormal(standard, T.Zero, T.One, 500);
        random.FillNormal(shifted, mean, deviation, 500);
        for (int i = 0; i < n; i++)
        {
            double exact = double.CreateChecked(mean) + double.CreateChecked(deviation) * double.CreateChecked(standard[i]);
            if (deviation == T.Zero)
            {
                Assert.Equal(mean, shifted[i]);
                continue;
            }
            // One rounding where multiply-add is fused, two otherwise: within one ulp of the larger term.
            double scale = Math.Abs(double.CreateChecked(mean)) + Math.Abs(exact);
            Assert.True(Math.Abs(double.CreateChecked(shifted[i]) - exact) <= 2 * Tolerance.Epsilon<T>() * scale,
                $"{typeof(T).Name} N({mean}, {deviation}) value {i}: {shifted[i]} vs {exact:R}.");
        }
    }

    [Fact]
    public void Empty_destinations_are_allowed_at_any_valid_start()
    {
        var random = new CounterRandom(1, 2);
        random.FillUInt32([], long.MaxValue);
        random.FillUniform<double>([], 0);
        random.FillNormal<float>([], 0f, 1f, long.MaxValue);
        uint[] last = new uint[1];
        random.FillUInt32(last, long.MaxValue); // the last index is valid
        Assert.Equal(Words(random, long.MaxValue / 64 * 16 + long.MaxValue % 16)[long.MaxValue % 64 / 16], last[0]);
    }

    // ---- Argument checks ---------------------------------------------------------------------------------

    [Fact]
    public void Bad_arguments_throw_naming_the_argument_and_write_nothing()
    {
        var random = new CounterRandom(1, 2);
        float[] singles = Enumerable.Repeat(-7f, 40).ToArray();
        double[] doubles = Enumerable.Repeat(-7.0, 40).ToArray();
        uint[] words = Enumerable.Repeat(7u, 40).ToArray();

        AssertThrows("startIndex", () => random.FillUInt32(words, -1));
        AssertThrows("startIndex", () => random.FillUniform<float>(singles, -5));
        AssertThrows("startIndex", () => random.FillUniform(doubles, 0.0, 1.0, long.MinValue));
        AssertThrows("startIndex", () => random.FillNormal(singles, 0f, 1f, -1));
        AssertThrows("startIndex", () => random.FillUInt32(words, long.MaxValue - 38)); // the last index would pass long.MaxValue

        AssertThrows("low", () => random.FillUniform(singles, float.NaN, 1f));
        AssertThrows("low", () => random.FillUniform(doubles, double.NegativeInfinity, 1.0));
        AssertThrows("high", () => random.FillUniform(doubles, 0.0, double.PositiveInfinity));
        AssertThrows("high", () => random.FillUniform(singles, 1f, 1f));
        AssertThrows("high", () => random.FillUniform(doubles, 2.0, 1.0));
        AssertThrows("high", () => random.FillUniform(singles, -3e38f, 3e38f)); // high − low overflows

        AssertThrows("mean", () => random.FillNormal(doubles, double.NaN, 1.0));
        AssertThrows("mean", () => random.FillNormal(singles, float.PositiveInfinity, 1f));
        AssertThrows("standardDeviation", () => random.FillNormal(doubles, 0.0, -1e-300));
        AssertThrows("standardDeviation", () => random.FillNormal(singles, 0f, float.NaN));
        AssertThrows("standardDeviation", () => random.FillNormal(doubles, 0.0, double.PositiveInfinity));

        Assert.All(singles, v => Assert.Equal(-7f, v));
        Assert.All(doubles, v => Assert.Equal(-7.0, v));
        Assert.All(words, v => Assert.Equal(7u, v));
    }

    [Fact]
    public void Element_types_other_than_float_and_double_are_rejected()
    {
        var random = new CounterRandom(1, 2);
        Assert.Throws<NotSupportedException>(() => random.FillUniform<Half>(new Half[4]));
        Assert.Throws<NotSupportedException>(() => random.FillNormal(new Half[4], Half.Zero, Half.One));
    }

    private static void AssertThrows(string parameter, Action action)
    {
        var exception = Assert.ThrowsAny<ArgumentException>(action);
        Assert.IsType<ArgumentOutOfRangeException>(exception);
        Assert.Equal(parameter, exception.ParamName);
    }

    // ---- Helpers -----------------------------------------------------------------------------------------

    private static ulong Bits(float value) => BitConverter.SingleToUInt32Bits(value);

    private static void AssertSameBits(ulong[] expected, ulong[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                throw new XunitException($"{context}: first difference at offset {i}: expected bits 0x{expected[i]:X}, got 0x{actual[i]:X}.");
            }
        }
    }

    // ---- Seed derivation ---------------------------------------------------------------------------------

    /// <summary>Every purpose the library derives a seed with, by the component that uses it.</summary>
    private static readonly (string Component, ulong Purpose)[] LibraryPurposes =
    [
        ("CountSketch and SparseEmbedding", global::Kernels.Sketching.Operators.SignedBlockHashing<double>.SeedPurpose),
        ("GaussianSketch", global::Kernels.Sketching.Operators.GaussianSketch<double>.SeedPurpose),
        ("Srht", global::Kernels.Sketching.Operators.Srht<double>.SeedPurpose),
        ("HashedLinear", global::Kernels.Sketching.Layers.HashedLinear<double>.SeedPurpose),
        ("SketchedLinear", global::Kernels.Sketching.Layers.SketchedLinear<double>.SeedPurpose),
        ("Linear", global::Kernels.Layers.Linear<double>.SeedPurpose),
        ("TwoLayerShiftedRelu", global::Kernels.Training.Models.ModelStreams.Purpose),
        ("SyntheticRegression", global::Kernels.Training.Data.SyntheticRegression.Purpose),
        ("StratifiedSplit", global::Kernels.Training.Data.StratifiedSplit.Purpose),
        ("Lanczos", global::Kernels.Solvers.Lanczos.SeedPurpose),
        ("KernelRidge", global::Kernels.Training.Ntk.KernelRidge<double>.SeedPurpose),
        ("RandomFeatures", global::Kernels.Training.Ntk.RandomFeatures<double>.SeedPurpose),
        ("LeverageSampling", global::Kernels.Training.Ntk.LeverageSampling.SeedPurpose),
        ("ElmanRnn", global::Kernels.Training.Models.ElmanRnn<double>.SeedPurpose),
        ("SyntheticSequences", global::Kernels.Training.Data.SyntheticSequences.Purpose),
        ("ElmanSgd", global::Kernels.Training.Trainers.Recurrent.ShuffledBatches<double>.SeedPurpose),
        ("Mlp initialization", global::Kernels.Training.Models.Mlp.InitializationPurpose),
        ("Mlp hashing", global::Kernels.Training.Models.Mlp.HashPurpose),
        ("SgdTrainer shuffle", global::Kernels.Training.Trainers.Sgd.SgdRun.ShufflePurpose),
        ("SgdTrainer dropout", global::Kernels.Training.Trainers.Sgd.SgdRun.DropoutPurpose),
        ("Gauss-Newton sketched solver", global::Kernels.Training.Trainers.GaussNewton.SketchedRegression.SeedPurpose),
    ];

    [Fact]
    public void Derive_is_the_documented_Philox_block()
    {
        foreach (ulong seed in new ulong[] { 0, 1, 0xDEADBEEF_01234567, ulong.MaxValue })
        {
            foreach (ulong purpose in new ulong[] { 0, 42, CounterRandom.Purpose("srht"), ulong.MaxValue })
            {
                var (x0, x1, _, _) = Philox4x32.Apply((uint)purpose, (uint)(purpose >> 32), 0x5EED5EED, 0xFFFFFFFF, (uint)seed, (uint)(seed >> 32));
                Assert.Equal((ulong)x1 << 32 | x0, CounterRandom.Derive(seed, purpose));
            }
        }
    }

    /// <summary>
    /// Components built from one user seed never share a stream: the library's purposes are distinct, their derived
    /// seeds are distinct from each other and from the user seed for many seeds, and the first values the components
    /// draw differ.
    /// </summary>
    [Fact]
    public void Library_purposes_give_distinct_seeds_and_streams()
    {
        Assert.Equal(LibraryPurposes.Length, LibraryPurposes.Select(p => p.Purpose).Distinct().Count());
        for (ulong seed = 0; seed < 1000; seed++)
        {
            ulong[] derived = LibraryPurposes.Select(p => CounterRandom.Derive(seed, p.Purpose)).ToArray();
            Assert.Equal(derived.Length, derived.Distinct().Count());
            Assert.DoesNotContain(seed, derived);
            uint[] first = derived.Select(d =>
            {
                var word = new uint[1];
                new CounterRandom(d, 0).FillUInt32(word);
                return word[0];
            }).ToArray();
            Assert.True(first.Distinct().Count() == first.Length, $"seed {seed}: two components draw the same first word");
        }
        // The two sketches that once shared (seed, stream 0): S[0, 0] of the Gaussian sketch is not the normal value
        // an SRHT's sign stream would give.
        var gaussian = new double[1];
        new global::Kernels.Sketching.Operators.GaussianDistribution(1, 1).Sample<double>(5).ToDense(new MatrixView<double>(gaussian, 1, 1));
        var plain = new double[1];
        new CounterRandom(5, 0).FillNormal<double>(plain, 0, 1);
        Assert.NotEqual(plain[0], gaussian[0]);
    }

    [Fact]
    public void Purpose_packs_names_and_rejects_bad_ones()
    {
        Assert.Equal((ulong)'a' | (ulong)'b' << 8, CounterRandom.Purpose("ab"));
        Assert.Equal(0x6867_6665_6463_6261UL, CounterRandom.Purpose("abcdefgh"));
        Assert.NotEqual(CounterRandom.Purpose("ab"), CounterRandom.Purpose("ba"));
        Assert.Throws<ArgumentException>("name", () => CounterRandom.Purpose(""));
        Assert.Throws<ArgumentException>("name", () => CounterRandom.Purpose("abcdefghi"));
        Assert.Throws<ArgumentException>("name", () => CounterRandom.Purpose("é"));
        Assert.Throws<ArgumentException>("name", () => CounterRandom.Purpose("a\0"));
    }
}
