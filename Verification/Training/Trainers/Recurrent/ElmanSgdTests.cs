using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.Recurrent;

namespace Kernels.Verification.Training.Trainers.Recurrent;

public sealed class ElmanSgdTests
{
    /// <summary>With the batch as large as the data, SGD takes gradient descent's steps (the sums in another order).</summary>
    [Fact]
    public void AFullBatchIsGradientDescent()
    {
        var data = SyntheticSequences.Separable<double>(6, 5, 4, 2, 3);
        var sgdModel = new ElmanRnn<double>(16, 4, 2, 5);
        var gdModel = new ElmanRnn<double>(16, 4, 2, 5);
        var sgd = new ElmanSgd<double>(new ElmanSgdOptions { StepSize = 0.02, MaxIterations = 4, BatchSize = 6, Seed = 9 }).Train(sgdModel, data);
        var gd = new ElmanGradientDescent<double>(new ElmanGradientDescentOptions { StepSize = 0.02, MaxIterations = 4 }).Train(gdModel, data);
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(gd.Iterations[t].Loss, sgd.Iterations[t].Loss, 1e-12);
            Assert.True(double.IsNaN(sgd.Iterations[t].FullLoss));
        }
        for (int k = 0; k < 16 * 16; k++)
        {
            Assert.Equal(gdModel.Recurrent.Data[k], sgdModel.Recurrent.Data[k], 1e-12);
        }
    }

    /// <summary>Each epoch visits every sequence once (b divides N), epochs differ, and a seed reproduces the order.</summary>
    [Fact]
    public void BatchesPermuteTheSequencesEachEpoch()
    {
        const int n = 12, b = 3;
        var inputs = Enumerable.Range(0, n).Select(i => Constant(3, 2, i)).ToArray();
        var targets = Enumerable.Range(0, n).Select(_ => Constant(2, 1, 0)).ToArray();
        var data = new SequenceSet<double>(inputs, targets);
        var batches = new ShuffledBatches<double>(data, b, 4);
        var epochs = new List<int[]>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var seen = new List<int>();
            for (int k = 0; k < n / b; k++)
            {
                var batch = batches.Next(epoch * (n / b) + k);
                for (int i = 0; i < b; i++)
                {
                    seen.Add((int)batch.InputsAt(2)[i, 1]);
                }
            }
            Assert.Equal(Enumerable.Range(0, n), seen.Order());
            epochs.Add(seen.ToArray());
        }
        Assert.NotEqual(epochs[0], epochs[1]);
        var again = new ShuffledBatches<double>(data, b, 4);
        Assert.Equal(epochs[0][..b], Enumerable.Range(0, b).Select(i => (int)again.Next(0).InputsAt(2)[i, 1]));
    }

    /// <summary>The full loss, when asked for, is the loss of all sequences before the step.</summary>
    [Fact]
    public void ReportsTheFullLossWhenAsked()
    {
        var data = SyntheticSequences.Separable<float>(8, 4, 3, 2, 1);
        var model = new ElmanRnn<float>(12, 3, 2, 2);
        double expected = model.Loss(data, new ElmanRnnWorkspace<float>(model, 8, 4));
        var run = new ElmanSgd<float>(new ElmanSgdOptions { StepSize = 1e-3, MaxIterations = 2, BatchSize = 4, ReportFullLoss = true }).Train(model, data);
        Assert.Equal(expected, run.Iterations[0].FullLoss);
        Assert.True(run.Iterations[0].Loss < expected);
    }

    [Fact]
    public void BadBatchesThrow()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ElmanSgd<float>(new ElmanSgdOptions { BatchSize = 0 })).ParamName);
        var data = SyntheticSequences.Separable<float>(3, 4, 3, 2, 1);
        Assert.Throws<ArgumentException>("data", () => new ElmanSgd<float>(new ElmanSgdOptions { BatchSize = 4 }).Train(new ElmanRnn<float>(4, 3, 2, 1), data));
    }

    private static Matrix<double> Constant(int rows, int columns, double value)
    {
        var matrix = new Matrix<double>(rows, columns);
        matrix.AsSpan().Fill(value);
        return matrix;
    }
}
