using System.Runtime.InteropServices;
using Kernels.Simd;

namespace Kernels.Bench.Harness;

/// <summary>What a results table must say about where it was measured: CPU, cores, vector width, date, command.</summary>
public static class MachineInfo
{
    /// <summary>The CPU model as the OS reports it, with family and model numbers when /proc/cpuinfo has them.</summary>
    public static string Cpu { get; } = ReadCpu();

    /// <summary>A file-system friendly name for the results folder, e.g. <c>amd-epyc-f25m17-2c</c>.</summary>
    public static string Slug { get; } = MakeSlug();

    /// <summary>The markdown header every results file starts with.</summary>
    public static string Header(string title, string command) =>
        $"# {title}\n\n" +
        $"- CPU: {Cpu}, {Environment.ProcessorCount} logical cores\n" +
        $"- SIMD: {SimdCapabilities.Describe()}\n" +
        $"- Runtime: {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}\n" +
        $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC\n" +
        $"- Command: `{command}`\n";

    /// <summary>The first three fields of /proc/loadavg (1, 5 and 15 minutes), or "unknown" where it does not exist.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The results folder for this machine, created under <c>Bench/results/</c> of the repository.</summary>
    public static string ResultsDirectory()
    {
        string directory = Path.Combine(RepositoryPaths.Bench, "results", Slug);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string ReadCpu()
    {
        try
        {
            string[] lines = File.ReadAllLines("/proc/cpuinfo");
            string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            return $"{Field("model name")} (family {Field("cpu family")}, model {Field("model\t")})";
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }

    private static string MakeSlug()
    {
        string name = Cpu.Split('(')[0].Trim().ToLowerInvariant();
        string family = "";
        if (Cpu.Contains("family", StringComparison.Ordinal))
        {
            var parts = Cpu.Split('(', ')')[1].Replace(",", "").Split(' ');
            family = $"-f{parts[1]}m{parts[3]}";
        }
        var chars = name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray();
        return new string(chars).Trim('-') + family + $"-{Environment.ProcessorCount}c";
    }
}
