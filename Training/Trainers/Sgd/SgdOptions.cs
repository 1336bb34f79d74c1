using Kernels.Blas;

namespace Kernels.Training.Trainers.Sgd;

/// <summary>Options of <see cref="SgdTrainer"/>; the defaults are seed 001's (momentum 0.9, batch 50, dropout keep-rate 0.9).</summary>
public sealed record SgdOptions
{
    /// <summary>Passes over the training set, ≥ 1. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per step, ≥ 1. Default 50. An epoch's last batch holds the remainder when the set is not a multiple.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>The step size η₀ of the first epoch, &gt; 0 and finite. Default 0.05.</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>The schedule: epoch e (from 0) steps with η₀·decayᵉ; in (0, 1], 1 keeps η constant. Default 0.9.</summary>
    public double LearningRateDecay { get; init; } = 0.9;

    /// <summary>μ of v ← μ·v + g, w ← w − η·v (PyTorch's SGD), in [0, 1). Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>The probability p of keeping a hidden unit (inverted dropout: kept units scaled by 1/p), in (0, 1]; 1 disables dropout. Default 0.9.</summary>
    public double KeepRate { get; init; } = 0.9;

    /// <summary>
    /// Whether a hashed layer's buckets step with η/√c, c = inputs·outputs/B its compression, instead of η. Default true.
    /// A bucket's gradient sums the gradients of the c virtual weights it holds and a step moves all c of them, so with η
    /// the virtual matrix moves like a dense layer stepped with about c·η (HᵀH = c·I in expectation for the bucket map H);
    /// η/c would give exactly the dense step projected onto the hashed matrices. On MNIST-10k (2 epochs, seed 1, ratio 64)
    /// η diverged (18.5 % test error, σ_max of V 130), η/c learned too slowly (13.5 %), and η/√c, between the two,
    /// reached 7.8 % (7.7 % at ratio 8, where η gave 6.8 %): a tuning of the HashedNets step only, the baselines are untouched.
    /// </summary>
    public bool ScaleHashedSteps { get; init; } = true;

    /// <summary>The seed of the shuffles and dropout masks (the model's own seed sets its initial weights). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Threads for the Gemms; <see cref="BlasOptions.Default"/> when null. Results are the same bits for any thread count.</summary>
    public BlasOptions? Blas { get; init; }

    /// <summary>Throws if an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the message names it).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (!double.IsFinite(LearningRate) || LearningRate <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive and finite.");
        }
        if (!(LearningRateDecay > 0 && LearningRateDecay <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRateDecay), LearningRateDecay, "The decay must be in (0, 1].");
        }
        if (!(Momentum >= 0 && Momentum < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "The momentum must be in [0, 1).");
        }
        if (!(KeepRate > 0 && KeepRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(KeepRate), KeepRate, "The keep rate must be in (0, 1].");
        }
        (Blas ?? BlasOptions.Default).Validate();
    }

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 0): η₀·decayᵉ.</summary>
    public double LearningRateAt(int epoch) => LearningRate * Math.Pow(LearningRateDecay, epoch);
}
