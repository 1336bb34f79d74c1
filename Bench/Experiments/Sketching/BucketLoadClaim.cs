using System.Globalization;
using System.Text;
using Kernels.Bench.Harness;
using Kernels.Randomness;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Hashing;
using Spectre.Console;

namespace Kernels.Bench.Experiments.Sketching;

/// <summary>
/// Lemma 4.1: with Θ(log N)-wise independent hashing of N keys into B ≲ N/log N buckets every load lies in
/// [0.9, 1.1]·N/B with high probability. Keys 0 … N − 1 are hashed into B = ⌊N/(c·log₂ N)⌋ buckets for several
/// constants c (the lemma hides one), by families of independence 2, 3, 4, 5 and ⌈log₂ N⌉, and the extreme loads
/// are set against <see cref="BucketLoads.DeviationBound"/> (Bellare–Rompel with a union bound over the buckets).
/// </summary>
internal static class BucketLoadClaim
{
    private const double FailureProbability = 0.01;
    private const int MinBuckets = 16;

    private sealed record Family(string Name, int Stream, Func<int, int> Independence, Func<int, ulong, ulong, IHashFunction> Make);

    private static readonly Family[] Families =
    [
        new("multiply-shift (2-wise)", 1, _ => 2, (_, seed, stream) => new MultiplyShift(seed, stream)),
        new("simple tabulation (3-wise)", 2, _ => 3, (_, seed, stream) => TabulationHash.Simple(seed, stream)),
        new("polynomial (4-wise)", 3, _ => 4, (_, seed, stream) => new PolynomialHash(4, seed, stream)),
        new("Thorup–Zhang tabulation (5-wise)", 4, _ => 5, (_, seed, stream) => TabulationHash.ThorupZhang(seed, stream)),
        new("polynomial (⌈log₂ N⌉-wise)", 5, LogIndependence, (k, seed, stream) => new PolynomialHash(k, seed, stream)),
    ];

    private const string Consecutive = "consecutive";
    private const string RandomKeys = "random";

    /// <summary>
    /// n distinct keys below 2³¹ − 1 (every family's key range): n + n/64 + 1024 draws from stream 13 of the seed, 31 bits
    /// each, sorted and deduplicated, and the n smallest kept — given the (n + 1)-th smallest value t, a uniformly random
    /// n-subset of [0, t), with t close to 2³¹.
    /// </summary>
    private static uint[] DistinctRandomKeys(int n, ulong seed)
    {
        var draws = new uint[n + n / 64 + 1024];
        new CounterRandom(seed, 13).FillUInt32(draws);
        for (int i = 0; i < draws.Length; i++)
        {
            draws[i] = Math.Min(draws[i] & int.MaxValue, int.MaxValue - 1);
        }
        Array.Sort(draws);
        int unique = 0;
        for (int i = 0; i < draws.Length && unique < n; i++)
        {
            if (unique == 0 || draws[i] != draws[unique - 1])
            {
                draws[unique++] = draws[i];
            }
        }
        if (unique < n)
        {
            throw new InvalidOperationException($"Only {unique} distinct keys among {draws.Length} draws; {n} needed.");
        }
        return draws[..n];
    }

    private static int LogIndependence(int keys) => (int)Math.Ceiling(Math.Log2(keys));

    private sealed record Cell(string KeySet, int C, int Keys, int Buckets, Family Family, int Independence, BucketLoadStatistics[] PerSeed)
    {
        public double Mean => (double)Keys / Buckets;
        public SeedSpread MinRatio => SeedSpread.Of(PerSeed.Select(s => s.MinRatio));
        public SeedSpread MaxRatio => SeedSpread.Of(PerSeed.Select(s => s.MaxRatio));
        public double Worst => PerSeed.Max(s => Math.Max(s.MaxRatio - 1, 1 - s.MinRatio));
        public double Bound => BucketLoads.DeviationBound(Independence, Mean, Buckets, FailureProbability);
        /// <summary>About the largest deviation of B independent Poisson(μ) loads: √(2·ln B / μ) (Gaussian tail, union over B).</summary>
        public double FullyRandom => Math.Sqrt(2 * Math.Log(Buckets) / Mean);
        public int SeedsWithin => PerSeed.Count(s => s.IsWithin(0.1));
    }

