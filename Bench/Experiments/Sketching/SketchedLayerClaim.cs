using System.Globalization;
using System.Text;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Layers;
using Spectre.Console;

namespace Kernels.Bench.Experiments.Sketching;

/// <summary>
/// Theorems 3.4–3.6: a layer whose inputs lie in a d-dimensional subspace U keeps its outputs when W·x is replaced by
/// (W·Sᵀ)·(S·x), with an error that shrinks like 1/√s. A <see cref="SketchedLinear{T}"/> layer gets P = S·Wᵀ (the
/// sketched weights W·Sᵀ, stored transposed) and its outputs on a batch X from U are compared with X·Wᵀ.
/// </summary>
/// <remarks>
/// Two kinds of W: rows in U (W = A·Gᵀ, as the weights of a layer trained by gradient steps on inputs from U stay,
/// starting from zero), where the error is X·(SᵀS − I)·Wᵀ = Z·Gᵀ(SᵀS − I)G·Aᵀ and so bounded by S's subspace
/// distortion ε on U (Theorem 3.2); and an unrestricted Gaussian W, where only approximate matrix multiplication
/// applies and the error scales like √(N/s) instead of √(d/s).
/// </remarks>
internal static class SketchedLayerClaim
{
    private const int Dimension = 32;
    private const int Outputs = 64;
    private const int Batch = 256;

    private sealed record Cell(SketchKind Sketch, bool InSubspace, int S, double[] Errors, double[] Distortions)
    {
        public SeedSpread Error => SeedSpread.Of(Errors);
        public SeedSpread Epsilon => SeedSpread.Of(Distortions);
    }

