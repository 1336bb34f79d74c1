using System.Numerics.Tensors;
using Kernels.Bench.Harness;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Simd;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>showcase</c>: a short showcase of the kernels on built-in data: the SIMD width in use, a few kernels against TensorPrimitives and a scalar loop, Gemm as a fraction of the
/// FMA peak measured on the spot, then the threshold forest and sketch-preconditioned least squares
/// (<see cref="ShowcaseLayers"/>). About a minute on two cores.
/// </summary>
public static class ShowcaseCommand
{
    public static int Run()
    {
        AnsiConsole.MarkupLine($"[bold]Kernels quickstart[/] on {Markup.Escape(MachineInfo.Cpu)}, {Environment.ProcessorCount} cores");
        AnsiConsole.MarkupLine($"SIMD in use: [green]{Markup.Escape(SimdCapabilities.Describe())}[/]");

        const int n = 4099;
        var random = new System.Random(42);
        float[] x = Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] y = Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float sink = 0;
        var table = new MarkdownTable("Kernel (float, n = 4099)", "Kernels", "TensorPrimitives", "Scalar loop", "vs TensorPrimitives", "vs scalar");
        void Row(string name, Func<float> ours, Func<float> tensor, Func<float> scalar)
        {
            double a = Measure.MedianSeconds(() => sink += ours(), 0.02, 7);
            double b = Measure.MedianSeconds(() => sink += tensor(), 0.02, 7);
            double c = Measure.MedianSeconds(() => sink += scalar(), 0.02, 7);
            table.Add(name, $"{a * 1e9:F0} ns", $"{b * 1e9:F0} ns", $"{c * 1e9:F0} ns", $"{b / a:F2}×", $"{c / a:F1}×");
        }
        Row("Dot", () => Level1.Dot<float>(x, y), () => TensorPrimitives.Dot<float>(x, y), () => ScalarBaselines.Dot<float>(x, y));
        Row("Sum", () => Level1.Sum<float>(x), () => TensorPrimitives.Sum<float>(x), () => ScalarBaselines.Sum<float>(x));
        Row("Nrm2 (overflow-safe)", () => Level1.Nrm2<float>(x), () => TensorPrimitives.Norm<float>(x), () => ScalarBaselines.Nrm2<float>(x));
        float[] target = y.ToArray();
        Row("Axpy", () => { Level1.Axpy(1e-3f, x, target); return target[0]; },
            () => { TensorPrimitives.MultiplyAdd(x, 1e-3f, target, target); return target[0]; },
            () => { ScalarBaselines.Axpy(1e-3f, x, target); return target[0]; });
        table.Render();

        ShowcaseSelectionAndRandom(random);

        const long iterations = 1_000_000;
        double peak = 2.0 * MachineLimits.FmaCount<float>(iterations) / Measure.MedianSeconds(() => MachineLimits.FmaChains<float>(iterations), 0.05, 5) / 1e9;
        const int size = 512;
        float[] a = Enumerable.Range(0, size * size).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] b = Enumerable.Range(0, size * size).Select(_ => random.NextSingle() - 0.5f).ToArray();
        float[] c = new float[size * size];
        double seconds = Measure.MedianSeconds(() => Level3.Gemm(Transpose.None, Transpose.None, 1f,
            new ReadOnlyMatrixView<float>(a, size, size), new ReadOnlyMatrixView<float>(b, size, size), 0f, new MatrixView<float>(c, size, size),
            BlasOptions.SingleThreaded), 0.1, 5);
        double gflops = 2.0 * size * size * size / seconds / 1e9;
        AnsiConsole.MarkupLine($"Gemm 512³ float, one thread: [green]{gflops:F1} GFLOP/s[/] = {gflops / peak:P0} of the {peak:F1} GFLOP/s FMA peak measured just now");
        AnsiConsole.MarkupLine($"[grey](checksum {sink + c[17]:G3})[/]");
        ShowcaseLayers.Run();
        AnsiConsole.MarkupLine("Next: [bold]dotnet run -c Release --project Bench -- compare kernels[/] (needs bash Bench/peers/install.sh) or [bold]-- bench --filter '*'[/]");
        return 0;
    }

    /// <summary>Threshold selection (1M values, 1% selected) and normal generation, against the loops they replace.</summary>
    private static void ShowcaseSelectionAndRandom(System.Random random)
    {
        const int n = 1 << 20;
        float[] values = Enumerable.Range(0, n).Select(_ => random.NextSingle()).ToArray();
        int[] indices = new int[n];
        const float threshold = 0.99f;
        double ours = Measure.MedianSeconds(() => Threshold.CompressGreaterOrEqual<float>(values, threshold, indices), 0.02, 7);
        double scalar = Measure.MedianSeconds(() =>
        {
            int count = 0;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] >= threshold)
                {
                    indices[count++] = i;
                }
            }
        }, 0.02, 7);

        float[] normals = new float[n];
        var generator = new CounterRandom(Seed: 42, Stream: 0);
        double philox = Measure.MedianSeconds(() => generator.FillNormal<float>(normals, 0f, 1f), 0.02, 7);
        var system = new System.Random(42);
        double boxMuller = Measure.MedianSeconds(() =>
        {
            for (int i = 0; i + 1 < normals.Length; i += 2)
            {
                double radius = Math.Sqrt(-2 * Math.Log(1 - system.NextDouble()));
                double angle = 2 * Math.PI * system.NextDouble();
                normals[i] = (float)(radius * Math.Cos(angle));
                normals[i + 1] = (float)(radius * Math.Sin(angle));
            }
        }, 0.02, 7);

        var table = new MarkdownTable("Kernel (2²⁰ floats)", "Kernels", "Baseline", "Speed-up");
        table.Add("CompressGreaterOrEqual, 1% selected", $"{ours * 1e6:F0} µs", $"{scalar * 1e6:F0} µs (scalar loop)", $"{scalar / ours:F1}×");
        table.Add("FillNormal (Philox, counter-based)", $"{philox * 1e6:F0} µs", $"{boxMuller * 1e6:F0} µs (System.Random + Box–Muller)", $"{boxMuller / philox:F1}×");
        table.Render();
    }
}
