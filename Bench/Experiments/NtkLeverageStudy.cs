using System.Globalization;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Training.Ntk;
using Spectre.Console;

namespace Kernels.Bench.Experiments;

/// <summary>
/// The leverage-sampling part of <c>experiment ntk</c> for one data set and one λ: the spectral error ε of K̃ + λI against
/// K + λI against the number of features m, over several seeds, for plain sampling and for leverage sampling with Nyström
/// and with exact scores (and, where affordable, exact scores from a 4× larger pool, to show whether the pool binds); the
/// issue's test "leverage at m reaches plain at 2m" for each; and the diagnostics that bound what leverage sampling can
/// gain: the effective dimension d_λ and the spread of the exact scores over a plain pool (plain sampling's matrix
/// Chernoff bound needs m ∝ max_w τ/p, leverage sampling's m ∝ d_λ = E_p[τ/p], so max ÷ mean bounds the gain of the
/// bound).
/// </summary>
internal static class NtkLeverageStudy
{
    /// <summary>Pool factor of the leverage columns (as in the experiment before exact scores existed).</summary>
    private const int PoolFactor = 16;

    /// <summary>Candidates in the pool whose score spread is reported.</summary>
    private const int SpreadPool = 4096;

    /// <summary>The study's markdown and its curves (mean ε per width, one per method), for the plot.</summary>
    internal sealed record Outcome(string Markdown, IReadOnlyList<(string Label, List<double> Curve)> Curves);

