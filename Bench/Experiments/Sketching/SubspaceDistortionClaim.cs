using System.Globalization;
using System.Text;
using Kernels.Bench.Harness;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Operators;
using Spectre.Console;

namespace Kernels.Bench.Experiments.Sketching;

/// <summary>
/// Theorem 3.2: sparse embeddings are (1 ± ε) subspace embeddings of a fixed d-dimensional subspace once
/// s = d·polylog/ε², i.e. ε ≈ √(C·d/s). For each sketch, subspace source, d and s, ε is measured exactly with
/// <see cref="SubspaceDistortion.Measure{T}"/> (the extreme eigenvalues of (SQ)ᵀ(SQ)), and s = C·d/ε² is fitted.
/// </summary>
internal static class SubspaceDistortionClaim
{
    /// <summary>The fit uses the seeds' measurements with ε below this: the theorem is about ε &lt; 1.</summary>
    private const double FitCeiling = 1.0;

    private sealed record Cell(SubspaceSource Source, SketchKind Sketch, int D, int S, double[] PerSeed)
    {
        public SeedSpread Epsilon => SeedSpread.Of(PerSeed);
    }

    /// <summary>The fit for one sketch on one source: log ε = a + b·log s + c·log d (free), and log C = mean of 2·log ε + log s − log d.</summary>
    private sealed record Fit(int Points, double B, double CExponent, double FreeRSquared, double C, double RSquared, double MinRatio, double MaxRatio)
    {
        // The claim's shape with tolerances for a grid where d spans only a factor 2.5 and s a factor 16.
        public bool Held => Math.Abs(B + 0.5) <= 0.1 && Math.Abs(CExponent - 0.5) <= 0.2 && RSquared >= 0.9;
    }

