using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Hashing;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Hashing;

/// <summary>
/// k-wise independence measured as chi-square statistics over independent trials, with fixed seeds. Each test may
/// fail by chance, for a correct family, with probability at most 10⁻⁶: its assertions share that budget equally
/// (union bound), and each acceptance bound is <see cref="ChiSquareStatistic.UpperBound"/>, a McDiarmid bound that holds
/// for any trial count (not the χ² approximation). "Correct" means: the coefficient words and table entries behave as
/// fully random, which is what the counter-based generator stands in for.
/// </summary>
/// <remarks>
/// <para>Trials are independent as the bound needs. For the polynomial and multiply-shift families each trial draws a
/// fresh function (stream t) and hashes the same keys. Tabulation tables are large, so tabulation trials reuse one
/// function on key tuples whose table entries are disjoint from every other trial's (but shared within the tuple where
/// the scheme allows, which is where independence is at stake).</para>
/// <para>Bucket probabilities deviate from uniform by at most 2/R per bucket (R = 2³¹ − 1 at worst), so cell
/// probabilities by δ ≤ 5·10⁻⁹ and E[X²] by at most T·C·Σδ² ≤ 20 000·4096·2.5·10⁻¹⁷ &lt; 10⁻⁶, the bias passed to the bound.</para>
/// </remarks>
public sealed class IndependenceTests
{
    private const double Budget = 1e-6;
    private const double Bias = 1e-6;
    private const int Trials = 20_000;
    private const int Buckets = 8;

    /// <summary>
    /// Every family is 2-wise independent: bucket pairs of two distinct keys are uniform on 8 × 8 = 64 cells
    /// (8 assertions, 1.25·10⁻⁷ each: X² ≤ (√63 + √(64·ln(8·10⁶)))² ≈ 1.59·10³, against E[X²] = 63 and
    /// X² ≈ 1.4·10⁵ for a hash that ignored the key).
    /// </summary>
    [Fact]
    public void Bucket_pairs_of_two_keys_are_uniform()
    {
        const double probability = Budget / 8;
        TabulationHash[] simple = Enumerable.Range(0, (Trials + 127) / 128).Select(f => TabulationHash.Simple(0xB0C4, (ulong)f)).ToArray();
        IHashFunction thorupZhang = TabulationHash.ThorupZhang(0xB0C5, 0);
        foreach (HashFamily family in Enum.GetValues<HashFamily>())
        {
            ChiSquareStatistic statistic = family switch
            {
                // Characters (i, i, i, i) and (i, i, i, 255 − i), i < 128: they share three table entries, no trial shares one with another.
                HashFamily.SimpleTabulation => IndependenceStatistics.BucketPairs(Trials, Buckets, t =>
                {
                    uint i = (uint)(t % 128);
                    uint shared = i | i << 8 | i << 16;
                    return ((IHashFunction)simple[t / 128], shared | i << 24, shared | (255 - i) << 24);
                }),
                // (x₀, x₁) = (2i, 2i) and (2i, 2i + 1): they share T₀[2i]; derived characters 4i and 4i + 1.
                HashFamily.ThorupZhangTabulation => IndependenceStatistics.BucketPairs(Trials, Buckets, t =>
                {
                    uint i = (uint)t;
                    return (thorupZhang, 2 * i | (2 * i) << 16, 2 * i | (2 * i + 1) << 16);
                }),
                _ => IndependenceStatistics.BucketPairs(Trials, Buckets, t => (HashCase.Draw(family, 0xB0C6, (ulong)t), 1u, 2u)),
            };
            Assert.True(statistic.IsConsistentWithUniform(probability, Bias),
                $"{family}: X² = {statistic.Value:F1} over {statistic.Cells} cells exceeds {statistic.UpperBound(probability, Bias):F1}.");
        }
    }

    /// <summary>
    /// The 4-wise and higher families give four distinct keys independent signs: the 16 sign tuples are uniform and the
    /// product of the four signs is ±1 equally often (4 families × 2 statistics = 8 assertions, 1.25·10⁻⁷ each:
    /// X² ≤ (√15 + √(16·15.9))² ≈ 391 for tuples and (1 + √(2·15.9))² ≈ 44 for products; a 3-wise family can put every
    /// product on +1, X² = 2·10⁴).
    /// </summary>
    [Fact]
    public void Four_keys_get_independent_signs_from_the_four_wise_families()
    {
        const double probability = Budget / 8;
        foreach (HashFamily family in new[] { HashFamily.Polynomial31FourWise, HashFamily.Polynomial31NineWise, HashFamily.Polynomial61FiveWise, HashFamily.ThorupZhangTabulation })
        {
            IHashFunction thorupZhang = TabulationHash.ThorupZhang(0x5165, 0);
            Func<int, (IHashFunction, uint, uint, uint, uint)> trial = family == HashFamily.ThorupZhangTabulation
                ? t => ThorupZhangSquare(thorupZhang, t)
                : t => (HashCase.Draw(family, 0x5164, (ulong)t), 0u, 1u, 2u, 3u);
            foreach (ChiSquareStatistic statistic in new[] { IndependenceStatistics.SignTuples(Trials, trial), IndependenceStatistics.SignProducts(Trials, trial) })
            {
                Assert.True(statistic.IsConsistentWithUniform(probability, Bias),
                    $"{family}: X² = {statistic.Value:F1} over {statistic.Cells} cells exceeds {statistic.UpperBound(probability, Bias):F1}.");
            }
        }
    }

    /// <summary>
    /// The statistics see the difference between 3-wise and 4-wise: simple tabulation on the keys (a, c), (a, d), (b, c),
    /// (b, d) (in two of its characters) XORs to zero, so the sign product is always +1 and the product statistic is
    /// X² = T, far beyond its bound. This holds for every draw, so the test cannot fail by chance.
    /// </summary>
    [Fact]
    public void Simple_tabulation_fails_the_four_key_sign_test()
    {
        TabulationHash[] functions = Enumerable.Range(0, (Trials + 127) / 128).Select(f => TabulationHash.Simple(0x3313, (ulong)f)).ToArray();
        ChiSquareStatistic statistic = IndependenceStatistics.SignProducts(Trials, t =>
        {
            uint a = (uint)(2 * (t % 128)), b = a + 1;
            return (functions[t / 128], a | a << 8, a | b << 8, b | a << 8, b | b << 8);
        });
        Assert.Equal(Trials, statistic.Value, 6);
        Assert.False(statistic.IsConsistentWithUniform(Budget));
    }

    /// <summary>Thorup–Zhang on the square (2i or 2i + 1, 2i or 2i + 1): the tuple that defeats simple tabulation, with disjoint cells per trial.</summary>
    private static (IHashFunction, uint, uint, uint, uint) ThorupZhangSquare(IHashFunction function, int t)
    {
        uint a = 2 * (uint)t, b = a + 1;
        return (function, a | a << 16, a | b << 16, b | a << 16, b | b << 16);
    }
}
