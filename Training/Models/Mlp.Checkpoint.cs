using System.Globalization;
using Kernels.Training.Checkpoints;

namespace Kernels.Training.Models;

public sealed partial class Mlp
{
    /// <summary>The model kind its checkpoints carry.</summary>
    public const string CheckpointKind = "mlp";

    /// <summary>
    /// Saves the model atomically to <paramref name="path"/> in the library's checkpoint format (see
    /// <see cref="CheckpointFile"/>): hyperparameters <c>inputs</c>, <c>outputs</c> and <c>buckets</c> (comma-separated per
    /// layer, 0 for dense), the seed (which rebuilds the hash functions), and float32 tensors <c>layer{l}.weight</c>
    /// ([outputs, inputs] dense, [buckets] hashed) and <c>layer{l}.bias</c> ([outputs]).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file is left as it was.</exception>
    public void SaveCheckpoint(string path) => CheckpointFile.Save(path, ToCheckpoint());

    /// <summary>The model as a <see cref="Checkpoint"/> (its tensors are copies of the parameters).</summary>
    public Checkpoint ToCheckpoint()
    {
        var tensors = new List<CheckpointTensor>();
        for (int l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            long[] shape = layer.Spec.IsHashed ? [layer.Spec.Buckets] : [layer.Outputs, layer.Inputs];
            tensors.Add(CheckpointTensor.Create<float>($"layer{l}.weight", shape, layer.Weights.ToArray()));
            tensors.Add(CheckpointTensor.Create<float>($"layer{l}.bias", [layer.Outputs], layer.Bias.ToArray()));
        }
        return new Checkpoint(CheckpointKind, Seed,
            [
                new("inputs", Inputs.ToString(CultureInfo.InvariantCulture)),
                new("outputs", string.Join(',', _specs.Select(s => s.Outputs.ToString(CultureInfo.InvariantCulture)))),
                new("buckets", string.Join(',', _specs.Select(s => s.Buckets.ToString(CultureInfo.InvariantCulture)))),
            ],
            tensors);
    }

    /// <summary>Loads a model saved by <see cref="SaveCheckpoint"/>; its predictions equal the saved model's to the bit.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint of an MLP, or its contents disagree; the message names the file and the fault.</exception>
    public static Mlp LoadCheckpoint(string path)
    {
        var checkpoint = CheckpointFile.Load(path, CheckpointKind);
        try
        {
            return FromCheckpoint(checkpoint);
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"Checkpoint \"{path}\": {error.Message}", error);
        }
    }

    /// <summary>A model from a checkpoint of kind <see cref="CheckpointKind"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    /// <exception cref="ArgumentException">The kind, hyperparameters or tensors are missing or inconsistent.</exception>
    public static Mlp FromCheckpoint(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.ModelKind != CheckpointKind)
        {
            throw new ArgumentException($"The checkpoint holds a \"{checkpoint.ModelKind}\", not a \"{CheckpointKind}\".", nameof(checkpoint));
        }
        int inputs = Integers(checkpoint, "inputs")[0];
        int[] outputs = Integers(checkpoint, "outputs");
        int[] buckets = Integers(checkpoint, "buckets");
        if (outputs.Length != buckets.Length)
        {
            throw new ArgumentException($"The hyperparameters name {outputs.Length} layer widths but {buckets.Length} bucket counts.", nameof(checkpoint));
        }
        var model = new Mlp(inputs, outputs.Zip(buckets, (o, b) => new MlpLayerSpec(o, b)).ToArray(), checkpoint.Seed);
        for (int l = 0; l < model._layers.Length; l++)
        {
            var layer = model._layers[l];
            long[] shape = layer.Spec.IsHashed ? [layer.Spec.Buckets] : [layer.Outputs, layer.Inputs];
            Tensor(checkpoint, $"layer{l}.weight", shape).Span.CopyTo(layer.Weights);
            Tensor(checkpoint, $"layer{l}.bias", [layer.Outputs]).Span.CopyTo(layer.Bias);
        }
        return model;
    }

    private static int[] Integers(Checkpoint checkpoint, string name)
    {
        if (!checkpoint.TryGetHyperparameter(name, out string? text))
        {
            throw new ArgumentException($"The hyperparameter {name} is missing.", nameof(checkpoint));
        }
        var parts = text.Split(',');
        var values = new int[parts.Length];
        for (int k = 0; k < parts.Length; k++)
        {
            if (!int.TryParse(parts[k], NumberStyles.None, CultureInfo.InvariantCulture, out values[k]))
            {
                throw new ArgumentException($"The hyperparameter {name} = \"{text}\" is not a list of non-negative integers.", nameof(checkpoint));
            }
        }
        return values;
    }

    private static ReadOnlyMemory<float> Tensor(Checkpoint checkpoint, string name, long[] shape)
    {
        if (!checkpoint.TryGetTensor(name, out var tensor) || tensor.DType != CheckpointDType.F32 || !tensor.Shape.SequenceEqual(shape))
        {
            throw new ArgumentException($"The tensor {name} must be float32 of shape [{string.Join(", ", shape)}].", nameof(checkpoint));
        }
        return tensor.GetData<float>();
    }
}
