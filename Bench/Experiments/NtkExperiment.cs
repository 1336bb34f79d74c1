using System.Diagnostics;
using System.Globalization;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Solvers;
using Kernels.Training.Data;
using Kernels.Training.Ntk;
using Spectre.Console;

namespace Kernels.Bench.Experiments;

/// <summary>
/// <c>experiment ntk</c>: seed 004 on synthetic data — points on the unit sphere in R^d drawn from an anisotropic Gaussian
/// (coordinate k scaled by 0.6^k before normalizing, so the NTK spectrum decays), 10 classes from a random linear teacher
/// (argmax of ⟨v_c, x⟩), one-vs-rest targets — and on MNIST. Three parts: (1) the spectral error ε of K̃ + λI against
/// K + λI against the number of features m, plain against leverage sampling with exact and Nyström scores (mean over
/// seeds; run by <see cref="NtkLeverageStudy"/> per data set, and alone with <c>--leverage-only</c>), written to
/// <c>ntk-leverage.md</c> with one <c>ntk-leverage-{data set}.png</c> each; (2) test accuracy of exact KRR and of primal
/// ridge on plain and on leverage features; (3) the equivalence claim: the width-m 2-layer ReLU net (b = 0, output
/// weights ±1 in antisymmetric pairs so that f₀ = 0) trained by GD on ½‖f − y‖² + (λ/2)‖W − W₀‖² to convergence,
/// against KRR with the NTK and the same λ: ‖f_NN − f_KRR‖ on test points against m, plotted in
/// <c>ntk-equivalence.png</c>. Parts (2) and (3) write <c>ntk.md</c>. A full run writes to <c>docs/results/</c>;
/// <c>--quick</c> runs small sizes into <c>artifacts/experiments/</c>.
/// </summary>
public static class NtkExperiment
{
    private const int Dimension = 16;
    private const int Classes = 10;
    private const double Anisotropy = 0.6;
    /// <summary>The step cap of the equivalence run: at 5,000 the gradient had fallen only 35–90× at every width.</summary>
    private const int MaxSteps = 25000;

    /// <summary>The step cap of the equivalence run in <c>--quick</c> mode (CI), where it only has to run.</summary>
    private const int QuickMaxSteps = 5000;
    private const int FeatureIterations = 300;

