using Kernels.Blas;
using Kernels.Randomness;
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
        // layer of compression c (or η when scaling is off), and g is the gradient of the same batch and dropout mask:
        // computed here by the separate, gradient-checked Backward on a copy of the model with the step's mask.
        var data = ClassificationSamples.Random(40, 12, 3, 2);
        var model = new Mlp(12, [new MlpLayerSpec(16, 24), new MlpLayerSpec(3)], 5);
        var options = new SgdOptions { BatchSize = 40, LearningRate = 0.3, ScaleHashedSteps = scale };
        float[][] before = [model.Weights(0).ToArray(), model.Weights(1).ToArray()];
        var run = new SgdRun(model, data, options);
        run.Shuffle(0);
        run.Step(0, 0.3f);

        var copy = new Mlp(12, [new MlpLayerSpec(16, 24), new MlpLayerSpec(3)], 5);
        var inputs = data.Subset(run.Order.ToArray());
        var gradients = new MlpWorkspace(copy, 40);
        gradients.Forward(inputs.Inputs, new Dropout((float)options.KeepRate, CounterRandom.Derive(options.Seed, SgdRun.DropoutPurpose), 0), null);
        gradients.LossAndOutputGradient(inputs.Labels, out _);
        gradients.Backward(inputs.Inputs, null);
        double compression = 12.0 * 16 / 24;
        double[] rates = [scale ? 0.3 / Math.Sqrt(compression) : 0.3, 0.3];
        for (int l = 0; l < 2; l++)
        {
            var gradient = gradients.WeightGradient(l);
            for (int k = 0; k < before[l].Length; k++)
            {
                Assert.Equal(before[l][k] - (float)rates[l] * gradient[k], model.Weights(l)[k], 1e-6f);
            }
        }
    }

    [Fact]
    public void ThreeStepsTakePyTorchsMomentumUpdateWithTheRateOfEachEpoch()
    {
        // A textbook reference in double: a 5 → 4 → 3 ReLU net, no dropout, one full batch per epoch (so the order of the
        // rows does not matter), mean softmax cross-entropy, backpropagation by hand, then PyTorch's SGD step
        // v ← μ·v + g, w ← w − η_e·v with η_e = η₀·decayᵉ. The other common form (v ← μ·v − η·g, w ← w + v) differs by
        // μ·(η_{e−1} − η_e)·v from the second step on: 0.9·0.1·|v| here, far above the float tolerance.
        var data = ClassificationSamples.Random(12, 5, 3, 8);
        var model = Mlp.Dense(4, hidden: 4, inputs: 5, classes: 3);
        double[][] w = [.. Enumerable.Range(0, 2).Select(l => model.Weights(l).ToArray().Select(v => (double)v).ToArray())];
        double[][] b = [.. Enumerable.Range(0, 2).Select(l => model.Bias(l).ToArray().Select(v => (double)v).ToArray())];
        var options = new SgdOptions { Epochs = 3, BatchSize = 12, LearningRate = 0.2, LearningRateDecay = 0.5, Momentum = 0.9, KeepRate = 1 };
        new SgdTrainer(options).Train(model, data);

        double[][] vw = [new double[20], new double[12]], vb = [new double[4], new double[3]];
        for (int epoch = 0; epoch < 3; epoch++)
        {
            double eta = 0.2 * Math.Pow(0.5, epoch);
            double[][] gw = [new double[20], new double[12]], gb = [new double[4], new double[3]];
            for (int i = 0; i < data.Count; i++)
            {
                var x = data.Inputs.Row(i);
                var z = new double[4];
                for (int j = 0; j < 4; j++)
                {
                    z[j] = b[0][j];
                    for (int k = 0; k < 5; k++)
                    {
                        z[j] += w[0][j * 5 + k] * x[k];
                    }
                }
                var logits = new double[3];
                for (int c = 0; c < 3; c++)
                {
                    logits[c] = b[1][c];
                    for (int j = 0; j < 4; j++)
                    {
                        logits[c] += w[1][c * 4 + j] * Math.Max(z[j], 0);
                    }
                }
                double max = logits.Max(), sum = logits.Sum(v => Math.Exp(v - max));
                for (int c = 0; c < 3; c++)
                {
                    double delta = (Math.Exp(logits[c] - max) / sum - (c == data.Labels[i] ? 1 : 0)) / data.Count;
                    gb[1][c] += delta;
                    for (int j = 0; j < 4; j++)
                    {
                        gw[1][c * 4 + j] += delta * Math.Max(z[j], 0);
                        if (z[j] > 0)
                        {
                            gb[0][j] += delta * w[1][c * 4 + j];
                            for (int k = 0; k < 5; k++)
                            {
                                gw[0][j * 5 + k] += delta * w[1][c * 4 + j] * x[k];
                            }
                        }
                    }
                }
            }
            foreach (var (p, v, g) in new[] { (w[0], vw[0], gw[0]), (w[1], vw[1], gw[1]), (b[0], vb[0], gb[0]), (b[1], vb[1], gb[1]) })
            {
                for (int k = 0; k < p.Length; k++)
                {
                    v[k] = 0.9 * v[k] + g[k];
                    p[k] -= eta * v[k];
                }
            }
        }
        for (int l = 0; l < 2; l++)
        {
            for (int k = 0; k < w[l].Length; k++)
            {
                Assert.Equal(w[l][k], model.Weights(l)[k], 1e-5);
            }
            for (int k = 0; k < b[l].Length; k++)
            {
                Assert.Equal(b[l][k], model.Bias(l)[k], 1e-5);
            }
        }
    }

    [Fact]
    public void TheWorkspaceEstimateIsWhatTrainingAllocates()
    {
        // One epoch, one thread, evaluation on: the managed bytes Train allocates are the estimate plus the reports, the
        // result and the arrays' headers (a few KiB); Gemm's pack buffers are native memory. A first run warms up the JIT.
        var data = ClassificationSamples.Random(200, 64, 10, 5);
        var evaluation = ClassificationSamples.Random(120, 64, 10, 6);
        var trainer = new SgdTrainer(new SgdOptions { Epochs = 1, BatchSize = 50, Blas = BlasOptions.SingleThreaded }, evaluation);
        trainer.Train(Mlp.HashedNet(8, 1, hidden: 256, inputs: 64), data);
        foreach (var model in new[] { Mlp.HashedNet(8, 2, hidden: 256, inputs: 64), Mlp.ThinNet(4, 2, hidden: 256, inputs: 64) })
        {
            long estimate = trainer.WorkspaceBytes(model, data);
            long before = GC.GetAllocatedBytesForCurrentThread();
            trainer.Train(model, data);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.InRange(allocated, estimate, estimate + 16 * 1024);
        }
    }

    [Fact]
    public void ATooLargeProblemIsRefusedWithItsSizeInBytes()
    {
        // 3,000 rows × 1,000,000 hidden units: one activation buffer alone would hold 3·10⁹ floats, more than an array
        // holds, while the model itself is 16 MB. The trainer must say so before touching anything.
        var model = new Mlp(1, [new MlpLayerSpec(1_000_000), new MlpLayerSpec(2)], 1);
        var data = ClassificationSamples.Random(3000, 1, 2, 1);
        var trainer = new SgdTrainer(new SgdOptions { Epochs = 1, BatchSize = 3000 });
        float[] before = model.Weights(0).ToArray();
        var error = Assert.Throws<ArgumentException>("data", () => trainer.Train(model, data));
        Assert.Contains($"{trainer.WorkspaceBytes(model, data):N0} bytes", error.Message);
        Assert.True(trainer.WorkspaceBytes(model, data) > 5L * 3000 * 1_000_000 * sizeof(float));
        Assert.Equal(before, model.Weights(0).ToArray());
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
        Assert.Throws<ArgumentNullException>("model", () => new SgdTrainer().WorkspaceBytes(null!, ClassificationSamples.Random(4, 5, 2, 1)));
        Assert.Throws<ArgumentNullException>("data", () => new SgdTrainer().WorkspaceBytes(model, null!));
    }
}
