namespace Kernels.Training.Trainers.Recurrent;

/// <summary>Options of <see cref="ElmanSgd{T}"/>: the shared ones of <see cref="ElmanTrainerOptions"/>, the batch and its seed.</summary>
public sealed record ElmanSgdOptions : ElmanTrainerOptions
{
    /// <summary>Sequences per step b ≥ 1 (at most N, checked against the data). Each epoch visits ⌊N / b⌋ batches of a fresh permutation. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Decides the permutations (<c>Derive(seed, Purpose("elmansgd"))</c>, stream = epoch). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Whether each report also carries the loss on all N sequences before the step (one more forward pass over
    /// all of them per step, and a workspace for all N). Default false: <see cref="ElmanIteration.FullLoss"/> is NaN.</summary>
    public bool ReportFullLoss { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch needs at least one sequence.");
        }
    }
}
