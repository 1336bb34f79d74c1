using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Models;

/// <summary>The MLP: whole-network gradients against finite differences, the seed-001 builders' weight budgets, checkpoints and bad input.</summary>
public sealed class MlpTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("kernels-mlp-");

    public void Dispose() => folder.Delete(recursive: true);

    /// <summary>A 6 → 5 (hashed) → 4 (dense) → 3 (hashed) net: both layer kinds, two hidden layers.</summary>
    private static Mlp Tiny(ulong seed) => new(6, [new MlpLayerSpec(5, 12), new MlpLayerSpec(4), new MlpLayerSpec(3, 7)], seed);

    [Fact]
    public void AnInferenceWorkspaceGivesTheTrainingWorkspacesOutputsAndRefusesTrainingPasses()
    {
        // Same logits and loss bits as a training workspace without dropout; dropout and backward passes need the
        // buffers it does not have, and must say so instead of writing anywhere.
        var model = Tiny(5);
        var data = ClassificationSamples.Random(11, 6, 3, 23);
        var training = new MlpWorkspace(model, data.Count);
        var inference = new MlpWorkspace(model, data.Count, training: false);
        training.Forward(data.Inputs, dropout: default, null);
        inference.Forward(data.Inputs, dropout: default, null);
        Assert.Equal(training.LossAndOutputGradient(data.Labels, out int trainingErrors), inference.LossAndOutputGradient(data.Labels, out int inferenceErrors));
        Assert.Equal(trainingErrors, inferenceErrors);
        int[] expected = new int[data.Count], actual = new int[data.Count];
        training.ArgMax(data.Count, expected);
        inference.ArgMax(data.Count, actual);
        Assert.Equal(expected, actual);
        Assert.Throws<InvalidOperationException>(() => inference.Forward(data.Inputs, new Dropout(0.5f, 1, 0), null));
        Assert.Throws<InvalidOperationException>(() => inference.Backward(data.Inputs, null));
        // The inference estimate is what a new inference workspace allocates, plus the arrays' and the object's headers
        // (a few dozen arrays of about 24 bytes each), and less than a training workspace needs.
        long estimate = MlpWorkspace.Bytes(model, 500, training: false);
        long allocated = Allocation.Measure(() => GC.KeepAlive(new MlpWorkspace(model, 500, training: false))) / 10;
        Assert.InRange(allocated, estimate, estimate + 2048);
        Assert.True(estimate < MlpWorkspace.Bytes(model, 500, training: true));
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.7f)]
    public void WholeNetworkGradientsMatchCentralDifferences(float keepRate)
    {
        // The mean cross-entropy of a batch, with a fixed dropout mask, is a function of the parameters; its central
        // difference (step 2e-3, the loss summed in double) must match the backward pass. Float rounding of the loss
        // (~1e-7 relative) divided by the step gives ~5e-5; the curvature term h²/6·f''' is below 1e-5 here.
        var model = Tiny(3);
        var data = ClassificationSamples.Random(9, 6, 3, 17);
        var dropout = new Dropout(keepRate, 99, 4);
        var workspace = new MlpWorkspace(model, data.Count);
        workspace.AllocateTrainingBuffers();
        workspace.Forward(data.Inputs, dropout, null);
        workspace.LossAndOutputGradient(data.Labels, out _);
        workspace.Backward(data.Inputs, null);

        double Loss()
        {
            var probe = new MlpWorkspace(model, data.Count);
            probe.Forward(data.Inputs, dropout, null);
            return probe.LossAndOutputGradient(data.Labels, out _) / data.Count;
        }

        const float step = 2e-3f;
        int checkedCount = 0;
        for (int l = 0; l < model.Layers.Count; l++)
        {
            foreach (bool bias in new[] { false, true })
            {
                Span<float> parameters = bias ? model.Bias(l) : model.Weights(l);
                float[] analytic = (bias ? workspace.BiasGradient(l) : workspace.WeightGradient(l)).ToArray();
                for (int k = 0; k < analytic.Length; k++)
                {
                    float original = parameters[k];
                    parameters[k] = original + step;
                    double plus = Loss();
                    parameters = bias ? model.Bias(l) : model.Weights(l);
                    parameters[k] = original - step;
                    double minus = Loss();
                    parameters[k] = original;
                    double numeric = (plus - minus) / (2 * step);
                    Assert.True(Math.Abs(numeric - analytic[k]) <= 2e-4 + 1e-2 * Math.Abs(numeric),
                        $"layer {l} {(bias ? "bias" : "weight")} {k}: finite difference {numeric:G6}, backward {analytic[k]:G6}");
                    checkedCount++;
                }
            }
        }
        Assert.Equal(model.ParameterCount, checkedCount);
    }

    [Fact]
    public void BuildersHoldTheEffectiveWeightsOfSeed001()
    {
        // PAPERS.md §A: at compression r every net has about 794,000 / r weights; ThinNet's factored first layer gives
        // 784·1000/r + 1000·10 (its second matrix is not compressed).
        foreach (double ratio in new[] { 1.0, 8, 64, 128 })
        {
            var hashed = Mlp.HashedNet(ratio, 1);
            var small = Mlp.SmallNet(ratio, 1);
            var thin = Mlp.ThinNet(ratio, 1);
            long hashedWeights = hashed.ParameterCount - 1010;
            Assert.Equal(794_000, hashed.VirtualWeightCount);
            Assert.InRange(hashedWeights, 794_000 / ratio, 794_000 / ratio + 2);
            Assert.Equal(ratio == 1 ? 0 : (int)Math.Ceiling(784_000 / ratio), hashed.Layers[0].Buckets);
            Assert.Equal((int)Math.Ceiling(1000 / ratio), small.Layers[0].Outputs);
            int thinWidth = (int)Math.Ceiling(784.0 * 1000 / (1784 * ratio));
            Assert.Equal([thinWidth, 1000, 10], thin.Layers.Select(s => s.Outputs).ToArray());
            Assert.InRange(thin.VirtualWeightCount, 784_000 / ratio + 10_000, 784_000 / ratio + 10_000 + 1784);
        }
        var atRatio64 = Mlp.HashedNet(64, 1);
        // The stored parameters are exactly the buckets plus the biases.
        Assert.Equal(12_250 + 157 + 1000 + 10, atRatio64.ParameterCount);
    }

    [Fact]
    public void CheckpointsRoundTripExactly()
    {
        foreach (var model in new[] { Tiny(5), Mlp.ThinNet(64, 2, hidden: 20, inputs: 12, classes: 3) })
        {
            // Train a little so the parameters are not just the seed's.
            model.Weights(0)[0] += 0.125f;
            string path = Path.Combine(folder.FullName, "model.safetensors");
            model.SaveCheckpoint(path);
            var loaded = Mlp.LoadCheckpoint(path);
            Assert.Equal(model.Layers, loaded.Layers);
            Assert.Equal(model.Seed, loaded.Seed);
            for (int l = 0; l < model.Layers.Count; l++)
            {
                Assert.True(model.Weights(l).SequenceEqual(loaded.Weights(l)));
                Assert.True(model.Bias(l).SequenceEqual(loaded.Bias(l)));
            }
            var data = ClassificationSamples.Random(20, model.Inputs, model.Classes, 3);
            Assert.Equal(model.Loss(data), loaded.Loss(data));
        }
        var other = new global::Kernels.Training.Checkpoints.Checkpoint("something", 1, [], []);
        Assert.Throws<ArgumentException>("checkpoint", () => Mlp.FromCheckpoint(other));
    }

    [Fact]
    public void PredictionsDoNotDependOnThreadsAndErrorRateCountsMistakes()
    {
        var model = Mlp.HashedNet(8, 4, hidden: 64, inputs: 30, classes: 4);
        var data = ClassificationSamples.Random(700, 30, 4, 8);
        var one = new int[700];
        var two = new int[700];
        model.Predict(data.Inputs, one, BlasOptions.SingleThreaded);
        model.Predict(data.Inputs, two, new BlasOptions { MaxThreads = 2, ParallelThreshold = 1 });
        Assert.Equal(one, two);
        int wrong = one.Where((c, i) => c != data.Labels[i]).Count();
        Assert.Equal((double)wrong / 700, model.ErrorRate(data));
    }

    [Fact]
    public void BadInputThrowsNamingTheArgument()
    {
        Assert.Throws<ArgumentOutOfRangeException>("inputs", () => new Mlp(0, [new MlpLayerSpec(2)], 1));
        Assert.Throws<ArgumentException>("layers", () => new Mlp(3, [], 1));
        Assert.Throws<ArgumentOutOfRangeException>("layers", () => new Mlp(3, [new MlpLayerSpec(1)], 1));
        Assert.Throws<ArgumentOutOfRangeException>("layers", () => new Mlp(3, [new MlpLayerSpec(2, 7)], 1));
        Assert.Throws<ArgumentOutOfRangeException>("layers", () => new Mlp(3, [new MlpLayerSpec(2, -1)], 1));
        Assert.Throws<ArgumentOutOfRangeException>("ratio", () => Mlp.HashedNet(0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>("ratio", () => Mlp.ThinNet(double.NaN, 1));
        var model = Tiny(1);
        Assert.Throws<ArgumentException>("set", () => model.ErrorRate(ClassificationSamples.Random(4, 5, 3, 1)));
        Assert.Throws<ArgumentException>("set", () => model.Loss(ClassificationSamples.Random(4, 6, 4, 1)));
        Assert.Throws<ArgumentException>("inputs", () => model.Predict(new ReadOnlyMatrixView<float>(new float[12], 3, 4), new int[3]));
        Assert.Throws<ArgumentException>("classes", () => model.Predict(new ReadOnlyMatrixView<float>(new float[12], 2, 6), new int[3]));
        var nan = new float[12];
        nan[7] = float.NaN;
        Assert.Throws<ArgumentException>("inputs", () => model.Predict(new ReadOnlyMatrixView<float>(nan, 2, 6), new int[2]));
        Assert.Throws<ArgumentOutOfRangeException>("layer", () => model.Weights(3));
        Assert.Throws<ArgumentException>("destination", () => model.CopyWeightMatrix(0, new MatrixView<float>(new float[30], 6, 5)));
    }

    [Fact]
    public void TheVirtualWeightMatrixOfAHashedLayerMapsLikeItsForwardPass()
    {
        var model = Tiny(8);
        var w = new float[5 * 6];
        model.CopyWeightMatrix(0, new MatrixView<float>(w, 5, 6));
        var data = ClassificationSamples.Random(1, 6, 3, 2);
        var layer = model.LayerAt(0);
        var output = new float[5];
        layer.Forward(data.Inputs, new MatrixView<float>(output, 1, 5), null);
        for (int i = 0; i < 5; i++)
        {
            double expected = model.Bias(0)[i];
            for (int j = 0; j < 6; j++)
            {
                expected += w[i * 6 + j] * data.Inputs.Row(0)[j];
            }
            Assert.Equal(expected, output[i], 5);
        }
    }
}
