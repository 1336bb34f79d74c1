using System.Numerics;
using Kernels.Training.Data;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>Every step uses all N sequences (gradient descent).</summary>
internal sealed class FullBatch<T>(SequenceSet<T> data) : IElmanBatches<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public int Count => data.Count;

    public SequenceSet<T> Next(int iteration) => data;
}
