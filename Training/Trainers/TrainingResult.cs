namespace Kernels.Training.Trainers;

/// <summary>What a training run did: one report per completed iteration and why it stopped.</summary>
/// <typeparam name="TReport">The trainer's per-iteration report.</typeparam>
/// <param name="Iterations">The reports, in order.</param>
/// <param name="StopReason">Why the run ended.</param>
/// <param name="Setup">Time spent before the first iteration (building workspaces, trees, the first evaluation).</param>
public sealed record TrainingResult<TReport>(IReadOnlyList<TReport> Iterations, StopReason StopReason, TimeSpan Setup) where TReport : struct;
