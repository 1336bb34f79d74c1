namespace Kernels.Bench.Experiments.Sketching;

/// <summary>One claim's part of the results file: its markdown (tables and notes) and one verdict line per family or sketch for the summary.</summary>
internal sealed record ClaimSection(string Markdown, IReadOnlyList<string> Verdicts);
