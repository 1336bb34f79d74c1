using Kernels.Randomness;

namespace Kernels.Training.Data;

/// <summary>A seeded split of a classification set into training and test parts, each class in both in proportion to its count.</summary>
public static class StratifiedSplit
{
    /// <summary>The purpose this split derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong Purpose = CounterRandom.Purpose("split");

    /// <summary>
    /// Holds out <paramref name="testCount"/> examples of <paramref name="set"/>, stratified by class, and keeps the rest for training.
    /// </summary>
    /// <remarks>
    /// <para>Class c with n_c of the n examples gets a quota of n_c·testCount/n test examples, rounded down; the examples
    /// left over go one each to the classes with the largest remainders (ties to the smaller class index), so the
    /// quotas add up to exactly <paramref name="testCount"/>.</para>
    /// <para>Within class c, its examples (in the set's order) are shuffled by Fisher–Yates with draws from stream c of
    /// <c>CounterRandom(Derive(seed, Purpose("split")), c)</c> (index = ⌊u·(k + 1)/2³²⌋ for a 32-bit draw u: a bias below
    /// 2⁻²⁰ at these sizes), and the first quota of them are held out. Both parts keep the set's order, so the split depends
    /// only on the set, <paramref name="testCount"/> and <paramref name="seed"/>.</para>
    /// </remarks>
    /// <param name="set">The examples to split.</param>
    /// <param name="testCount">Examples to hold out, in [1, n − 1].</param>
    /// <param name="seed">The seed of the shuffle.</param>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testCount"/> is out of range.</exception>
    public static LabeledSplit Split(ClassificationSet set, int testCount, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfLessThan(testCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testCount, set.Count - 1);
        int[] counts = set.ClassCounts();
        int[] quotas = Quotas(counts, set.Count, testCount);

        ulong derived = CounterRandom.Derive(seed, Purpose);
        var heldOut = new bool[set.Count];
        var members = new List<int>();
        for (int c = 0; c < counts.Length; c++)
        {
            members.Clear();
            for (int i = 0; i < set.Count; i++)
            {
                if (set.Labels[i] == c)
                {
                    members.Add(i);
                }
            }
            var draws = new uint[members.Count];
            new CounterRandom(derived, (ulong)c).FillUInt32(draws);
            for (int k = members.Count - 1; k > 0; k--)
            {
                int j = (int)((ulong)draws[k] * (ulong)(k + 1) >> 32);
                (members[k], members[j]) = (members[j], members[k]);
            }
            for (int k = 0; k < quotas[c]; k++)
            {
                heldOut[members[k]] = true;
            }
        }
        var train = new int[set.Count - testCount];
        var test = new int[testCount];
        int trainAt = 0, testAt = 0;
        for (int i = 0; i < set.Count; i++)
        {
            if (heldOut[i])
            {
                test[testAt++] = i;
            }
            else
            {
                train[trainAt++] = i;
            }
        }
        return new LabeledSplit(set.Subset(train), set.Subset(test));
    }

    /// <summary>Largest-remainder apportionment of <paramref name="testCount"/> among the classes by their counts.</summary>
    private static int[] Quotas(int[] counts, int total, int testCount)
    {
        var quotas = new int[counts.Length];
        var remainders = new long[counts.Length];
        int assigned = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            long scaled = (long)counts[c] * testCount;
            quotas[c] = (int)(scaled / total);
            remainders[c] = scaled % total;
            assigned += quotas[c];
        }
        for (; assigned < testCount; assigned++)
        {
            int best = -1;
            for (int c = 0; c < counts.Length; c++)
            {
                if (quotas[c] < counts[c] && (best < 0 || remainders[c] > remainders[best]))
                {
                    best = c;
                }
            }
            quotas[best]++;
            remainders[best] = -1;
        }
        return quotas;
    }
}