    /// <summary>Runs the study; <paramref name="largePoolFactor"/> 0 skips the large-pool column.</summary>
    internal static Outcome Run(string title, Matrix<double> kernel, ReadOnlyMatrixView<double> points, double lambda, string lambdaNote,
        int[] widths, int seeds, int nystromRank, int largePoolFactor)
    {
        int n = points.Rows, d = points.Columns;
        double effective = LeverageScores.EffectiveDimension(kernel.ReadOnlyView, lambda);
        var spectrum = Lanczos.ExtremeEigenvalues(new DenseOperator<double>(kernel.AsMemory(), n), new LanczosOptions { MaxIterations = Math.Min(n, 300) });
        double top = spectrum.Largest, bottom = spectrum.Smallest;
        var candidates = RandomFeatures<double>.Plain(SpreadPool, d, 1000);
        var scores = new double[SpreadPool];
        LeverageScores.Estimate(points, kernel.ReadOnlyView, candidates.Weights, new LeverageSamplingOptions { Lambda = lambda }, scores);
        double mean = scores.Average(), max = scores.Max();
        var sorted = scores.Order().ToArray();
        double median = sorted[SpreadPool / 2], tenth = sorted[SpreadPool / 10];
        AnsiConsole.MarkupLine($"  {Markup.Escape(title)}: λ = {lambda:G3}, d_λ = {effective:F1}, exact scores mean {mean:F1} max {max:F1}");

        var methods = new List<(string Label, Func<int, ulong, RandomFeatures<double>> Draw)>
        {
            ("plain", (m, seed) => RandomFeatures<double>.Plain(m, d, seed)),
        };
        // The closures cannot capture the ref-struct view, so each draw re-wraps the matrix it copies here.
        var x = new Matrix<double>(points);
        methods.Add(($"leverage, Nyström ℓ = {nystromRank}", (m, seed) => LeverageSampling.Sample(x.ReadOnlyView, kernel.ReadOnlyView, m,
            new LeverageSamplingOptions { Lambda = lambda, Seed = seed, PoolFactor = PoolFactor, NystromRank = nystromRank, Estimator = LeverageScoreEstimator.Nystrom })));
        methods.Add(("leverage, exact", (m, seed) => LeverageSampling.Sample(x.ReadOnlyView, kernel.ReadOnlyView, m,
            new LeverageSamplingOptions { Lambda = lambda, Seed = seed, PoolFactor = PoolFactor })));
        if (largePoolFactor > 0)
        {
            methods.Add(($"leverage, exact, pool {largePoolFactor}·m", (m, seed) => LeverageSampling.Sample(x.ReadOnlyView, kernel.ReadOnlyView, m,
                new LeverageSamplingOptions { Lambda = lambda, Seed = seed, PoolFactor = largePoolFactor })));
        }

        var errors = new double[methods.Count, widths.Length, seeds];
        var spikes = new MarkdownTable("m", "Sampling", "1 + ε (λ_max of the whole)", "Largest single-feature term", "Distinct features of m");
        var factor = new Matrix<double>(kernel.ReadOnlyView);
        for (int i = 0; i < n; i++)
        {
            factor[i, i] += lambda;
        }
        Cholesky.Factor(factor.View);
        int unconverged = 0;
        for (int w = 0; w < widths.Length; w++)
        {
            for (ulong seed = 0; seed < (ulong)seeds; seed++)
            {
                for (int k = 0; k < methods.Count; k++)
                {
                    var features = methods[k].Draw(widths[w], seed);
                    var result = SpectralError.Estimate(kernel.ReadOnlyView, new GramOperator<double>(new RandomFeatureMap<double>(x.ReadOnlyView, features), GramForm.AAt), lambda,
                        new LanczosOptions { MaxIterations = 150, RelativeTolerance = 1e-6 });
                    errors[k, w, seed] = result.Epsilon;
                    unconverged += result.Converged ? 0 : 1;
                    if (seed == 0)
                    {
                        var (largest, distinct) = LargestTerm(factor, x, features);
                        spikes.Add($"{widths[w]}", methods[k].Label, $"{result.Largest:G3}", $"{largest:G3}", $"{distinct}");
                    }
                }
            }
            AnsiConsole.MarkupLine($"    m = {widths[w]}: " + string.Join(", ", Enumerable.Range(0, methods.Count).Select(k => $"{Markup.Escape(methods[k].Label)} {Mean(errors, k, w, seeds):G3}")));
        }

        var columns = new List<string> { "m", "Features m·d" };
        columns.AddRange(methods.Select(method => $"ε {method.Label}"));
        var table = new MarkdownTable([.. columns]);
        var curves = methods.Select(method => (method.Label, new List<double>())).ToList();
        for (int w = 0; w < widths.Length; w++)
        {
            var cells = new List<string> { $"{widths[w]}", $"{widths[w] * d:N0}" };
            for (int k = 0; k < methods.Count; k++)
            {
                double average = Mean(errors, k, w, seeds);
                curves[k].Item2.Add(average);
                double low = double.MaxValue, high = 0;
                for (int s = 0; s < seeds; s++)
                {
                    low = Math.Min(low, errors[k, w, s]);
                    high = Math.Max(high, errors[k, w, s]);
                }
                cells.Add(seeds > 1 ? $"{average:G3} ({low:G3}–{high:G3})" : $"{average:G3}");
            }
            table.Add([.. cells]);
        }

        var verdicts = new List<string>();
        for (int k = 1; k < methods.Count; k++)
        {
            var pairs = new List<string>();
            int met = 0, total = 0;
            for (int w = 0; w + 1 < widths.Length; w++)
            {
                if (widths[w + 1] != 2 * widths[w])
                {
                    continue;
                }
                double leverage = Mean(errors, k, w, seeds), plain = Mean(errors, 0, w + 1, seeds);
                total++;
                met += leverage <= plain ? 1 : 0;
                pairs.Add($"m = {widths[w]}: {leverage:G3} {(leverage <= plain ? "≤" : ">")} {plain:G3}");
            }
            double ratio = Enumerable.Range(0, widths.Length).Average(w => Mean(errors, 0, w, seeds) / Mean(errors, k, w, seeds));
            verdicts.Add($"- **{methods[k].Label}**: reaches plain-at-2m at {met} of {total} widths ({string.Join("; ", pairs)}); plain ÷ leverage at equal m, mean over widths: {ratio:F2}×");
        }

        string markdown = $"\n## {title}\n\n"
            + string.Create(CultureInfo.InvariantCulture, $"n = {n}, d = {d}; λ = {lambda:G3} ({lambdaNote}); K's extreme eigenvalues {bottom:G3} and {top:G4} (Lanczos), so λ/‖K‖ = {lambda / top:G2}; ")
            + string.Create(CultureInfo.InvariantCulture, $"effective dimension d_λ = tr(K(K + λI)⁻¹) = {effective:F1}. ")
            + string.Create(CultureInfo.InvariantCulture, $"Exact scores τ/p = tr(Φ_wᵀ(K + λI)⁻¹Φ_w) over {SpreadPool:N0} plain draws: mean {mean:F1} (estimates d_λ), 10th percentile {tenth:F1}, median {median:F1}, max {max:F1}; ")
            + string.Create(CultureInfo.InvariantCulture, $"max ÷ mean = {max / mean:F2}. Leverage sampling makes every feature's share tr((K + λI)^(−1/2)·s²Φ_wΦ_wᵀ·(K + λI)^(−1/2)) equal to d_λ, where plain sampling's varies with w; the matrix Chernoff bound charges the largest share, so plain sampling needs m ∝ max τ/p and leverage sampling m ∝ d_λ: max ÷ mean is the factor the bound allows leverage sampling to save.\n\n")
            + $"ε: mean over {seeds} seed{(seeds > 1 ? "s" : "")} (min–max in brackets); pool {PoolFactor}·m unless the column says otherwise; Lanczos (≤ 150 steps, tolerance 10⁻⁶ on both extremes) converged in all but {unconverged} of {errors.Length} estimates; Ritz values lie inside the spectrum, so an unconverged ε is a lower bound; an ε above 1 can only come from the largest eigenvalue (1 − λ_min < 1), the fast-converging end.\n\n"
            + table.ToMarkdown()
            + "\nHalf the features (leverage ε at m against plain ε at 2m, means over seeds):\n\n" + string.Join("\n", verdicts) + "\n"
            + "\nWhere the error comes from (seed 0): the largest eigenvalue of L⁻¹(K̃ + λI)L⁻ᵀ against that of its largest single term L⁻¹((s_r²/m)·Φ_rΦ_rᵀ)L⁻ᵀ "
            + "(each term is ≼ the whole, so the term is a lower bound), and how many of the m sampled features are distinct (resampling a finite pool with replacement repeats candidates, "
            + "and a repeated feature is one term of twice the weight):\n\n" + spikes.ToMarkdown();
        return new Outcome(markdown, curves);
    }

