using System.Numerics;
using Kernels.Randomness;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Randomness;

/// <summary>
/// Distribution tests of <see cref="CounterRandom"/> with fixed seeds. Each test may fail by chance, for a correct
/// generator, with probability at most 10⁻⁶: its assertions share that budget equally (union bound), and each
/// assertion's bound comes from a non-asymptotic inequality — Bernstein's for means of bounded variables, DKW–Massart
/// for Kolmogorov–Smirnov distances (<see cref="Statistics"/>) — so the probability is proved, not approximated.
/// "Correct" means: values are independent draws from the generator's ideal discrete distribution (uniforms on the
/// grid k·2⁻²⁴ or k·2⁻⁵³; Box–Muller normals of such uniforms). The small gaps between those and the continuous laws
/// are added to the bounds where they matter, as stated at each test.
/// </summary>
public sealed partial class CounterRandomTests
{
    /// <summary>The largest false-failure probability allowed for one test.</summary>
    private const double Budget = 1e-6;

    private const int Count = 1 << 22;

    /// <summary>
    /// Sample mean and mean of (u − ½)² for float and double (4 assertions, 2.5·10⁻⁷ each). For the grid of N points,
    /// E u = (1 − 1/N)/2 and Var u = (1 − 1/N²)/12 exactly; |u − E u| ≤ ½. For (u − ½)²: values in [0, ¼] so
    /// |X − E X| ≤ ¼, and Var ≤ E(u − ½)⁴ − (1/12)² + 1/N = 1/80 − 1/144 + 1/N = 1/180 + 1/N (the 1/N covers the grid).
    /// With n = 2²² the allowed deviations are 7.95·10⁻⁴ and 2.06·10⁻⁴, about 5.6 standard errors.
    /// </summary>
    [Fact]
    public void Uniform_mean_and_variance_match_the_uniform_law()
    {
        const double probability = Budget / 4;
        CheckMoments<float>(24);
        CheckMoments<double>(53);

        static void CheckMoments<T>(int bits) where T : unmanaged, IFloatingPointIeee754<T>
        {
            double[] u = Draw<T>(new CounterRandom(0x5EED_0001, 0), (r, d) => r.FillUniform(d));
            double grid = Math.ScaleB(1, bits);
            double mean = (1 - 1 / grid) / 2, variance = (1 - 1 / (grid * grid)) / 12;
            AssertMean($"mean of U<{typeof(T).Name}>", u.Average(), mean, u.Length, variance, 0.5, probability);
            AssertMean($"mean of (U<{typeof(T).Name}> − ½)²", u.Average(x => (x - 0.5) * (x - 0.5)), variance + (mean - 0.5) * (mean - 0.5),
                u.Length, 1.0 / 180 + 1 / grid, 0.25, probability);
        }
    }

    /// <summary>
    /// Kolmogorov–Smirnov distance to U(0, 1) for float and double (2 assertions, 5·10⁻⁷ each). DKW–Massart holds for
    /// any distribution, here the discrete grid law G; sup |G − F| ≤ 1/N for the continuous F, which is added.
    /// With n = 2²⁰: ε = √(ln(4·10⁶) / 2²¹) = 2.69·10⁻³.
    /// </summary>
    [Fact]
    public void Uniform_Kolmogorov_Smirnov_distance_is_small()
    {
        const double probability = Budget / 2;
        Check<float>(24);
        Check<double>(53);

        static void Check<T>(int bits) where T : unmanaged, IFloatingPointIeee754<T>
        {
            double[] u = Draw<T>(new CounterRandom(0x5EED_0002, 9), (r, d) => r.FillUniform(d), 1 << 20);
            Array.Sort(u);
            double distance = Statistics.KolmogorovDistance(u, x => x);
            double allowed = Statistics.KolmogorovDeviation(u.Length, probability) + Math.ScaleB(1, -bits);
            Assert.True(distance < allowed, $"U<{typeof(T).Name}>: KS distance {distance:E3} ≥ {allowed:E3}.");
        }
    }

    /// <summary>
    /// The lowest bit of the grid index is fair: the bit of u·2²⁴ (float) and u·2⁵³ (double) that comes from the
    /// lowest random bits used (2 assertions, 5·10⁻⁷ each; Bernoulli(½): variance ¼, deviation at most ½; n = 2²²
    /// allows 1.35·10⁻³, 5.5 standard errors). A conversion that dropped the low word would make the bit always 0.
    /// </summary>
    [Fact]
    public void Uniform_lowest_grid_bit_is_fair()
    {
        const double probability = Budget / 2;
        Check<float>(24);
        Check<double>(53);

        static void Check<T>(int bits) where T : unmanaged, IFloatingPointIeee754<T>
        {
            double[] u = Draw<T>(new CounterRandom(0x5EED_0003, 2), (r, d) => r.FillUniform(d));
            double ones = u.Average(x => (double)((ulong)Math.ScaleB(x, bits) & 1));
            AssertMean($"lowest bit of U<{typeof(T).Name}>", ones, 0.5, u.Length, 0.25, 0.5, probability);
        }
    }

