using Kernels.Bench.Harness;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Spectre.Console;

namespace Kernels.Bench.Commands;

/// <summary>The quickstart's last step: save the trained model, load it back, and check the predictions are identical.</summary>
internal static class QuickstartCheckpoint
{
    /// <returns>Whether the reloaded model predicts the same bits.</returns>
    public static bool SaveReloadAndCheck(TwoLayerShiftedRelu model, RegressionSet data)
    {
        string path = Path.Combine(RepositoryPaths.Root, "artifacts", "quickstart", "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        model.SaveCheckpoint(path);
        var reloaded = TwoLayerShiftedRelu.LoadCheckpoint(path);
        var before = new float[data.Count];
        var after = new float[data.Count];
        model.Predict(data.Inputs, before);
        reloaded.Predict(data.Inputs, after);
        bool identical = before.AsSpan().SequenceEqual(after);
        AnsiConsole.MarkupLine($"Checkpoint: {Markup.Escape(path)} ({new FileInfo(path).Length / 1e6:F0} MB, safetensors layout, checksummed); reloaded predictions " +
            (identical ? "[green]identical to the bit[/]" : "[red]DIFFER[/]"));
        return identical;
    }
}