    public static ClaimSection Run(ExperimentSettings settings, IReadOnlyList<SubspaceSource> sources, int[] dimensions, ProgressContext progress, string folder)
    {
        var plan = (from source in sources from sketch in SketchKind.All from d in dimensions from s in source.SketchSizes select (source, sketch, d, s)).ToList();
        var task = progress.AddTask("subspace distortion (Theorem 3.2)", maxValue: plan.Count);
        var bases = new Dictionary<(SubspaceSource, ulong, int), double[]>();
        var cells = new List<Cell>();
        foreach (var (source, sketch, d, s) in plan)
        {
            var perSeed = settings.Seeds.Select(seed =>
            {
                if (!bases.TryGetValue((source, seed, d), out double[]? basis))
                {
                    basis = source.Basis(seed, d);
                    bases[(source, seed, d)] = basis;
                }
                var sampled = sketch.Make(s, source.Ambient).Sample<double>(seed);
                return SubspaceDistortion.Measure(sampled, new ReadOnlyMatrixView<double>(basis, source.Ambient, d), BasisHandling.Orthonormalize).Distortion;
            }).ToArray();
            cells.Add(new Cell(source, sketch, d, s, perSeed));
            task.Increment(1);
        }

        var text = new StringBuilder();
        var verdicts = new List<string>();
        text.Append("## Subspace distortion (Theorem 3.2)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"ε = max(λmax − 1, 1 − λmin) of (SQ)ᵀ(SQ) for an orthonormal basis Q of the subspace (`SubspaceDistortion.Measure`, double, `BasisHandling.Orthonormalize`), mean ± sd over {settings.Seeds.Length} seeds (each seed draws both the subspace and S). ");
        text.Append(CultureInfo.InvariantCulture, $"Fit per sketch and source over the per-seed points with ε < {FitCeiling}: free, log ε = a + b·log s + c·log d (the claim s = C·d/ε² means b = −½, c = +½); and with the claim's exponents, C = exp(mean(2·log ε + log s − log d)), R² of log ε under that model, and the range of ε²·s/d over the points. ");
        text.Append("*Held* means |b + ½| ≤ 0.1, |c − ½| ≤ 0.2 and R² ≥ 0.9 for s = C·d/ε² (d spans only 20 … 50, so c is loosely determined). Theorem 3.2's s also carries polylog(d/(εδ)) factors, which C absorbs; for CountSketch (one nonzero) the general bound is s = O(d²/ε²) (Theorem B.3 needs only 2-wise h), so c ≈ +1 would be within its theory.\n\n");
        foreach (var source in sources)
        {
            text.Append($"### {source.Name}\n\n| sketch | d | " + string.Join(" | ", source.SketchSizes.Select(s => $"s = {s}")) + " |\n|---|---|" + string.Concat(source.SketchSizes.Select(_ => "---|")) + "\n");
            foreach (var sketch in SketchKind.All)
            {
                foreach (int d in dimensions)
                {
                    var row = cells.Where(c => c.Source == source && c.Sketch == sketch && c.D == d).OrderBy(c => c.S);
                    text.Append($"| {sketch.Name} | {d} | " + string.Join(" | ", row.Select(c => c.Epsilon.Format("F3"))) + " |\n");
                }
            }
            text.Append("\n| sketch | points (ε < 1) | b (claim −½) | c (claim +½) | R² free | C in s = C·d/ε² | R² | ε²·s/d range | verdict |\n|---|---|---|---|---|---|---|---|---|\n");
            var plot = new LinePlot($"Subspace distortion, {source.Name}, d = {dimensions[^1]} (mean over seeds)", "log10 s", "log10 ε");
            foreach (var sketch in SketchKind.All)
            {
                var mine = cells.Where(c => c.Source == source && c.Sketch == sketch).ToList();
                Fit? fit = FitOf(mine, _ => 1);
                string verdict = fit is null ? "too few points" : fit.Held ? "**held**" : "**did not hold**";
                if (fit is null)
                {
                    text.Append($"| {sketch.Name} | {mine.Sum(c => c.PerSeed.Count(e => e < FitCeiling))} | — | — | — | — | — | — | {verdict} |\n");
                    verdicts.Add($"Theorem 3.2, {sketch.Name}, {source.Name}: too few points with ε < 1.");
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture,
                        $"| {sketch.Name} | {fit.Points} | {fit.B:F3} | {fit.CExponent:F3} | {fit.FreeRSquared:F3} | {fit.C:F2} | {fit.RSquared:F3} | {fit.MinRatio:F2}–{fit.MaxRatio:F2} | {verdict} |\n");
                    verdicts.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Theorem 3.2, {sketch.Name}, {source.Name}: ε ∝ s^{fit.B:F2}·d^{fit.CExponent:F2} (claim s^−0.5·d^0.5), C = {fit.C:F2} (R² {fit.RSquared:F2}): {verdict}."));
                }
                if (sketch.Make(source.SketchSizes[0], source.Ambient) is SrhtDistribution srht && FitOf(mine, s => Math.Sqrt(1 - (double)s / srht.PaddedColumns)) is { } corrected)
                {
                    // The SRHT keeps s of the N′ rows of an orthogonal matrix without replacement, which scales the
                    // error by about √(1 − s/N′) (finite-population correction); as s nears N′ the raw fit steepens.
                    string correctedVerdict = corrected.Held ? "**held**" : "**did not hold**";
                    text.Append(CultureInfo.InvariantCulture,
                        $"| {sketch.Name}, ε ÷ √(1 − s/N′), N′ = {srht.PaddedColumns} | {corrected.Points} | {corrected.B:F3} | {corrected.CExponent:F3} | {corrected.FreeRSquared:F3} | {corrected.C:F2} | {corrected.RSquared:F3} | {corrected.MinRatio:F2}–{corrected.MaxRatio:F2} | {correctedVerdict} |\n");
                    verdicts.Add(string.Create(CultureInfo.InvariantCulture,
                        $"Theorem 3.2, {sketch.Name} with its without-replacement factor √(1 − s/N′) divided out, {source.Name}: ε ∝ s^{corrected.B:F2}·d^{corrected.CExponent:F2}, C = {corrected.C:F2} (R² {corrected.RSquared:F2}): {correctedVerdict}."));
                }
                var line = mine.Where(c => c.D == dimensions[^1]).OrderBy(c => c.S).ToList();
                plot.Add(sketch.Name, line.Select(c => Math.Log10(c.S)).ToList(), line.Select(c => Math.Log10(c.Epsilon.Mean)).ToList());
            }
            // The Gaussian sketch's extreme singular values sit near 1 ± √(d/s) (Marchenko–Pastur), so ε ≈ 2·√(d/s) + d/s:
            // the d/s term is why fitted exponents at moderate ε come out steeper than the claim's ½.
            var gaussian = cells.Where(c => c.Source == source && c.Sketch.Name == "Gaussian").Select(c => c.Epsilon.Mean / (2 * Math.Sqrt((double)c.D / c.S) + (double)c.D / c.S)).ToList();
            text.Append(CultureInfo.InvariantCulture,
                $"\nGaussian against the Marchenko–Pastur edge, ε ≈ 2·√(d/s) + d/s (so C → 4 as ε → 0, and the d/s term steepens fitted exponents at moderate ε): measured ÷ predicted {gaussian.Min():F2}–{gaussian.Max():F2} over the cells.\n");
            var sizes = source.SketchSizes.Select(s => (double)s).ToList();
            plot.Add("√(d/s)", sizes.Select(Math.Log10).ToList(), sizes.Select(s => 0.5 * Math.Log10(dimensions[^1] / s)).ToList());
            string name = $"sketching-distortion-{Slug(source.Name)}.png";
            plot.Save(Path.Combine(folder, name));
            text.Append(CultureInfo.InvariantCulture, $"\n![subspace distortion, {source.Name}]({name})\n\n");
        }
        return new ClaimSection(text.ToString(), verdicts);
    }

    /// <summary>The fit over every seed's point with ε below the ceiling, of ε divided by <paramref name="factor"/>(s).</summary>
    private static Fit? FitOf(List<Cell> cells, Func<int, double> factor)
    {
        var points = cells.SelectMany(c => c.PerSeed.Where(e => e < FitCeiling && e > 0).Select(e => (c.S, c.D, Epsilon: e / factor(c.S)))).ToList();
        if (points.Count < 4 || points.Select(p => p.D).Distinct().Count() < 2 || points.Select(p => p.S).Distinct().Count() < 2)
        {
            return null;
        }
        var y = points.Select(p => Math.Log(p.Epsilon)).ToList();
        var free = LinearFit.Of(points.Select(p => new[] { Math.Log(p.S), Math.Log(p.D) }).ToList(), y);
        var ratios = points.Select(p => p.Epsilon * p.Epsilon * p.S / p.D).ToList();
        double logC = ratios.Average(Math.Log);
        double mean = y.Average();
        double residual = points.Zip(y, (p, v) => v - 0.5 * (logC + Math.Log(p.D) - Math.Log(p.S))).Sum(r => r * r);
        double total = y.Sum(v => (v - mean) * (v - mean));
        return new Fit(points.Count, free.Coefficients[1], free.Coefficients[2], free.RSquared, Math.Exp(logC), 1 - residual / total, ratios.Min(), ratios.Max());
    }

    private static string Slug(string name) => new string(name.Select(ch => char.IsLetterOrDigit(ch) ? char.ToLowerInvariant(ch) : '-').ToArray()).Replace("--", "-").Trim('-');
}
