using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.Recurrent;

namespace Kernels.Verification.Training.Trainers.Recurrent;

public sealed class ElmanTrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kernels-elman-train-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A step far too large makes the weights overflow: the run stops, says why, and W holds finite weights.</summary>
    [Fact]
    public void ANonFiniteStepStopsWithoutWriting()
    {
        var data = SyntheticSequences.Separable<float>(4, 5, 3, 2, 1);
        var model = new ElmanRnn<float>(16, 3, 2, 1);
        var run = new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { StepSize = 1e30, MaxIterations = 20 }).Train(model, data);
        Assert.Equal(StopReason.NonFinite, run.StopReason);
        Assert.True(run.Iterations.Count < 20);
        foreach (float w in model.Recurrent.Data)
        {
            Assert.True(float.IsFinite(w));
        }
    }

    [Fact]
    public void CancellationStopsBetweenSteps()
    {
        var data = SyntheticSequences.Separable<double>(4, 3, 3, 2, 1);
        var model = new ElmanRnn<double>(8, 3, 2, 1);
        using var cancel = new CancellationTokenSource();
        var progress = new Callback(report =>
        {
            if (report.Iteration == 2)
            {
                cancel.Cancel();
            }
        });
        var run = new ElmanGradientDescent<double>(new ElmanGradientDescentOptions { MaxIterations = 10 }).Train(model, data, progress, cancel.Token);
        Assert.Equal(StopReason.Cancelled, run.StopReason);
        Assert.Equal(3, run.Iterations.Count);
    }

    [Fact]
    public void ConvergesAtTheTolerance()
    {
        var data = SyntheticSequences.Separable<double>(4, 3, 3, 2, 1);
        var model = new ElmanRnn<double>(8, 3, 2, 1);
        var run = new ElmanGradientDescent<double>(new ElmanGradientDescentOptions { LossTolerance = 1e9 }).Train(model, data);
        Assert.Equal(StopReason.Converged, run.StopReason);
        Assert.Single(run.Iterations);
    }

    /// <summary>Checkpoints are written during and at the end of the run and reload to the trained weights exactly.</summary>
    [Fact]
    public void WritesCheckpointsOfTheTrainedModel()
    {
        string path = Path.Combine(_folder, "rnn.safetensors");
        var data = SyntheticSequences.Separable<float>(4, 3, 3, 2, 1);
        var model = new ElmanRnn<float>(8, 3, 2, 1);
        new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { MaxIterations = 3, CheckpointPath = path, CheckpointEvery = 2 }).Train(model, data);
        var loaded = ElmanRnn<float>.LoadCheckpoint(path);
        Assert.True(model.Recurrent.Data.SequenceEqual(loaded.Recurrent.Data));
    }

    private sealed class Callback(Action<ElmanIteration> action) : IProgress<ElmanIteration>
    {
        public void Report(ElmanIteration value) => action(value);
    }
}
