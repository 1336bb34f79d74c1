using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Kernels.Bench.Harness;
using Kernels.Blas;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>
/// <c>compare alignment</c>: our <see cref="Level1.Dot{T}"/> and <see cref="Level1.Sum{T}"/> against TensorPrimitives on
/// spans that start on a 64-byte boundary and on spans that start 8 bytes past one, cut from the same arrays. Our
/// reductions never align their loads (lanes follow the element index, so the bits do not depend on the address);
/// this command measures what that costs in L1 (n = 1,000) and in memory (n = 16M), timed alternately.
/// Writes <c>Bench/results/&lt;cpu&gt;/compare-alignment.md</c>.
/// </summary>
public static class CompareAlignmentCommand
{
    private const int Rounds = 9;

    public static int Run()
    {
        AnsiConsole.MarkupLine("[bold]compare alignment[/]: Dot and Sum on aligned and misaligned spans, ours against TensorPrimitives…");
        var table = new MarkdownTable("Kernel", "Type", "n", "Start", "Ours", "TensorPrimitives", "Speed vs TensorPrimitives");
        Rows(table, 1_000, 0.02);
        Rows(table, 16_000_000, 0.2);
        table.Render();
        string markdown = MachineInfo.Header("compare alignment: reductions on aligned and misaligned spans", "dotnet run -c Release --project Bench -- compare alignment")
            + $"- Spans of n doubles cut from arrays of n + 16: \"aligned\" starts on a 64-byte boundary, \"+8 B\" one element later; x and y share the offset\n"
            + $"- {Rounds} rounds in which every case is timed in turn; each time is the median over rounds of a per-round median. Speed = TensorPrimitives time ÷ ours\n"
            + $"- Load average (1, 5, 15 min) at the end of the run: {MachineInfo.LoadAverage()}\n\n"
            + table.ToMarkdown();
        string file = Path.Combine(MachineInfo.ResultsDirectory(), "compare-alignment.md");
        File.WriteAllText(file, markdown);
        AnsiConsole.MarkupLine($"Wrote [bold]{Markup.Escape(Path.GetRelativePath(RepositoryPaths.Root, file))}[/]");
        return 0;
    }

    private static void Rows(MarkdownTable table, int n, double sampleTime)
    {
        var random = new System.Random(5);
        // Pinned, so that the GC never moves them and the aligned offsets found below stay valid.
        double[] x = GC.AllocateUninitializedArray<double>(n + 16, pinned: true), y = GC.AllocateUninitializedArray<double>(n + 16, pinned: true);
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = random.NextDouble() - 0.5;
            y[i] = random.NextDouble() - 0.5;
        }
        double sink = 0;
        var cases = new List<(string Kernel, string Start, Action Ours, Action Tensor)>();
        foreach (int shift in new[] { 0, 1 })
        {
            string start = shift == 0 ? "aligned" : "+8 B";
            int ox = AlignedStart(x) + shift, oy = AlignedStart(y) + shift;
            cases.Add(("Dot", start, () => sink += Level1.Dot<double>(x.AsSpan(ox, n), y.AsSpan(oy, n)), () => sink += TensorPrimitives.Dot<double>(x.AsSpan(ox, n), y.AsSpan(oy, n))));
            cases.Add(("Sum", start, () => sink += Level1.Sum<double>(x.AsSpan(ox, n)), () => sink += TensorPrimitives.Sum<double>(x.AsSpan(ox, n))));
        }
        var ours = cases.ToDictionary(c => c, _ => new List<double>());
        var tensor = cases.ToDictionary(c => c, _ => new List<double>());
        for (int round = 0; round < Rounds; round++)
        {
            foreach (var c in cases)
            {
                ours[c].Add(Measure.MedianSeconds(c.Ours, sampleTime, 5));
                tensor[c].Add(Measure.MedianSeconds(c.Tensor, sampleTime, 5));
            }
        }
        foreach (var c in cases.OrderBy(c => c.Kernel))
        {
            double mine = Measure.Median(ours[c]), theirs = Measure.Median(tensor[c]);
            table.Add(c.Kernel, "double", $"{n:N0}", c.Start, Durations.Format(mine), Durations.Format(theirs), $"{theirs / mine:F2}×");
        }
        GC.KeepAlive(sink);
    }

    /// <summary>The first index of the pinned array <paramref name="values"/> whose address is a multiple of 64 bytes.</summary>
    private static unsafe int AlignedStart(double[] values)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref values[0]);
        return (int)((64 - address % 64) % 64 / sizeof(double));
    }
}