    public static ClaimSection Run(ExperimentSettings settings, ProgressContext progress, string folder)
    {
        int n = settings.Quick ? 4096 : 8192;
        int[] sizes = settings.Quick ? [64, 128, 256, 512] : [64, 128, 256, 512, 1024, 2048];
        var plan = (from sketch in SketchKind.All from s in sizes select (sketch, s)).ToList();
        var task = progress.AddTask("sketched layer (Theorems 3.4–3.6)", maxValue: plan.Count);
        var problems = settings.Seeds.Select(seed => Problem.Draw(seed, n)).ToArray();
        var cells = new List<Cell>();
        foreach (var (sketch, s) in plan)
        {
            var inU = new double[problems.Length];
            var free = new double[problems.Length];
            var eps = new double[problems.Length];
            for (int i = 0; i < problems.Length; i++)
            {
                var p = problems[i];
                var layer = new SketchedLinear<double>(sketch.Make(s, n).Sample<double>(p.Seed), Outputs, bias: false);
                inU[i] = p.RelativeError(layer, p.WeightsInU, p.OutputsInU);
                free[i] = p.RelativeError(layer, p.WeightsFree, p.OutputsFree);
                eps[i] = SubspaceDistortion.Measure(layer.Sketch, new ReadOnlyMatrixView<double>(p.Basis, n, Dimension), BasisHandling.Orthonormalize).Distortion;
            }
            cells.Add(new Cell(sketch, true, s, inU, eps));
            cells.Add(new Cell(sketch, false, s, free, eps));
            task.Increment(1);
        }

        var text = new StringBuilder();
        var verdicts = new List<string>();
        text.Append("## Sketched layer (Theorems 3.4–3.6)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"A `SketchedLinear<double>` layer ({n} inputs → {Outputs} outputs, no bias) with its weights set to P = S·Wᵀ, on a batch of {Batch} inputs X = Z·Gᵀ from a d = {Dimension} dimensional subspace U = span(G) (G, Z standard normal). ");
        text.Append(CultureInfo.InvariantCulture, $"Error = ‖X·SᵀS·Wᵀ − X·Wᵀ‖_F / ‖X·Wᵀ‖_F (the layer's `Forward` against a Gemm), mean ± sd over {settings.Seeds.Length} seeds (each seed draws G, Z, W and S). ");
        text.Append("*W in U*: W = A·Gᵀ (the weights a layer trained from zero on inputs from U has); *W free*: a standard normal W. ε is S's subspace distortion on U (Theorem 3.2), which bounds the W-in-U error up to the conditioning of Z·Gᵀ and G·Aᵀ. ");
        text.Append("The exponent is the least-squares slope of log error on log s over every seed's point; *held* means |slope + ½| ≤ 0.1 with R² ≥ 0.9.\n\n");
        text.Append("| sketch | W | " + string.Join(" | ", sizes.Select(s => $"s = {s}")) + " | exponent (claim −½) | R² | verdict |\n|---|---|" + string.Concat(sizes.Select(_ => "---|")) + "---|---|---|\n");
        var plot = new LinePlot($"Sketched layer output error, inputs from a {Dimension}-dimensional subspace of R^{n}", "log10 s", "log10 relative output error");
        foreach (var sketch in SketchKind.All)
        {
            foreach (bool inSubspace in new[] { true, false })
            {
                var row = cells.Where(c => c.Sketch == sketch && c.InSubspace == inSubspace).OrderBy(c => c.S).ToList();
                var xs = row.SelectMany(c => c.Errors.Select(_ => Math.Log(c.S))).ToList();
                var ys = row.SelectMany(c => c.Errors.Select(e => Math.Log(e))).ToList();
                var fit = LinearFit.Line(xs, ys);
                double slope = fit.Coefficients[1];
                bool held = Math.Abs(slope + 0.5) <= 0.1 && fit.RSquared >= 0.9;
                string kind = inSubspace ? "in U" : "free";
                text.Append($"| {sketch.Name} | {kind} | " + string.Join(" | ", row.Select(c => c.Error.Format("F3")))
                    + string.Create(CultureInfo.InvariantCulture, $" | {slope:F3} | {fit.RSquared:F3} | {(held ? "**held**" : "**did not hold**")} |\n"));
                verdicts.Add(string.Create(CultureInfo.InvariantCulture, $"Theorems 3.4–3.6, {sketch.Name}, W {kind}: error ∝ s^{slope:F2} (claim s^−0.5, R² {fit.RSquared:F2}): {(held ? "held" : "did not hold")}."));
                plot.Add($"{sketch.Name}, W {kind}", row.Select(c => Math.Log10(c.S)).ToList(), row.Select(c => Math.Log10(c.Error.Mean)).ToList());
            }
        }
        text.Append("\n| sketch | " + string.Join(" | ", sizes.Select(s => $"s = {s}: ε on U; error (W in U) ÷ ε")) + " |\n|---|" + string.Concat(sizes.Select(_ => "---|")) + "\n");
        foreach (var sketch in SketchKind.All)
        {
            var row = cells.Where(c => c.Sketch == sketch && c.InSubspace).OrderBy(c => c.S).ToList();
            text.Append($"| {sketch.Name} | " + string.Join(" | ", row.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Epsilon.Mean:F3}; {SeedSpread.Of(c.Errors.Zip(c.Distortions, (e, d) => e / d)).Mean:F2}"))) + " |\n");
        }
        plot.Save(Path.Combine(folder, "sketching-layer.png"));
        text.Append("\n![sketched layer error](sketching-layer.png)\n\n");
        return new ClaimSection(text.ToString(), verdicts);
    }

    /// <summary>One seed's data: the subspace basis G (N × d), the inputs X = Z·Gᵀ, both weight matrices (transposed, N × outputs) and their exact outputs.</summary>
    private sealed record Problem(ulong Seed, int N, double[] Basis, double[] Inputs, double[] WeightsInU, double[] OutputsInU, double[] WeightsFree, double[] OutputsFree)
    {
        public static Problem Draw(ulong seed, int n)
        {
            double[] Normal(ulong stream, int length)
            {
                var values = new double[length];
                new CounterRandom(seed, stream).FillNormal<double>(values, 0, 1);
                return values;
            }
            double[] g = Normal(8, n * Dimension), z = Normal(9, Batch * Dimension), a = Normal(10, Outputs * Dimension), free = Normal(11, n * Outputs);
            var x = new double[Batch * n];
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1.0, new ReadOnlyMatrixView<double>(z, Batch, Dimension), new ReadOnlyMatrixView<double>(g, n, Dimension), 0.0, new MatrixView<double>(x, Batch, n));
            var inU = new double[n * Outputs];
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1.0, new ReadOnlyMatrixView<double>(g, n, Dimension), new ReadOnlyMatrixView<double>(a, Outputs, Dimension), 0.0, new MatrixView<double>(inU, n, Outputs));
            return new Problem(seed, n, g, x, inU, Exact(x, inU, n), free, Exact(x, free, n));
        }

        private static double[] Exact(double[] x, double[] weightsTransposed, int n)
        {
            var y = new double[Batch * Outputs];
            Level3.Gemm(Transpose.None, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(x, Batch, n), new ReadOnlyMatrixView<double>(weightsTransposed, n, Outputs), 0.0, new MatrixView<double>(y, Batch, Outputs));
            return y;
        }

        /// <summary>Sets the layer's P = S·Wᵀ, runs it on the inputs, and returns ‖Ŷ − Y‖_F / ‖Y‖_F.</summary>
        public double RelativeError(SketchedLinear<double> layer, double[] weightsTransposed, double[] exact)
        {
            layer.Sketch.Apply(new ReadOnlyMatrixView<double>(weightsTransposed, N, Outputs), new MatrixView<double>(layer.Weights, layer.SketchSize, Outputs));
            var output = new double[Batch * Outputs];
            layer.Forward(new ReadOnlyMatrixView<double>(Inputs, Batch, N), new MatrixView<double>(output, Batch, Outputs), new SketchedLinearWorkspace<double>(layer, Batch));
            double difference = 0, reference = 0;
            for (int i = 0; i < output.Length; i++)
            {
                difference += (output[i] - exact[i]) * (output[i] - exact[i]);
                reference += exact[i] * exact[i];
            }
            return Math.Sqrt(difference / reference);
        }
    }
}
