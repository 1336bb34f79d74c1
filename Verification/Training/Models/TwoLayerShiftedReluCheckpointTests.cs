using Kernels.Training.Checkpoints;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Verification.Training.Models;

public sealed class TwoLayerShiftedReluCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kernels-model-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveLoadPredictGivesIdenticalBits()
    {
        var data = SyntheticRegression.Sphere(6, 12, 4);
        var model = new TwoLayerShiftedRelu(5000, 12, 4, shift: 1.2345678f);
        new GaussNewtonSublinear(new GaussNewtonOptions { MaxIterations = 2 }).Train(model, data);
        string path = Path.Combine(_folder, "model.safetensors");
        model.SaveCheckpoint(path);
        var loaded = TwoLayerShiftedRelu.LoadCheckpoint(path);
        Assert.Equal(model.Width, loaded.Width);
        Assert.Equal(model.Dimension, loaded.Dimension);
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.Equal(BitConverter.SingleToInt32Bits(model.Shift), BitConverter.SingleToInt32Bits(loaded.Shift));
        Assert.True(model.Weights.Data.SequenceEqual(loaded.Weights.Data));
        Assert.True(model.Signs.SequenceEqual(loaded.Signs));
        var before = new float[data.Count];
        var after = new float[data.Count];
        model.Predict(data.Inputs, before);
        loaded.Predict(data.Inputs, after);
        Assert.True(before.AsSpan().SequenceEqual(after));
    }

    [Fact]
    public void AWellFormedFileWithWrongContentsIsRejectedNamingTheFile()
    {
        string path = Path.Combine(_folder, "bad.safetensors");
        var model = new TwoLayerShiftedRelu(4, 2, 1);
        var valid = model.ToCheckpoint();
        var badSigns = new Checkpoint(TwoLayerShiftedRelu.CheckpointKind, 1, valid.Hyperparameters,
            [CheckpointTensor.Create<float>("signs", [4], new float[] { 1, -1, 0.5f, 1 }), valid.Tensors.Single(t => t.Name == "weights")]);
        CheckpointFile.Save(path, badSigns);
        var error = Assert.Throws<InvalidDataException>(() => TwoLayerShiftedRelu.LoadCheckpoint(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("signs", error.Message);

        var wrongShape = new Checkpoint(TwoLayerShiftedRelu.CheckpointKind, 1, [new("m", "4"), new("d", "3"), new("b", "0.5")], valid.Tensors);
        CheckpointFile.Save(path, wrongShape);
        Assert.Contains("weights", Assert.Throws<InvalidDataException>(() => TwoLayerShiftedRelu.LoadCheckpoint(path)).Message);

        var otherKind = new Checkpoint("elman-rnn", 1, valid.Hyperparameters, valid.Tensors);
        CheckpointFile.Save(path, otherKind);
        Assert.Throws<InvalidDataException>(() => TwoLayerShiftedRelu.LoadCheckpoint(path));
    }

    [Fact]
    public void EveryTruncationOfAModelFileIsRejected()
    {
        string path = Path.Combine(_folder, "model.safetensors");
        new TwoLayerShiftedRelu(8, 3, 9).SaveCheckpoint(path);
        var bytes = File.ReadAllBytes(path);
        string cut = Path.Combine(_folder, "cut.safetensors");
        for (int length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(cut, bytes.AsSpan(0, length).ToArray());
            Assert.Throws<InvalidDataException>(() => TwoLayerShiftedRelu.LoadCheckpoint(cut));
        }
    }
}