    /// <summary>
    /// max_r λ_max(L⁻¹((s_r²/m)·Φ_rΦ_rᵀ)L⁻ᵀ) over the features (Lanczos on each one-feature Gram operator, through the factor L of
    /// K + λI) and the number of distinct weight rows.
    /// </summary>
    private static (double Largest, int Distinct) LargestTerm(Matrix<double> factor, Matrix<double> x, RandomFeatures<double> features)
    {
        int n = x.Rows, m = features.Count, d = features.Dimension;
        double largest = 0;
        var scratch = new double[n];
        var distinct = new HashSet<string>();
        for (int r = 0; r < m; r++)
        {
            distinct.Add(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(features.Weights.Row(r))));
            var one = new RandomFeatures<double>(features.Weights.Slice(r, 0, 1, d), [features.Scales[r] / Math.Sqrt(m)]);
            var gram = new GramOperator<double>(new RandomFeatureMap<double>(x.ReadOnlyView, one), GramForm.AAt);
            var op = new DelegateOperator<double>(n, (v, y) =>
            {
                v.CopyTo(scratch);
                TriangularSolve.Solve(Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, factor.ReadOnlyView, scratch);
                gram.Apply(1.0, scratch, 0.0, y);
                TriangularSolve.Solve(Triangle.Lower, Transpose.None, Diagonal.NonUnit, factor.ReadOnlyView, y);
            });
            largest = Math.Max(largest, Lanczos.ExtremeEigenvalues(op, new LanczosOptions { MaxIterations = 60, RelativeTolerance = 1e-4 }).Largest);
        }
        return (largest, distinct.Count);
    }

    private static double Mean(double[,,] errors, int method, int width, int seeds)
    {
        double sum = 0;
        for (int s = 0; s < seeds; s++)
        {
            sum += errors[method, width, s];
        }
        return sum / seeds;
    }
}
