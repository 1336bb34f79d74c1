using System.Globalization;
using System.Text;
using Kernels.Bench.Harness;
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

    private static int LogIndependence(int keys) => (int)Math.Ceiling(Math.Log2(keys));

    private sealed record Cell(int C, int Keys, int Buckets, Family Family, int Independence, BucketLoadStatistics[] PerSeed)
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
        int[] logs = settings.Quick ? [10, 12, 14, 16, 18] : [10, 12, 14, 16, 18, 20, 22, 24];
        var plan = (from c in constants from log in logs let n = 1 << log let b = n / (c * log) where b >= MinBuckets from f in Families select (c, n, b, f)).ToList();
        var task = progress.AddTask("bucket loads (Lemma 4.1)", maxValue: plan.Count);
        var cells = new List<Cell>();
        foreach (var (c, n, b, family) in plan)
        {
            int k = family.Independence(n);
            var perSeed = settings.Seeds.Select(seed => BucketLoads.Measure(family.Make(k, seed, (ulong)family.Stream), 0, n, b)).ToArray();
            cells.Add(new Cell(c, n, b, family, k, perSeed));
            task.Increment(1);
        }

        var text = new StringBuilder();
        text.Append("## Bucket loads (Lemma 4.1)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Keys 0 … N − 1 hashed into B = ⌊N/(c·log₂ N)⌋ buckets (Lemma 4.1 asks for B ≲ N/log N and hides the constant c), {settings.Seeds.Length} seeds per cell (the hash function's seed; stream = the family's number). ");
        text.Append(CultureInfo.InvariantCulture, $"Min and max load ÷ (N/B) as mean ± sd over the seeds; *worst* is the largest |load/(N/B) − 1| over all buckets and seeds; ");
        text.Append(CultureInfo.InvariantCulture, $"*BR δ* is `BucketLoads.DeviationBound(k, N/B, B, {FailureProbability})`: Bellare–Rompel's tail bound (Theorem C.1) with a union bound over the B buckets, at the best even order k′ ≤ k — with probability ≥ 99 % every load lies in (1 ± δ)·N/B; ");
        text.Append("*random* is √(2·ln B/(N/B)), about the largest deviation of fully independent hashing (a reference, not a bound). Cells with B < 16 are not run.\n\n");
        text.Append("| c | N | B | N/B | family | k | min ÷ N/B | max ÷ N/B | worst | BR δ | random | within BR δ | seeds in [0.9, 1.1] |\n");
        text.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var cell in cells)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {cell.C} | 2^{Math.Log2(cell.Keys):F0} | {cell.Buckets:N0} | {cell.Mean:F1} | {cell.Family.Name} | {cell.Independence} | {cell.MinRatio.Format("F3")} | {cell.MaxRatio.Format("F3")} | {cell.Worst:F3} | {cell.Bound:G3} | {cell.FullyRandom:F3} | {(cell.Worst <= cell.Bound ? "yes" : "**no**")} | {cell.SeedsWithin}/{cell.PerSeed.Length} |\n");
        }

        var verdicts = new List<string>();
        text.Append("\n### Verdict per family\n\n| family | within the BR δ in every cell | all seeds in [0.9, 1.1], c = 1 / 32 / 1024 (cells) | worst deviation at c = 1 / 32 / 1024 | BR δ ≤ 0.1 certified (cells at c = 1024) |\n|---|---|---|---|---|\n");
        foreach (var family in Families)
        {
            var mine = cells.Where(c => c.Family == family).ToList();
            string within = mine.All(c => c.Worst <= c.Bound) ? "yes" : $"**no** ({mine.Count(c => c.Worst > c.Bound)} cells)";
            string Concentrated(int c) { var at = mine.Where(x => x.C == c).ToList(); return at.Count == 0 ? "—" : $"{at.Count(x => x.SeedsWithin == x.PerSeed.Length)}/{at.Count}"; }
            string Worst(int c) { var at = mine.Where(x => x.C == c).ToList(); return at.Count == 0 ? "—" : at.Max(x => x.Worst).ToString("F3", CultureInfo.InvariantCulture); }
            var large = mine.Where(x => x.C == constants[^1]).ToList();
            string certified = $"{large.Count(x => x.Bound <= 0.1)}/{large.Count}";
            text.Append(CultureInfo.InvariantCulture,
                $"| {family.Name} | {within} | {string.Join(" / ", constants.Select(Concentrated))} | {string.Join(" / ", constants.Select(Worst))} | {certified} |\n");
        }
        var logFamily = cells.Where(c => c.Family == Families[^1]).ToList();
        bool lemmaHolds = logFamily.Where(c => c.C == constants[^1]).All(c => c.SeedsWithin == c.PerSeed.Length);
        bool failsAtOne = logFamily.Where(c => c.C == 1).Any(c => c.SeedsWithin < c.PerSeed.Length);
        string lemma = $"Lemma 4.1 (⌈log₂ N⌉-wise, loads in [0.9, 1.1]·N/B): **{(lemmaHolds ? "held" : "did not hold")}** at B = N/(1024·log₂ N) for every N and seed" +
            (failsAtOne ? $"; at B = N/log₂ N (c = 1) it does not (worst deviation {logFamily.Where(c => c.C == 1).Max(c => c.Worst):F2}): the lemma's constant matters" : "") + ".";
        string bound = cells.All(c => c.Worst <= c.Bound)
            ? $"Every family stayed inside its Bellare–Rompel δ in every cell; the worst deviation was {cells.Max(c => c.Worst / c.Bound):P0} of δ at most, and {cells.Min(c => c.Worst / c.FullyRandom):F2}–{cells.Max(c => c.Worst / c.FullyRandom):F2}× the fully random reference."
            : $"{cells.Count(c => c.Worst > c.Bound)} cells left their Bellare–Rompel δ (a family not behaving as k-wise independent, or a 1 % event): see the table.";
        string lowK = $"Worst deviation at c = {constants[^1]} by family: "
            + string.Join(", ", Families.Select(f => $"{f.Name} {cells.Where(c => c.Family == f && c.C == constants[^1]).Select(c => c.Worst).DefaultIfEmpty(double.NaN).Max():F3}"))
            + " (the lemma needs high independence for its proof; whether lower independence concentrates too on these keys is what this line shows).";
        text.Append('\n').Append(lemma).Append("\n\n").Append(bound).Append("\n\n").Append(lowK).Append('\n');
        verdicts.Add(lemma);
        verdicts.Add(bound);

        foreach (int c in constants)
        {
            var at = cells.Where(x => x.C == c).ToList();
            if (at.Select(x => x.Keys).Distinct().Count() < 2)
            {
                continue;
            }
            var plot = new LinePlot($"Bucket loads, B = N/({c}·log2 N): min and max load / (N/B), mean over seeds", "log2 N", "load / (N/B)");
            foreach (var family in Families)
            {
                var line = at.Where(x => x.Family == family).OrderBy(x => x.Keys).ToList();
                var xs = line.Select(x => Math.Log2(x.Keys)).ToList();
                plot.Add($"{family.Name} max", xs, line.Select(x => x.MaxRatio.Mean).ToList());
                plot.Add($"{family.Name} min", xs, line.Select(x => x.MinRatio.Mean).ToList());
            }
            var logLine = at.Where(x => x.Family == Families[^1]).OrderBy(x => x.Keys).ToList();
            var lx = logLine.Select(x => Math.Log2(x.Keys)).ToList();
            if (logLine.All(x => x.Bound < 1))
            {
                plot.Add("1 ± BR δ (log N-wise, 99 %)", lx, logLine.Select(x => 1 + x.Bound).ToList());
                plot.Add("1 − BR δ", lx, logLine.Select(x => 1 - x.Bound).ToList());
            }
            plot.Add("1.1 (Lemma 4.1)", [lx[0], lx[^1]], [1.1, 1.1]);
            plot.Add("0.9 (Lemma 4.1)", [lx[0], lx[^1]], [0.9, 0.9]);
            string name = $"sketching-bucket-loads-c{c}.png";
            plot.Save(Path.Combine(folder, name));
            text.Append(CultureInfo.InvariantCulture, $"\n![bucket loads, c = {c}]({name})\n");
        }
        return new ClaimSection(text.ToString(), verdicts);
    }
}