    public static int Run(bool quick, bool leverageOnly)
    {
        string folder = quick ? Path.Combine(RepositoryPaths.Root, "artifacts", "experiments") : Path.Combine(RepositoryPaths.Root, "docs", "results");
        Directory.CreateDirectory(folder);
        string command = "dotnet run -c Release --project Bench -- experiment ntk" + (quick ? " --quick" : "") + (leverageOnly ? " --leverage-only" : "");
        int n = quick ? 300 : 1500, testCount = quick ? 200 : 1000;
        int[] widths = quick ? [16, 32] : [16, 32, 64, 128, 256, 512];
        int seeds = quick ? 2 : 3;
        var clock = Stopwatch.StartNew();
        string load = MachineInfo.LoadAverage();

        var (x, labels) = Data(n + testCount, 1);
        var train = new ReadOnlyMatrixView<double>(x, n, Dimension);
        var test = new ReadOnlyMatrixView<double>(x.AsSpan(n * Dimension), testCount, Dimension);
        double[] targets = OneVsRest(labels.AsSpan(0, n));
        var kernel = new Matrix<double>(n, n);
        NeuralTangentKernel.Build(train, kernel.View);
        double meanDiagonal = 0;
        for (int i = 0; i < n; i++)
        {
            meanDiagonal += kernel[i, i] / n;
        }
        double lambda = 1e-2 * meanDiagonal;
        AnsiConsole.MarkupLine($"[bold]experiment ntk[/]: n = {n}, d = {Dimension}, {testCount} test points, λ = {lambda:G3} (1 % of the mean diagonal of K)");
        var mnist = MnistData(quick);

        // (1) ε against m, plain against leverage sampling: written to ntk-leverage.md on its own, so --leverage-only can refresh it.
        string dataNote = $"unit-sphere points in R^{Dimension}, a standard Gaussian with coordinate k scaled by {Anisotropy}^k and then normalized (a decaying NTK spectrum)";
        var studies = new List<(string Slug, NtkLeverageStudy.Outcome Outcome, int[] Widths)>
        {
            ("synthetic", NtkLeverageStudy.Run($"Synthetic: {dataNote}", kernel, train, lambda, "1 % of the mean diagonal of K", widths, seeds, 100, 0), widths),
        };
        if (mnist is not null)
        {
            int[] mnistWidths = quick ? [16, 32] : [16, 32, 64, 128];
            studies.Add(("mnist", NtkLeverageStudy.Run($"MNIST: {mnist.Description}", mnist.Kernel, mnist.Train, mnist.Lambda, "chosen by validation, see below",
                mnistWidths, seeds, 100, quick ? 0 : 64), mnistWidths));
            // For contrast, a λ far above the validated one (10 % of the mean diagonal), where d_λ is smaller and the scores spread more.
            studies.Add(("mnist-large-lambda", NtkLeverageStudy.Run("MNIST at a larger λ (for contrast, not the target's λ)", mnist.Kernel, mnist.Train, 0.05,
                "10 % of the mean diagonal ½ of K", mnistWidths, seeds, 100, 0), mnistWidths));
        }
        string leverageMarkdown = MachineInfo.Header("experiment ntk: leverage-score against plain sampling of NTK random features (seed 004)", command)
            + $"- Load average at the start: {load}; run time {Durations.Format(clock.Elapsed)} (no timings are reported)\n\n"
            + "ε is the smallest value with (1 − ε)(K + λI) ≼ K̃ + λI ≼ (1 + ε)(K + λI), from the extreme eigenvalues of L⁻¹(K̃ + λI)L⁻ᵀ (Cholesky factor L of K + λI, Lanczos). "
            + "Plain sampling draws m weights from p = N(0, I) with scale 1. Leverage sampling draws a pool of M candidates from p, scores each by τ_λ(w)/p(w) = tr(Φ_w(X)ᵀ(K + λI)⁻¹Φ_w(X)) "
            + "(Φ_w(X): rows x_i·1(⟨w, x_i⟩ ≥ 0)), resamples m ∝ score (so w follows q ∝ τ_λ) and reweights each by √(p/q) = √(Σ τ/(M·τ_j)). "
            + "Exact scores use (K + λI)⁻¹ from a Cholesky factor; Nyström scores (K̂ + λI)⁻¹ for a rank-ℓ Nyström K̂ ≼ K, which over-estimates every score and weights each feature's residual "
            + "outside the rank-ℓ subspace by 1/λ instead of 1/(μ + λ) (`LeverageScores`).\n";
        foreach (var (slug, outcome, studyWidths) in studies)
        {
            var plot = new LinePlot($"NTK random features ({slug}): spectral error against m", "log2 m", "log10 ε");
            foreach (var (label, curve) in outcome.Curves)
            {
                plot.Add(label, studyWidths.Select(m => Math.Log2(m)).ToList(), curve.Select(e => Math.Log10(e)).ToList());
            }
            plot.Save(Path.Combine(folder, $"ntk-leverage-{slug}.png"));
            leverageMarkdown += outcome.Markdown + $"\n![ε against m, {slug}](ntk-leverage-{slug}.png)\n";
        }
        if (mnist is not null)
        {
            leverageMarkdown += "\n### MNIST λ by validation\n\n" + mnist.ValidationNote + "\n" + mnist.Validation.ToMarkdown();
        }
        File.WriteAllText(Path.Combine(folder, "ntk-leverage.md"), leverageMarkdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, Path.Combine(folder, "ntk-leverage.md")))}[/] in {Durations.Format(clock.Elapsed)}");
        if (leverageOnly)
        {
            return 0;
        }

        // (2) Test accuracy.
        int accuracyWidth = widths[^1];
        var exact = KernelRidge<double>.Fit(train, new Matrix<double>(kernel.ReadOnlyView), new ReadOnlyMatrixView<double>(targets, n, Classes),
            new KernelRidgeOptions { Lambda = lambda, Solver = KernelRidgeSolver.Cholesky });
        double exactAccuracy = Accuracy(exact.Predict, test, labels.AsSpan(n));
        double plainAccuracy = FeatureAccuracy(train, test, targets, labels.AsSpan(n), RandomFeatures<double>.Plain(accuracyWidth, Dimension, 0), lambda);
        var leverageFeatures = LeverageSampling.Sample(train, kernel.ReadOnlyView, accuracyWidth, new LeverageSamplingOptions { Lambda = lambda, Seed = 0, PoolFactor = 16 });
        double leverageAccuracy = FeatureAccuracy(train, test, targets, labels.AsSpan(n), leverageFeatures, lambda);
        var accuracy = new MarkdownTable("Model", "Test accuracy (10 classes, one-vs-rest)");
        accuracy.Add("Exact NTK KRR (Cholesky)", $"{exactAccuracy:P1}");
        accuracy.Add($"Primal ridge, {accuracyWidth} plain features", $"{plainAccuracy:P1}");
        accuracy.Add($"Primal ridge, {accuracyWidth} leverage features (exact scores, pool 16·m)", $"{leverageAccuracy:P1}");
        AnsiConsole.MarkupLine($"  accuracy: exact {exactAccuracy:P1}, plain {plainAccuracy:P1}, leverage {leverageAccuracy:P1}");

        // (3) The equivalence claim, on a smaller problem (GD to convergence for every width).
        int nNet = quick ? 60 : 200, testNet = 100;
        int[] netWidths = quick ? [64, 512] : [64, 256, 1024, 4096];
        var equivalence = new MarkdownTable("Width m", "GD steps", "Final gradient norm ÷ initial", "RMS(f_NN − f_KRR) on test points", "RMS(f_KRR)");
        var (xn, ln) = Data(nNet + testNet, 2);
        var netTrain = new ReadOnlyMatrixView<double>(xn, nNet, Dimension);
        var netTest = new ReadOnlyMatrixView<double>(xn.AsSpan(nNet * Dimension), testNet, Dimension);
        double[] y = new double[nNet];
        for (int i = 0; i < nNet; i++)
        {
            y[i] = ln[i] < Classes / 2 ? 1 : -1;
        }
        var netKernel = new Matrix<double>(nNet, nNet);
        NeuralTangentKernel.Build(netTrain, netKernel.View);
        double netLambda = 0;
        for (int i = 0; i < nNet; i++)
        {
            netLambda += 0.1 * netKernel[i, i] / nNet;
        }
        // GD step 1/(‖K‖ + λ): the Hessian of the loss near the NTK regime is ΦᵀΦ + λI, whose norm tends to ‖K‖ + λ (Lanczos gives ‖K‖).
        double step = 1 / (Lanczos.ExtremeEigenvalues(new DenseOperator<double>(netKernel.AsMemory(), nNet)).Largest + netLambda);
        var krr = KernelRidge<double>.Fit(netTrain, netKernel, new ReadOnlyMatrixView<double>(y, nNet, 1), new KernelRidgeOptions { Lambda = netLambda });
        double[] fKrr = new double[testNet];
        krr.Predict(netTest, new MatrixView<double>(fKrr, testNet, 1));
        double rmsKrr = Math.Sqrt(fKrr.Sum(v => v * v) / testNet);
        var gaps = new List<double>();
        foreach (int m in netWidths)
        {
            var (fNet, steps, gradientRatio) = TrainNet(netTrain, y, netTest, m, netLambda, step, 7, quick ? QuickMaxSteps : MaxSteps);
            double gap = Math.Sqrt(fNet.Zip(fKrr, (a, b) => (a - b) * (a - b)).Sum() / testNet);
            gaps.Add(gap);
            equivalence.Add($"{m}", $"{steps}", $"{gradientRatio:E1}", $"{gap:G3}", $"{rmsKrr:G3}");
            AnsiConsole.MarkupLine($"  net m = {m}: {steps} GD steps, RMS gap {gap:G3} (RMS f_KRR {rmsKrr:G3})");
        }
        double slope = LinearFit.Line(netWidths.Select(m => Math.Log(m)).ToList(), gaps.Select(g => Math.Log(g)).ToList()).Coefficients[1];

        var gapPlot = new LinePlot("Wide net trained by GD against NTK KRR", "log2 m", "log10 RMS(f_NN − f_KRR)");
        gapPlot.Add("test points", netWidths.Select(m => Math.Log2(m)).ToList(), gaps.Select(g => Math.Log10(g)).ToList());
        gapPlot.Save(Path.Combine(folder, "ntk-equivalence.png"));

        string markdown = MachineInfo.Header("experiment ntk: NTK random features, leverage sampling, KRR and the wide-net equivalence (seed 004)", command)
            + $"- Load average at the start: {load}; run time {Durations.Format(clock.Elapsed)}\n"
            + $"- Data: unit-sphere points in R^{Dimension}, a standard Gaussian with coordinate k scaled by {Anisotropy}^k and then normalized (a decaying NTK spectrum); "
            + $"{Classes} classes by argmax_c ⟨v_c, x⟩ for Gaussian v_c; n = {n} training and {testCount} test points; λ = {lambda:G3} = 1 % of the mean diagonal of K\n"
            + "\nThe spectral error ε against m for plain and leverage sampling (synthetic and MNIST) is in [ntk-leverage.md](ntk-leverage.md), written by the same run or by `--leverage-only`.\n\n"
            + $"## Test accuracy (m = {accuracyWidth} features, {accuracyWidth * Dimension} primal unknowns)\n\n" + accuracy.ToMarkdown()
            + $"\n## Wide net against NTK kernel ridge regression\n\n"
            + $"n = {nNet} training and {testNet} test points of the same distribution (second seed), y = ±1 (class < 5), λ = {netLambda:G3} (10 % of the mean diagonal). "
            + "The net is f(x) = (1/√m)·Σ_r a_r·ReLU(⟨w_r, x⟩) with a_r = ±1 in pairs sharing w_r (so f₀ = 0), W trained by gradient descent with step 1/(‖K‖ + λ) "
            + $"(‖K‖ from Lanczos) on ½‖f(X) − y‖² + (λ/2)‖W − W₀‖² until the gradient norm fell by 10⁻⁸ or {(quick ? QuickMaxSteps : MaxSteps):N0} steps. "
            + "In the NTK limit the minimizer's predictions are K(x, X)(K + λI)⁻¹y.\n\n"
            + equivalence.ToMarkdown() + $"\nLog–log slope of the gap against m: {slope:F2} (the linearization error of a width-m net is expected to shrink like m^(−1/2); where GD stopped at the step cap, the gradient ratio in the table says how much of the gap is optimization error).\n\n![gap against m](ntk-equivalence.png)\n";
        markdown += Mnist(mnist);
        File.WriteAllText(Path.Combine(folder, "ntk.md"), markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, Path.Combine(folder, "ntk.md")))}[/] in {Durations.Format(clock.Elapsed)}");
        return 0;
    }

    /// <summary>The MNIST subset, its kernel and the λ chosen by validation (with the validation table).</summary>
    private sealed record MnistSet(double[] X, int[] Labels, double[] TestX, int[] TestLabels, Matrix<double> Kernel, double Lambda,
        MarkdownTable Validation, string ValidationNote, string Description)
    {
        public ReadOnlyMatrixView<double> Train => new(X, Labels.Length, MnistDigits.Pixels);

        public ReadOnlyMatrixView<double> Test => new(TestX, TestLabels.Length, MnistDigits.Pixels);
    }

    /// <summary>
    /// A subset of the 10,000-digit split (`MnistDigits.LoadSplit`), rows scaled to unit norm, or null when the digits are
    /// not fetched. λ is chosen among {10⁻⁴, …, 1}·mean diag K by the validation mean squared error of exact KRR on the
    /// one-vs-rest targets (fitted on the first three quarters of the training subset, scored on the last): the loss KRR
    /// minimizes, and free of the ties that accuracy on 375 digits has.
    /// </summary>
    private static MnistSet? MnistData(bool quick)
    {
        string package = Path.Combine(RepositoryPaths.Root, "data", "mnist", "package");
        if (!File.Exists(Path.Combine(package, "src", "digits", "9.json")))
        {
            return null;
        }
        var split = MnistDigits.LoadSplit(package);
        int n = quick ? 400 : 1500, testCount = quick ? 200 : 1000, d = MnistDigits.Pixels;
        // The split keeps the package's class order, so digits are taken at i·7919 mod Count (7919 is prime to 8,000 and 2,000: distinct
        // indices, classes interleaved, so any prefix holds every class).
        (double[] X, int[] Labels) Rows(ClassificationSet set, int count)
        {
            var x = new double[count * d];
            var labels = new int[count];
            for (int i = 0; i < count; i++)
            {
                int index = (int)((long)i * 7919 % set.Count);
                labels[i] = set.Labels[index];
                ReadOnlySpan<float> row = set.Inputs.Row(index);
                double norm = 0;
                for (int k = 0; k < d; k++)
                {
                    norm += (double)row[k] * row[k];
                }
                for (int k = 0; k < d; k++)
                {
                    x[i * d + k] = row[k] / Math.Sqrt(norm);
                }
            }
            return (x, labels);
        }
        var (xTrain, trainLabels) = Rows(split.Train, n);
        var (xTest, testLabels) = Rows(split.Test, testCount);
        double[] targets = OneVsRest(trainLabels);
        var kernel = new Matrix<double>(n, n);
        NeuralTangentKernel.Build(new ReadOnlyMatrixView<double>(xTrain, n, d), kernel.View);
        double meanDiagonal = 0.5; // unit rows: K_ii = ½

        int fitCount = 3 * n / 4, held = n - fitCount;
        double bestLambda = 0, bestError = double.PositiveInfinity;
        var validation = new MarkdownTable("λ / mean diag K", "λ", "Validation MSE (one-vs-rest targets)", "Validation accuracy");
        var heldX = new ReadOnlyMatrixView<double>(xTrain.AsSpan(fitCount * d), held, d);
        foreach (double factor in new[] { 1e-4, 1e-3, 1e-2, 1e-1, 1 })
        {
            var model = KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(xTrain, fitCount, d), new ReadOnlyMatrixView<double>(targets, fitCount, Classes),
                new KernelRidgeOptions { Lambda = factor * meanDiagonal });
            var f = new double[held * Classes];
            model.Predict(heldX, new MatrixView<double>(f, held, Classes));
            double error = 0;
            for (int k = 0; k < f.Length; k++)
            {
                error += (f[k] - targets[fitCount * Classes + k]) * (f[k] - targets[fitCount * Classes + k]) / f.Length;
            }
            double accuracy = Accuracy(model.Predict, heldX, trainLabels.AsSpan(fitCount));
            validation.Add($"{factor:G1}", $"{factor * meanDiagonal:G2}", $"{error:G4}", $"{accuracy:P1}");
            (bestLambda, bestError) = error < bestError ? (factor * meanDiagonal, error) : (bestLambda, bestError);
        }
        AnsiConsole.MarkupLine($"  MNIST: n = {n}, λ = {bestLambda:G3} by validation MSE ({bestError:G4})");
        string note = $"Exact KRR fitted on the first {fitCount} digits of the training subset and scored on the last {held}; λ = {bestLambda:G3}, the least validation mean squared error "
            + "(the loss KRR minimizes; accuracy on a few hundred digits ties, and an earlier run that chose by accuracy broke the tie toward the smaller λ = 5·10⁻⁴).";
        return new MnistSet(xTrain, trainLabels, xTest, testLabels, kernel, bestLambda, validation, note,
            $"the 10,000-digit npm package, stratified 8,000/2,000 split; {n} training and {testCount} test digits at indices i·7919 mod count (all classes mixed), rows scaled to unit norm");
    }

    /// <summary>Exact / plain / leverage KRR test accuracy on the MNIST subset, at the validated λ.</summary>
    private static string Mnist(MnistSet? mnist)
    {
        if (mnist is null)
        {
            return $"\n## MNIST\n\nNot run: the digits are not in `data/mnist/package` (fetch them with `{MnistDigits.FetchCommand}`).\n";
        }
        int n = mnist.Labels.Length, d = MnistDigits.Pixels, m = 64;
        double[] targets = OneVsRest(mnist.Labels);
        var exact = KernelRidge<double>.Fit(mnist.Train, new Matrix<double>(mnist.Kernel.ReadOnlyView), new ReadOnlyMatrixView<double>(targets, n, Classes), new KernelRidgeOptions { Lambda = mnist.Lambda });
        double exactAccuracy = Accuracy(exact.Predict, mnist.Test, mnist.TestLabels);
        double plainAccuracy = FeatureAccuracy(mnist.Train, mnist.Test, targets, mnist.TestLabels, RandomFeatures<double>.Plain(m, d, 0), mnist.Lambda);
        var leverageFeatures = LeverageSampling.Sample(mnist.Train, mnist.Kernel.ReadOnlyView, m, new LeverageSamplingOptions { Lambda = mnist.Lambda, Seed = 0, PoolFactor = 16 });
        double leverageAccuracy = FeatureAccuracy(mnist.Train, mnist.Test, targets, mnist.TestLabels, leverageFeatures, mnist.Lambda);
        AnsiConsole.MarkupLine($"  MNIST accuracy: exact {exactAccuracy:P1}, plain {plainAccuracy:P1}, leverage {leverageAccuracy:P1}");
        var accuracyTable = new MarkdownTable("Model", "Test accuracy");
        accuracyTable.Add("Exact NTK KRR", $"{exactAccuracy:P1}");
        accuracyTable.Add($"Primal ridge, {m} plain features ({m * d:N0} unknowns)", $"{plainAccuracy:P1}");
        accuracyTable.Add($"Primal ridge, {m} leverage features (exact scores, pool 16·m)", $"{leverageAccuracy:P1}");
        accuracyTable.Add($"(primal ridge: Jacobi-PCG to 10⁻⁶ or {FeatureIterations} iterations per class)", "");
        return $"\n## MNIST ({mnist.Description})\n\n"
            + "λ by validation:\n\n" + mnist.Validation.ToMarkdown()
            + $"\n{mnist.ValidationNote}\n\n" + accuracyTable.ToMarkdown()
            + "\nThe spectral error against m on this subset is in [ntk-leverage.md](ntk-leverage.md).\n";
    }

    /// <summary>count points on the unit sphere (anisotropic before normalizing) and their teacher labels.</summary>
    private static (double[] X, int[] Labels) Data(int count, ulong seed)
    {
        var x = new double[count * Dimension];
        new CounterRandom(seed, 0).FillNormal<double>(x, 0, 1);
        var teacher = new double[Classes * Dimension];
        new CounterRandom(seed, 1).FillNormal<double>(teacher, 0, 1);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            Span<double> row = x.AsSpan(i * Dimension, Dimension);
            for (int k = 0; k < Dimension; k++)
            {
                row[k] *= Math.Pow(Anisotropy, k);
            }
            double norm = Math.Sqrt(Level1.Dot<double>(row, row));
            Level1.Scale(1 / norm, row);
            int best = 0;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < Classes; c++)
            {
                double score = Level1.Dot<double>(row, teacher.AsSpan(c * Dimension, Dimension));
                (best, bestScore) = score > bestScore ? (c, score) : (best, bestScore);
            }
            labels[i] = best;
        }
        return (x, labels);
    }

    private static double[] OneVsRest(ReadOnlySpan<int> labels)
    {
        var y = new double[labels.Length * Classes];
        for (int i = 0; i < labels.Length; i++)
        {
            for (int c = 0; c < Classes; c++)
            {
                y[i * Classes + c] = c == labels[i] ? 1 : -0.1;
            }
        }
        return y;
    }

    private static double Error(Matrix<double> kernel, ReadOnlyMatrixView<double> train, RandomFeatures<double> features, double lambda) =>
        SpectralError.Estimate(kernel.ReadOnlyView, new GramOperator<double>(new RandomFeatureMap<double>(train, features), GramForm.AAt), lambda,
            new LanczosOptions { MaxIterations = 150, RelativeTolerance = 1e-6 }).Epsilon;

    private delegate void Predictor(ReadOnlyMatrixView<double> points, MatrixView<double> predictions);

    private static double Accuracy(Predictor predict, ReadOnlyMatrixView<double> test, ReadOnlySpan<int> labels)
    {
        var f = new double[test.Rows * Classes];
        predict(test, new MatrixView<double>(f, test.Rows, Classes));
        int correct = 0;
        for (int i = 0; i < test.Rows; i++)
        {
            correct += Level1.ArgMax<double>(f.AsSpan(i * Classes, Classes)) == labels[i] ? 1 : 0;
        }
        return (double)correct / test.Rows;
    }

    private static double FeatureAccuracy(ReadOnlyMatrixView<double> train, ReadOnlyMatrixView<double> test, double[] targets, ReadOnlySpan<int> labels,
        RandomFeatures<double> features, double lambda)
    {
        var map = new RandomFeatureMap<double>(train, features);
        var model = FeatureRidge<double>.Fit(map, new ReadOnlyMatrixView<double>(targets, train.Rows, Classes), new FeatureRidgeOptions { Lambda = lambda, RelativeTolerance = 1e-6, MaxIterations = FeatureIterations });
        return Accuracy(model.Predict, test, labels);
    }

    /// <summary>
    /// Trains the width-m net by GD to convergence and returns its test predictions. Neurons come in pairs (w, +1) and
    /// (w, −1) with the same initial w, so f₀ = 0 and the NTK limit is plain KRR. The loss is L = ½‖f(X) − y‖² + (λ/2)‖W − W₀‖².
    /// </summary>
    private static (double[] Predictions, int Steps, double GradientRatio) TrainNet(ReadOnlyMatrixView<double> x, double[] y, ReadOnlyMatrixView<double> test,
        int m, double lambda, double step, ulong seed, int maxSteps)
    {
        int n = x.Rows, d = x.Columns;
        var w = new Matrix<double>(m, d);
        new CounterRandom(seed, 0).FillNormal<double>(w.AsSpan()[..(m / 2 * d)], 0, 1);
        w.AsSpan()[..(m / 2 * d)].CopyTo(w.AsSpan()[(m / 2 * d)..]);
        var w0 = new Matrix<double>(w.ReadOnlyView);
        double scale = 1 / Math.Sqrt(m);
        var z = new Matrix<double>(n, m);
        var weighted = new Matrix<double>(n, m);
        var gradient = new Matrix<double>(m, d);
        var residual = new double[n];
        double initial = 0, norm = 0;
        int steps = 0;
        for (; steps < maxSteps; steps++)
        {
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1.0, x, w.ReadOnlyView, 0.0, z.View);
            for (int i = 0; i < n; i++)
            {
                double f = 0;
                Span<double> zi = z.Row(i);
                for (int r = 0; r < m; r++)
                {
                    double relu = Math.Max(zi[r], 0);
                    f += r < m / 2 ? relu : -relu;
                }
                residual[i] = f * scale - y[i];
                Span<double> wi = weighted.Row(i);
                for (int r = 0; r < m; r++)
                {
                    wi[r] = zi[r] >= 0 ? (r < m / 2 ? 1 : -1) * scale * residual[i] : 0;
                }
            }
            Level3.Gemm(Transpose.Transposed, Transpose.None, 1.0, weighted.ReadOnlyView, x, 0.0, gradient.View);
            Span<double> g = gradient.AsSpan(), current = w.AsSpan(), start = w0.AsSpan();
            for (int k = 0; k < g.Length; k++)
            {
                g[k] += lambda * (current[k] - start[k]);
            }
            norm = Level1.Nrm2<double>(g);
            initial = steps == 0 ? norm : initial;
            if (norm <= 1e-8 * initial)
            {
                break;
            }
            Level1.Axpy(-step, g, current);
        }
        var predictions = new double[test.Rows];
        var zt = new Matrix<double>(test.Rows, m);
        Level3.Gemm(Transpose.None, Transpose.Transposed, 1.0, test, w.ReadOnlyView, 0.0, zt.View);
        for (int i = 0; i < test.Rows; i++)
        {
            double f = 0;
            Span<double> zi = zt.Row(i);
            for (int r = 0; r < m; r++)
            {
                double relu = Math.Max(zi[r], 0);
                f += r < m / 2 ? relu : -relu;
            }
            predictions[i] = f * scale;
        }
        return (predictions, steps, norm / initial);
    }
}
