using System.Numerics;
using Kernels.Training.Data;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>
/// Full-batch gradient descent on an <see cref="Models.ElmanRnn{T}"/> (seed 003, Theorem 1): each step takes ∂f/∂W on
/// all N sequences by BPTT and sets W ← W − η·∂f/∂W (and A, B when they train).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ElmanGradientDescent<T> : ElmanTrainer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A trainer with the given options (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException">The checkpoint path is empty.</exception>
    public ElmanGradientDescent(ElmanGradientDescentOptions? options = null) : base(Validated(options))
    {
    }

    private static ElmanGradientDescentOptions Validated(ElmanGradientDescentOptions? options)
    {
        options ??= new ElmanGradientDescentOptions();
        options.Validate();
        return options;
    }

    private protected override int BatchCount(SequenceSet<T> data) => data.Count;

    private protected override IElmanBatches<T> CreateBatches(SequenceSet<T> data) => new FullBatch<T>(data);
}
