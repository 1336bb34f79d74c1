using Kernels.Randomness;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.Sgd;

/// <summary>
/// One training run's state: the workspace, the epoch's order and one batch's inputs and labels, all allocated at the
/// start, so <see cref="Step"/> allocates nothing.
/// </summary>
internal sealed class SgdRun
{
    /// <summary>The purpose the shuffles' seed is derived with.</summary>
    internal static readonly ulong ShufflePurpose = CounterRandom.Purpose("shuffle");

    /// <summary>The purpose the dropout masks' seed is derived with.</summary>
    internal static readonly ulong DropoutPurpose = CounterRandom.Purpose("dropout");

    private readonly Mlp _model;
    private readonly ClassificationSet _data;
    private readonly SgdOptions _options;
    private readonly MlpWorkspace _workspace;
    private readonly int[] _order;
    private readonly uint[] _draws;
    private readonly float[] _batchInputs;
    private readonly int[] _batchLabels;
    private readonly ulong _shuffleSeed, _dropoutSeed;
    private long _step;

    public SgdRun(Mlp model, ClassificationSet data, SgdOptions options)
    {
        _model = model;
        _data = data;
        _options = options;
        int batch = Math.Min(options.BatchSize, data.Count);
        _workspace = new MlpWorkspace(model, batch);
        _workspace.AllocateTrainingBuffers();
        _order = new int[data.Count];
        _draws = new uint[data.Count];
        _batchInputs = new float[batch * data.Dimension];
        _batchLabels = new int[batch];
        _shuffleSeed = CounterRandom.Derive(options.Seed, ShufflePurpose);
        _dropoutSeed = CounterRandom.Derive(options.Seed, DropoutPurpose);
    }

    public MlpWorkspace Workspace => _workspace;

    /// <summary>The current epoch's order of the examples.</summary>
    public ReadOnlySpan<int> Order => _order;

    public int BatchesPerEpoch => (_data.Count + _workspace.MaxBatch - 1) / _workspace.MaxBatch;

    /// <summary>The order of epoch <paramref name="epoch"/>: a Fisher–Yates shuffle with draws from stream <paramref name="epoch"/>.</summary>
    public void Shuffle(int epoch)
    {
        new CounterRandom(_shuffleSeed, (ulong)epoch).FillUInt32(_draws);
        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }
        for (int k = _order.Length - 1; k > 0; k--)
        {
            int j = (int)((ulong)_draws[k] * (ulong)(k + 1) >> 32);
            (_order[k], _order[j]) = (_order[j], _order[k]);
        }
    }

    /// <summary>Trains on batch <paramref name="batch"/> of the current order; returns its summed loss and its misclassified count.</summary>
    public (double Loss, int Errors, int Rows) Step(int batch, float learningRate)
    {
        int start = batch * _workspace.MaxBatch;
        int rows = Math.Min(_workspace.MaxBatch, _data.Count - start);
        int d = _data.Dimension;
        var inputs = _data.Inputs;
        for (int b = 0; b < rows; b++)
        {
            int i = _order[start + b];
            inputs.Row(i).CopyTo(_batchInputs.AsSpan(b * d, d));
            _batchLabels[b] = _data.Labels[i];
        }
        var x = new ReadOnlyMatrixView<float>(_batchInputs.AsSpan(0, rows * d), rows, d);
        var dropout = new Dropout((float)_options.KeepRate, _dropoutSeed, _step++);
        _workspace.Forward(x, dropout, _options.Blas);
        double loss = _workspace.LossAndOutputGradient(_batchLabels.AsSpan(0, rows), out int errors);
        _workspace.BackwardIntoVelocity(x, (float)_options.Momentum, _options.Blas);
        _workspace.ApplyVelocity(learningRate, _options.ScaleHashedSteps, _options.Blas);
        return (loss, errors, rows);
    }
}
