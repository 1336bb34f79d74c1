using System.Numerics;
using Kernels.Randomness;
using Kernels.Training.Data;

namespace Kernels.Training.Trainers.Recurrent;

/// <summary>
/// Mini-batches of b sequences without replacement within an epoch: each epoch draws a permutation of the N sequences
/// (Fisher–Yates on uniform 32-bit words from <c>CounterRandom(Derive(seed, Purpose("elmansgd")), epoch)</c>) and
/// visits its ⌊N / b⌋ full batches; the batch is copied into one reused set, so a step allocates nothing.
/// </summary>
internal sealed class ShuffledBatches<T> : IElmanBatches<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The purpose the permutations derive their seed with.</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("elmansgd");

    private readonly SequenceSet<T> _data;
    private readonly SequenceSet<T> _batch;
    private readonly ulong _seed;
    private readonly int[] _permutation;
    private readonly uint[] _random;
    private readonly int _perEpoch;
    private int _epoch = -1;

    public ShuffledBatches(SequenceSet<T> data, int batchSize, ulong seed)
    {
        _data = data;
        _batch = data.EmptyBatch(batchSize);
        _seed = CounterRandom.Derive(seed, SeedPurpose);
        _permutation = new int[data.Count];
        _random = new uint[data.Count];
        _perEpoch = data.Count / batchSize;
    }

    public int Count => _batch.Count;

    public SequenceSet<T> Next(int iteration)
    {
        int epoch = iteration / _perEpoch;
        if (epoch != _epoch)
        {
            Shuffle(epoch);
        }
        _data.CopySequences(_permutation.AsSpan(iteration % _perEpoch * _batch.Count, _batch.Count), _batch);
        return _batch;
    }

    private void Shuffle(int epoch)
    {
        _epoch = epoch;
        new CounterRandom(_seed, (ulong)epoch).FillUInt32(_random);
        for (int i = 0; i < _permutation.Length; i++)
        {
            _permutation[i] = i;
        }
        for (int i = _permutation.Length - 1; i > 0; i--)
        {
            int j = (int)((ulong)_random[i] * (ulong)(i + 1) >> 32);
            (_permutation[i], _permutation[j]) = (_permutation[j], _permutation[i]);
        }
    }
}
