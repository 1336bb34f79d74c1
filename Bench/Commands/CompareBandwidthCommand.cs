using System.Numerics;
using System.Numerics.Tensors;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>compare bandwidth</c>: level-1 kernels on 16M elements (far beyond the last-level cache) against the memory
/// bandwidth of the same traffic, measured by an independent integer loop over buffers of the same size, and against
/// TensorPrimitives on the same arrays. The three are timed alternately, round after round, and compared by medians,
/// so that a noisy neighbour hits all alike.
/// Writes <c>Bench/results/&lt;cpu&gt;/compare-bandwidth.md</c>.
/// </summary>
public static class CompareBandwidthCommand
{
    private const int N = 16_000_000;
    private const int Rounds = 7;

    public static int Run()
    {
        AnsiConsole.MarkupLine($"[bold]compare bandwidth[/]: level-1 kernels at n = {N:N0} against the bandwidth of the same traffic…");
        var table = new MarkdownTable("Kernel", "Type", "Traffic", "Kernel GB/s", "Limit GB/s (same traffic)", "Fraction of limit", "≥ 85%", "TensorPrimitives GB/s", "Speed vs TensorPrimitives", "≥ 0.95×");
        Rows<float>(table);
        Rows<double>(table);
        table.Render();
        string markdown = MachineInfo.Header("compare bandwidth: level-1 kernels vs memory bandwidth", "dotnet run -c Release --project Bench -- compare bandwidth")
            + $"- n = {N:N0} elements; each kernel, its limit loop and its TensorPrimitives counterpart (`Sum`, `Norm`, `Dot`, `MultiplyAdd`) are timed alternately for {Rounds} rounds, medians compared\n"
            + "- Limit loops (Bench/Harness/MachineLimits.cs) are independent integer loops: one XOR-reduced stream for Sum/Nrm2, two for Dot, y += x for Axpy\n\n"
            + table.ToMarkdown();
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "compare-bandwidth.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return 0;
    }

    private static void Rows<T>(MarkdownTable table) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(3);
        T[] x = Enumerable.Range(0, N).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        T[] y = Enumerable.Range(0, N).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        int longs = N * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() / sizeof(long);
        long[] p = new long[longs], q = new long[longs];
        // Both limit buffers are written before use: a freshly allocated array that was never written may still be
        // backed by the kernel's shared zero page, and reading it would report cache speed, not memory bandwidth.
        Array.Fill(p, 1);
        Array.Fill(q, 2);
        T sink = T.Zero;
        T alpha = T.CreateChecked(1e-9);
        string type = typeof(T) == typeof(float) ? "float" : "double";
        double bytes = (double)N * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

        void Row(string name, string traffic, double streams, Action kernel, Action limit, Action tensor)
        {
            var kernelTimes = new List<double>();
            var limitTimes = new List<double>();
            var tensorTimes = new List<double>();
            for (int r = 0; r < Rounds; r++)
            {
                kernelTimes.Add(Measure.MedianSeconds(kernel, 0.1, 3));
                limitTimes.Add(Measure.MedianSeconds(limit, 0.1, 3));
                tensorTimes.Add(Measure.MedianSeconds(tensor, 0.1, 3));
            }
            double k = Measure.Median(kernelTimes), l = Measure.Median(limitTimes), t = Measure.Median(tensorTimes);
            double fraction = l / k, speed = t / k;
            table.Add(name, type, traffic, $"{streams * bytes / k / 1e9:F1}", $"{streams * bytes / l / 1e9:F1}", $"{fraction:P0}", fraction >= 0.85 ? "yes" : "NO",
                $"{streams * bytes / t / 1e9:F1}", $"{speed:F2}×", speed >= 0.95 ? "yes" : "NO");
        }

        Row("Sum", "1 read stream", 1, () => sink += Level1.Sum<T>(x), () => MachineLimits.ReadAll(p), () => sink += TensorPrimitives.Sum<T>(x));
        Row("Nrm2", "1 read stream", 1, () => sink += Level1.Nrm2<T>(x), () => MachineLimits.ReadAll(p), () => sink += TensorPrimitives.Norm<T>(x));
        Row("Dot", "2 read streams", 2, () => sink += Level1.Dot<T>(x, y), () => MachineLimits.ReadBoth(p, q), () => sink += TensorPrimitives.Dot<T>(x, y));
        Row("Axpy", "2 reads + 1 write", 3, () => Level1.Axpy(alpha, x, y), () => MachineLimits.AddInto(p, q), () => TensorPrimitives.MultiplyAdd<T>(x, alpha, y, y));
        GC.KeepAlive(sink);
    }
}
