using Kernels.Blas;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>What both Elman trainers' options share: the step, the stopping rules, which weights train, threads and checkpoints.</summary>
public abstract record ElmanTrainerOptions
{
    /// <summary>The step size η &gt; 0 of θ ← θ − η·∂f/∂θ (f the summed loss of the sequences used). The theory takes η ∝ 1/m. Default 1e-3.</summary>
    public double StepSize { get; init; } = 1e-3;

    /// <summary>Most steps to run, ≥ 1. The reports' per-step gradient norms (L values per step) are allocated for this many steps up front. Default 100.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop once the loss of a step is ≤ this, finite and ≥ 0. Default 0.</summary>
    public double LossTolerance { get; init; }

    /// <summary>Whether the input weights A train too (the paper trains W alone). Default false.</summary>
    public bool TrainInput { get; init; }

    /// <summary>Whether the output weights B train too (the paper trains W alone). Default false.</summary>
    public bool TrainOutput { get; init; }

    /// <summary>Threads for the products; <see cref="BlasOptions.Default"/> when null.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>Where to save the model (<see cref="Models.ElmanRnn{T}.SaveCheckpoint"/>, atomic) every
    /// <see cref="CheckpointEvery"/> steps and when training ends; null for no checkpoints.</summary>
    public string? CheckpointPath { get; init; }

    /// <summary>Steps between checkpoints, ≥ 1, when <see cref="CheckpointPath"/> is set. Default 100.</summary>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>Throws if an option is out of range; the message names the option.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="CheckpointPath"/> is empty or whitespace.</exception>
    public virtual void Validate()
    {
        if (!double.IsFinite(StepSize) || StepSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(StepSize), StepSize, "The step size must be finite and > 0.");
        }
        if (MaxIterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
        }
        if (!double.IsFinite(LossTolerance) || LossTolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LossTolerance), LossTolerance, "The loss tolerance must be finite and ≥ 0.");
        }
        if (CheckpointPath is not null && string.IsNullOrWhiteSpace(CheckpointPath))
        {
            throw new ArgumentException("The checkpoint path must not be empty; use null for no checkpoints.", nameof(CheckpointPath));
        }
        if (CheckpointEvery < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckpointEvery), CheckpointEvery, "Checkpoints need at least one step between them.");
        }
        Blas?.Validate();
    }
}
