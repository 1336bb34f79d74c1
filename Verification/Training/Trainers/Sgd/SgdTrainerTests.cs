using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.Sgd;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Trainers.Sgd;

public sealed class SgdTrainerTests
{
    /// <summary>
    /// 60 points in [0, 1]^10, 3 classes: class c has x_c = 1 and every other coordinate uniform in [0, 0.3], so a
    /// linear rule (arg max of x_0 … x_2) separates them with margin 0.7.
    /// </summary>
    private static ClassificationSet Separable()
    {
        var random = new Random(4);
        const int n = 60, d = 10;
        var x = new float[n * d];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 3;
            for (int k = 0; k < d; k++)
            {
                x[i * d + k] = k == y[i] ? 1f : (float)(0.3 * random.NextDouble());
            }
        }
        return new ClassificationSet(new ReadOnlyMatrixView<float>(x, n, d), y, 3);
    }

    public static TheoryData<string> Models => new() { "dense", "hashed", "small", "thin" };

    private static Mlp Build(string kind) => kind switch
    {
        "dense" => Mlp.Dense(7, hidden: 32, inputs: 10, classes: 3),
        "hashed" => Mlp.HashedNet(4, 7, hidden: 32, inputs: 10, classes: 3),
        "small" => Mlp.SmallNet(4, 7, hidden: 32, inputs: 10, classes: 3),
        _ => Mlp.ThinNet(4, 7, hidden: 32, inputs: 10, classes: 3),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void EachModelReachesZeroTrainingErrorOnASeparableProblem(string kind)
    {
        var data = Separable();
        var model = Build(kind);
        var result = new SgdTrainer(new SgdOptions { Epochs = 40, BatchSize = 10, LearningRate = 0.1, LearningRateDecay = 0.97 }).Train(model, data);
        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(40, result.Iterations.Count);
        Assert.Equal(0.0, model.ErrorRate(data));
        Assert.True(result.Iterations[^1].TrainingLoss < result.Iterations[0].TrainingLoss / 4, $"{kind}: loss {result.Iterations[0].TrainingLoss} → {result.Iterations[^1].TrainingLoss}");
    }

    [Fact]
    public void RunsAreSeededAndTheSameBitsForAnyThreadCount()
    {
        var data = ClassificationSamples.Random(130, 20, 4, 6);
        float[] Run(BlasOptions blas, ulong seed)
        {
            var model = Mlp.HashedNet(8, 3, hidden: 48, inputs: 20, classes: 4);
            new SgdTrainer(new SgdOptions { Epochs = 2, BatchSize = 25, Seed = seed, Blas = blas }, evaluation: data).Train(model, data);
            return [.. model.Weights(0), .. model.Weights(1), .. model.Bias(0)];
        }
        var one = Run(BlasOptions.SingleThreaded, 1);
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 2, ParallelThreshold = 1 }, 1));
        Assert.NotEqual(one, Run(BlasOptions.SingleThreaded, 2));
    }

    [Fact]
    public void ReportsFollowTheScheduleAndCancellationStopsBetweenSteps()
    {
        var data = ClassificationSamples.Random(30, 5, 2, 1);
        var options = new SgdOptions { Epochs = 3, BatchSize = 7, LearningRate = 0.2, LearningRateDecay = 0.5 };
        var reports = new List<SgdEpoch>();
        var result = new SgdTrainer(options, data).Train(Mlp.Dense(1, hidden: 4, inputs: 5, classes: 2), data, new Progress(reports));
        Assert.Equal([0.2, 0.1, 0.05], result.Iterations.Select(r => Math.Round(r.LearningRate, 6)).ToArray());
        Assert.Equal(result.Iterations, reports);
        Assert.All(result.Iterations, r => Assert.Equal(30, r.Samples));
        Assert.All(result.Iterations, r => Assert.InRange(r.EvaluationError, 0, 1));
        var cancelled = new SgdTrainer(options).Train(Mlp.Dense(1, hidden: 4, inputs: 5, classes: 2), data, cancellationToken: new CancellationToken(true));
        Assert.Equal(StopReason.Cancelled, cancelled.StopReason);
        Assert.Empty(cancelled.Iterations);
    }

    private sealed class Progress(List<SgdEpoch> reports) : IProgress<SgdEpoch>
    {
        public void Report(SgdEpoch value) => reports.Add(value);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AFirstStepMovesDenseWeightsByEtaAndBucketsByEtaOverRootCompression(bool scale)
    {
        // Momentum starts at zero, so the first step is w ← w − η'·g with η' = η for dense layers and η/√c for a hashed
        // layer of compression c (or η when scaling is off); g is the gradient of the same batch and dropout mask.
        var data = ClassificationSamples.Random(40, 12, 3, 2);
        var model = new Mlp(12, [new MlpLayerSpec(16, 24), new MlpLayerSpec(3)], 5);
        var options = new SgdOptions { BatchSize = 40, LearningRate = 0.3, ScaleHashedSteps = scale };
        float[][] before = [model.Weights(0).ToArray(), model.Weights(1).ToArray()];
        var run = new SgdRun(model, data, options);
        run.Shuffle(0);
        run.Step(0, 0.3f);
        double compression = 12.0 * 16 / 24;
        double[] rates = [scale ? 0.3 / Math.Sqrt(compression) : 0.3, 0.3];
        for (int l = 0; l < 2; l++)
        {
            var gradient = run.Workspace.WeightGradient(l);
            for (int k = 0; k < before[l].Length; k++)
            {
                Assert.Equal(before[l][k] - (float)rates[l] * gradient[k], model.Weights(l)[k], 1e-6f);
            }
        }
    }

    [Fact]
    public void BadOptionsAndDataThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>("Epochs", () => new SgdTrainer(new SgdOptions { Epochs = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("BatchSize", () => new SgdTrainer(new SgdOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("LearningRate", () => new SgdTrainer(new SgdOptions { LearningRate = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>("LearningRateDecay", () => new SgdTrainer(new SgdOptions { LearningRateDecay = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("Momentum", () => new SgdTrainer(new SgdOptions { Momentum = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>("KeepRate", () => new SgdTrainer(new SgdOptions { KeepRate = 0 }));
        var model = Mlp.Dense(1, hidden: 4, inputs: 5, classes: 2);
        Assert.Throws<ArgumentException>("data", () => new SgdTrainer().Train(model, ClassificationSamples.Random(4, 6, 2, 1)));
        Assert.Throws<ArgumentException>("evaluation", () => new SgdTrainer(null, ClassificationSamples.Random(4, 5, 3, 1)).Train(model, ClassificationSamples.Random(4, 5, 2, 1)));
        Assert.Throws<ArgumentNullException>("model", () => new SgdTrainer().Train(null!, ClassificationSamples.Random(4, 5, 2, 1)));
    }
}