    public static ClaimSection Run(ExperimentSettings settings, ProgressContext progress, string folder)
    {
        int[] constants = [1, 32, 1024];
        int[] logs = settings.Quick ? [12, 16, 20] : [10, 12, 14, 16, 18, 20, 22, 24];
        string[] keySets = [Consecutive, RandomKeys];
        var plan = (from keySet in keySets from log in logs let n = 1 << log
                    select (keySet, n, runs: (from c in constants let b = n / (c * log) where b >= MinBuckets from f in Families select (c, b, f)).ToList())).ToList();
        var task = progress.AddTask("bucket loads (Lemma 4.1)", maxValue: plan.Sum(p => p.runs.Count));
        var cells = new List<Cell>();
        foreach (var (keySet, n, runs) in plan)
        {
            if (runs.Count == 0)
            {
                continue;
            }
            var perSeed = runs.Select(_ => new BucketLoadStatistics[settings.Seeds.Length]).ToArray();
            for (int i = 0; i < settings.Seeds.Length; i++)
            {
                ulong seed = settings.Seeds[i];
                uint[]? keys = keySet == RandomKeys ? DistinctRandomKeys(n, seed) : null;
                for (int r = 0; r < runs.Count; r++)
                {
                    var (_, b, family) = runs[r];
                    var hash = family.Make(family.Independence(n), seed, (ulong)family.Stream);
                    perSeed[r][i] = keys is null ? BucketLoads.Measure(hash, 0, n, b) : BucketLoads.Measure(hash, keys, b);
                }
            }
            for (int r = 0; r < runs.Count; r++)
            {
                var (c, b, family) = runs[r];
                cells.Add(new Cell(keySet, c, n, b, family, family.Independence(n), perSeed[r]));
                task.Increment(1);
            }
        }

        var text = new StringBuilder();
        var verdicts = new List<string>();
        text.Append("## Bucket loads (Lemma 4.1)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"N keys hashed into B = ⌊N/(c·log₂ N)⌋ buckets (Lemma 4.1 asks for B ≲ N/log N and hides the constant c), {settings.Seeds.Length} seeds per cell (the hash function's seed and the random key set's; stream = the family's number). ");
        text.Append("Two key sets: *consecutive* keys 0 … N − 1 (`BucketLoads.Measure(hash, 0, N, B)`), and *random*: N distinct keys below 2³¹ − 1 drawn from the seed (`BucketLoads.Measure(hash, keys, B)`). ");
        text.Append("Min and max load ÷ (N/B) as mean ± sd over the seeds; *worst* is the largest |load/(N/B) − 1| over all buckets and seeds; ");
        text.Append(CultureInfo.InvariantCulture, $"*BR δ* is `BucketLoads.DeviationBound(k, N/B, B, {FailureProbability})`: Bellare–Rompel's tail bound (Theorem C.1) with a union bound over the B buckets, at the best even order k′ ≤ k — with probability ≥ 99 % every load lies in (1 ± δ)·N/B; ");
        text.Append("*random δ* is √(2·ln B/(N/B)), about the largest deviation of fully independent hashing (a reference, not a bound). Cells with B < 16 are not run.\n\n");
        foreach (string keySet in keySets)
        {
            var set = cells.Where(c => c.KeySet == keySet).ToList();
            text.Append($"### {keySet} keys\n\n");
            text.Append("| c | N | B | N/B | family | k | min ÷ N/B | max ÷ N/B | worst | BR δ | random δ | within BR δ | seeds in [0.9, 1.1] |\n");
            text.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var cell in set)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"| {cell.C} | 2^{Math.Log2(cell.Keys):F0} | {cell.Buckets:N0} | {cell.Mean:F1} | {cell.Family.Name} | {cell.Independence} | {cell.MinRatio.Format("F3")} | {cell.MaxRatio.Format("F3")} | {cell.Worst:F3} | {cell.Bound:G3} | {cell.FullyRandom:F3} | {(cell.Worst <= cell.Bound ? "yes" : "**no**")} | {cell.SeedsWithin}/{cell.PerSeed.Length} |\n");
            }
            text.Append($"\n**Per family, {keySet} keys**\n\n| family | within the BR δ in every cell | cells with all seeds in [0.9, 1.1], c = " + string.Join(" / ", constants) + " | worst deviation at c = " + string.Join(" / ", constants) + $" | BR δ ≤ 0.1 certified (cells at c = {constants[^1]}) |\n|---|---|---|---|---|\n");
            foreach (var family in Families)
            {
                var mine = set.Where(c => c.Family == family).ToList();
                string within = mine.All(c => c.Worst <= c.Bound) ? "yes" : $"**no** ({mine.Count(c => c.Worst > c.Bound)} cells)";
                string Concentrated(int c) { var at = mine.Where(x => x.C == c).ToList(); return at.Count == 0 ? "—" : $"{at.Count(x => x.SeedsWithin == x.PerSeed.Length)}/{at.Count}"; }
                string Worst(int c) { var at = mine.Where(x => x.C == c).ToList(); return at.Count == 0 ? "—" : at.Max(x => x.Worst).ToString("F3", CultureInfo.InvariantCulture); }
                var large = mine.Where(x => x.C == constants[^1]).ToList();
                text.Append($"| {family.Name} | {within} | {string.Join(" / ", constants.Select(Concentrated))} | {string.Join(" / ", constants.Select(Worst))} | {large.Count(x => x.Bound <= 0.1)}/{large.Count} |\n");
            }
            var logFamily = set.Where(c => c.Family == Families[^1]).ToList();
            bool lemmaHolds = logFamily.Where(c => c.C == constants[^1]).All(c => c.SeedsWithin == c.PerSeed.Length);
            var atOne = logFamily.Where(c => c.C == 1).ToList();
            string lemma = string.Create(CultureInfo.InvariantCulture,
                $"Lemma 4.1, {keySet} keys (⌈log₂ N⌉-wise polynomial, every load in [0.9, 1.1]·N/B): **{(lemmaHolds ? "held" : "did not hold")}** at B = N/({constants[^1]}·log₂ N) for every N and seed (worst deviation {logFamily.Where(c => c.C == constants[^1]).Max(c => c.Worst):F3}, and the Bellare–Rompel bound itself certifies δ ≤ 0.1 in {logFamily.Count(c => c.C == constants[^1] && c.Bound <= 0.1)} of {logFamily.Count(c => c.C == constants[^1])} cells); ")
                + string.Create(CultureInfo.InvariantCulture, $"at c = {constants[1]} the worst deviation is {logFamily.Where(c => c.C == constants[1]).Max(c => c.Worst):F3}, and at B = N/log₂ N (c = 1) {atOne.Max(c => c.Worst):F2}, with {atOne.Count(c => c.SeedsWithin == c.PerSeed.Length)} of {atOne.Count} cells in the band")
                + (atOne.Any(c => c.SeedsWithin < c.PerSeed.Length) ? ": the constant the lemma hides matters." : ".");
            string bound = set.All(c => c.Worst <= c.Bound)
                ? string.Create(CultureInfo.InvariantCulture, $"Bellare–Rompel, {keySet} keys: every family stayed inside its δ in every cell (worst deviation at most {set.Max(c => c.Worst / c.Bound):P0} of δ; {set.Min(c => c.Worst / c.FullyRandom):F2}–{set.Max(c => c.Worst / c.FullyRandom):F2}× the fully random reference).")
                : $"Bellare–Rompel, {keySet} keys: **{set.Count(c => c.Worst > c.Bound)} cells left their δ** (a family not behaving as k-wise independent on these keys, or a 1 % event): see the table.";
            text.Append('\n').Append(lemma).Append("\n\n").Append(bound).Append("\n\n");
            verdicts.Add(lemma);
            verdicts.Add(bound);

            foreach (int c in constants)
            {
                var at = set.Where(x => x.C == c).ToList();
                if (at.Select(x => x.Keys).Distinct().Count() < 2)
                {
                    continue;
                }
                var plot = new LinePlot($"Bucket loads, {keySet} keys, B = N/({c}·log2 N): worst |load/(N/B) − 1| over buckets and seeds", "log2 N", "log10 worst relative deviation");
                List<double> Xs(IEnumerable<Cell> line) => line.Select(x => Math.Log2(x.Keys)).ToList();
                foreach (var family in Families)
                {
                    var line = at.Where(x => x.Family == family).OrderBy(x => x.Keys).ToList();
                    plot.Add(family.Name, Xs(line), line.Select(x => Math.Log10(x.Worst)).ToList());
                }
                var logLine = at.Where(x => x.Family == Families[^1]).OrderBy(x => x.Keys).ToList();
                var lx = Xs(logLine);
                plot.Add("BR δ of the log N-wise family (99 %)", lx, logLine.Select(x => Math.Log10(x.Bound)).ToList());
                plot.Add("fully random reference √(2 ln B/(N/B))", lx, logLine.Select(x => Math.Log10(x.FullyRandom)).ToList());
                plot.Add("0.1 (Lemma 4.1)", [lx[0], lx[^1]], [-1, -1]);
                string name = $"sketching-bucket-loads-{keySet}-c{c}.png";
                plot.Save(Path.Combine(folder, name));
                text.Append(CultureInfo.InvariantCulture, $"![bucket loads, {keySet} keys, c = {c}]({name})\n\n");
            }
        }
        return new ClaimSection(text.ToString(), verdicts);
    }
}
