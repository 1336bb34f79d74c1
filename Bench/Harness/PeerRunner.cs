using System.Diagnostics;
using System.Text.Json;

namespace Kernels.Bench.Harness;

/// <summary>
/// Runs a peer script from <c>Bench/peers/</c> with Debian's <c>/usr/bin/python3</c> and returns its JSON results.
/// Fails with the command to run when the peers are not installed.
/// </summary>
/// <remarks>
/// Every peer runs at its best on this CPU: <see cref="ForcedKernelVariables"/> are removed from the peer process's
/// environment (only there; tests and CI keep theirs), so OpenBLAS picks its own kernel, and each results table
/// records the kernel used (<see cref="KernelLines"/>).
/// </remarks>
public static class PeerRunner
{
    /// <summary>The interpreter the peers are installed for (another python3 may come first on PATH).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>
    /// Variables that force OpenBLAS onto a kernel other than its choice for this CPU. This machine's environment sets
    /// both (the AVX2 Haswell kernel on an AVX-512 CPU), which halved NumPy's sgemm.
    /// </summary>
    public static readonly IReadOnlyList<string> ForcedKernelVariables = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"];

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/> and the extra environment; returns the parsed JSON object.</summary>
    /// <exception cref="InvalidOperationException">Python or the peer packages are missing, or the script failed.</exception>
    public static Dictionary<string, JsonElement> Run(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string path = Path.Combine(RepositoryPaths.Bench, "peers", script);
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} is missing; install the peers with: bash Bench/peers/install.sh");
        }
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        start.ArgumentList.Add(path);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (string name in ForcedKernelVariables)
        {
            start.Environment.Remove(name);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            string message = error.Result;
            string hint = message.Contains("ModuleNotFoundError", StringComparison.Ordinal) ? " Install the peers with: bash Bench/peers/install.sh" : "";
            throw new InvalidOperationException($"Peer script {script} failed ({process.ExitCode}): {message.Trim()}{hint}");
        }
        string json = output.Trim().Split('\n').Last();
        return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)
            ?? throw new InvalidOperationException($"Peer script {script} printed no results.");
    }

    /// <summary>
    /// Results-file lines naming the BLAS kernel the peers ran on, from <c>version.py</c>'s output (threadpoolctl,
    /// and PyTorch's build configuration when it is installed), and whether a kernel was forced.
    /// </summary>
    public static string KernelLines(IReadOnlyDictionary<string, JsonElement> versions)
    {
        string Field(string key) => versions.TryGetValue(key, out var value) ? value.GetString() ?? "?" : "not reported";
        string lines = $"- Peer BLAS kernel (threadpoolctl): {Field("blas")}; variables forcing a kernel in the peer's environment: {Field("forced_kernel")}\n";
        return versions.ContainsKey("torch_blas") ? lines + $"- PyTorch {Field("torch")} BLAS (`torch.__config__.show()`): {Field("torch_blas")}\n" : lines;
    }
}