    /// <summary>
    /// Every bit position of the raw words is fair (32 assertions, 1e-6/32 each; Bernoulli(½) as above; n = 2²² allows
    /// 1.47·10⁻³, 6.0 standard errors).
    /// </summary>
    [Fact]
    public void Every_bit_of_the_raw_words_is_fair()
    {
        const double probability = Budget / 32;
        uint[] words = new uint[Count];
        new CounterRandom(0x5EED_0004, 77).FillUInt32(words);
        for (int bit = 0; bit < 32; bit++)
        {
            double ones = words.Average(w => (double)((w >> bit) & 1));
            AssertMean($"bit {bit} of the words", ones, 0.5, words.Length, 0.25, 0.5, probability);
        }
    }

    /// <summary>
    /// Products of centred uniforms at lags 1 and 16 (16 is the next word of the same Philox block; disjoint pairs), and across
    /// neighbouring streams and seeds, average to zero for float and double (8 assertions, 1.25·10⁻⁷ each). The product
    /// of two independent centred grid uniforms has mean (E u − ½)² ≤ 1/N², variance ≤ (1/12)² and magnitude ≤ ¼.
    /// With 2²¹ lagged and 2²² cross pairs the allowed deviations are 3.3·10⁻⁴ and 2.3·10⁻⁴, 5.8 standard errors.
    /// </summary>
    [Fact]
    public void Uniform_values_are_uncorrelated_across_lags_streams_and_seeds()
    {
        const double probability = Budget / 8;
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new CounterRandom(0x5EED_0005, 4);
            Filler<T> fill = (r, d) => r.FillUniform(d);
            double[] u = Draw(random, fill);
            double[] otherStream = Draw(random with { Stream = 5 }, fill);
            double[] otherSeed = Draw(random with { Seed = 0x5EED_0006 }, fill);
            foreach (var (name, a, b) in Pairs(u, otherStream, otherSeed))
            {
                double meanProduct = a.Zip(b, (x, y) => (x - 0.5) * (y - 0.5)).Average();
                AssertMean($"U<{typeof(T).Name}> {name} correlation", meanProduct, 0, a.Length, 1.0 / 144, 0.25, probability);
            }
        }
    }

    /// <summary>
    /// Normal moments E z = 0, E z² = 1, E z⁴ = 3 for float and double, and the Box–Muller bound on |z|
    /// (6 Bernstein assertions, 1e-6/6 each; the bound check is exact). A correct generator's |z| never exceeds
    /// √(−2 ln 2⁻²⁴) ≈ 5.77 (float) or √(−2 ln 2⁻⁵³) ≈ 8.57 (double), so with B = 5.8 or 8.6: |z| ≤ B, |z² − 1| ≤ B²,
    /// |z⁴ − 3| ≤ B⁴, and the variances are 1, 2 and 96. The discrete u₁, u₂ and the ≲ 2-ulp approximations move these
    /// moments by less than 10⁻⁵ (E r² = 2 − ln(2πN)/N for the grid of N points), which is added to each bound.
    /// With n = 2²² the allowed deviations are about 2.8·10⁻³, 4.0·10⁻³ and 2.9·10⁻² (float) or 3.5·10⁻² (double):
    /// 5.8 to 7.4 standard errors.
    /// </summary>
    [Fact]
    public void Normal_moments_match_the_standard_normal()
    {
        const double probability = Budget / 6;
        const double bias = 1e-5;
        Check<float>(5.8);
        Check<double>(8.6);

        void Check<T>(double bound) where T : unmanaged, IFloatingPointIeee754<T>
        {
            double[] z = Draw<T>(new CounterRandom(0x5EED_0007, 0), (r, d) => r.FillNormal(d, T.Zero, T.One));
            Assert.True(z.Max(Math.Abs) <= bound, $"N<{typeof(T).Name}>: |z| reached {z.Max(Math.Abs)}, beyond the Box–Muller bound {bound}.");
            AssertMean($"mean of N<{typeof(T).Name}>", z.Average(), 0, z.Length, 1, bound, probability, bias);
            AssertMean($"mean of N<{typeof(T).Name}>²", z.Average(x => x * x), 1, z.Length, 2, bound * bound, probability, bias);
            AssertMean($"mean of N<{typeof(T).Name}>⁴", z.Average(x => x * x * x * x), 3, z.Length, 96, Math.Pow(bound, 4), probability, 3 * bias);
        }
    }

    /// <summary>
    /// Kolmogorov–Smirnov distance to Φ for float and double (2 assertions, 5·10⁻⁷ each, DKW–Massart). The ideal
    /// discrete law differs from Φ by far less than 10⁻⁵ in CDF (the u grids carry 2⁻²⁴ or less of probability per
    /// step, and a ≲ 2-ulp error in z moves Φ by below 10⁻⁶), so 10⁻⁵ is added: ε = 2.69·10⁻³ + 10⁻⁵ for n = 2²⁰.
    /// </summary>
    [Fact]
    public void Normal_Kolmogorov_Smirnov_distance_is_small()
    {
        const double probability = Budget / 2;
        Check<float>();
        Check<double>();

        static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            double[] z = Draw<T>(new CounterRandom(0x5EED_0008, 3), (r, d) => r.FillNormal(d, T.Zero, T.One), 1 << 20);
            Array.Sort(z);
            double distance = Statistics.KolmogorovDistance(z, Statistics.NormalCdf);
            double allowed = Statistics.KolmogorovDeviation(z.Length, probability) + 1e-5;
            Assert.True(distance < allowed, $"N<{typeof(T).Name}>: KS distance {distance:E3} ≥ {allowed:E3}.");
        }
    }

    /// <summary>
    /// Products of normals at lags 1 and 16 (disjoint pairs; 16 pairs the cosine and sine of one Box–Muller pair, which are
    /// uncorrelated: E r²·cos·sin = 0) and across neighbouring streams and seeds average to zero (8 assertions,
    /// 1.25·10⁻⁷ each). E z_a z_b = 0 (symmetry of the grid in u₂), Var = E z_a² z_b² = 1 (for the Box–Muller pair,
    /// E r⁴·E cos² sin² = 8·⅛), and |z_a z_b| ≤ B² with B as in the moment test; 10⁻⁵ is added for the discrete law.
    /// The allowed deviations are 2.9·10⁻³ to 4.2·10⁻³, about 6 standard errors.
    /// </summary>
    [Fact]
    public void Normal_values_are_uncorrelated_across_lags_streams_and_seeds()
    {
        const double probability = Budget / 8;
        const double bias = 1e-5;
        Check<float>(5.8);
        Check<double>(8.6);

        void Check<T>(double bound) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var random = new CounterRandom(0x5EED_0009, 12);
            Filler<T> fill = (r, d) => r.FillNormal(d, T.Zero, T.One);
            double[] z = Draw(random, fill);
            double[] otherStream = Draw(random with { Stream = 13 }, fill);
            double[] otherSeed = Draw(random with { Seed = 0x5EED_000A }, fill);
            foreach (var (name, a, b) in Pairs(z, otherStream, otherSeed))
            {
                double meanProduct = a.Zip(b, (x, y) => x * y).Average();
                AssertMean($"N<{typeof(T).Name}> {name} correlation", meanProduct, 0, a.Length, 1, bound * bound, probability, bias);
            }
        }
    }

    // ---- Helpers -----------------------------------------------------------------------------------------

    private delegate void Filler<T>(CounterRandom random, Span<T> destination);

    private static double[] Draw<T>(CounterRandom random, Filler<T> fill, int count = Count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = new T[count];
        fill(random, values);
        return Array.ConvertAll(values, double.CreateChecked);
    }

    /// <summary>
    /// The four pairings of the correlation tests: lag 1 and lag 16 within the sequence, and the same index in another
    /// stream and in another seed. Lagged pairs are disjoint (i pairs with i + L for i mod 2L &lt; L), so that, as
    /// Bernstein's inequality needs, the products are independent of each other.
    /// </summary>
    private static IEnumerable<(string Name, double[] A, double[] B)> Pairs(double[] values, double[] otherStream, double[] otherSeed)
    {
        foreach (int lag in new[] { 1, 16 })
        {
            int[] first = Enumerable.Range(0, values.Length - lag).Where(i => i % (2 * lag) < lag).ToArray();
            yield return ($"lag-{lag}", first.Select(i => values[i]).ToArray(), first.Select(i => values[i + lag]).ToArray());
        }
        yield return ("cross-stream", values, otherStream);
        yield return ("cross-seed", values, otherSeed);
    }

    /// <summary>Asserts |sample mean − expected| &lt; the Bernstein deviation at <paramref name="probability"/>, plus <paramref name="bias"/>.</summary>
    private static void AssertMean(string what, double sampleMean, double expected, long count, double variance, double bound, double probability, double bias = 0)
    {
        double allowed = Statistics.BernsteinDeviation(count, variance, bound, probability) + bias;
        double deviation = Math.Abs(sampleMean - expected);
        Assert.True(deviation < allowed,
            $"{what}: sample mean {sampleMean:R}, expected {expected:R}; deviation {deviation:E3} ≥ allowed {allowed:E3} " +
            $"(Bernstein with variance {variance}, bound {bound}, false-failure probability {probability:E1}).");
    }
}
