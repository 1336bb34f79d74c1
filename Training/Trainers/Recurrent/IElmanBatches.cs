using System.Numerics;
using Kernels.Training.Data;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>Where an Elman trainer's steps take their sequences from: all of them, or a mini-batch.</summary>
internal interface IElmanBatches<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Sequences per step (the workspace's N).</summary>
    int Count { get; }

    /// <summary>The sequences of step <paramref name="iteration"/>; allocates nothing.</summary>
    SequenceSet<T> Next(int iteration);
}
