using System.Globalization;
using Kernels.Blas;
using Kernels.Training.Checkpoints;

namespace Kernels.Training.Models;

public sealed partial class TwoLayerShiftedRelu
{
    /// <summary>The model kind its checkpoints carry.</summary>
    public const string CheckpointKind = "two-layer-shifted-relu";

    /// <summary>
    /// Saves the model atomically to <paramref name="path"/> in the library's checkpoint format (the safetensors layout;
    /// see <see cref="CheckpointFile"/>): tensors <c>signs</c> [m] and <c>weights</c> [m, d] in float32, hyperparameters
    /// m, d and b (b in round-trip form), and the seed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file at <paramref name="path"/> is left as it was.</exception>
    public void SaveCheckpoint(string path) => CheckpointFile.Save(path, ToCheckpoint());

    /// <summary>The model as a <see cref="Checkpoint"/> (its tensors share the model's arrays; do not train while saving).</summary>
    public Checkpoint ToCheckpoint() => new(CheckpointKind, Seed,
        [
            new("m", Width.ToString(CultureInfo.InvariantCulture)),
            new("d", Dimension.ToString(CultureInfo.InvariantCulture)),
            new("b", Shift.ToString("R", CultureInfo.InvariantCulture)),
        ],
        [
            CheckpointTensor.Create<float>("signs", [Width], _signs),
            CheckpointTensor.Create<float>("weights", [Width, Dimension], _weights),
        ]);

    /// <summary>
    /// Loads a model saved by <see cref="SaveCheckpoint"/>: the file is verified as a whole (see
    /// <see cref="CheckpointFile.Load(string, string?)"/>), then its hyperparameters and tensors against each other.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint of this model kind, or its contents
    /// disagree (shapes against m and d, signs not ±1, non-finite weights); the message names the file and the fault.</exception>
    public static TwoLayerShiftedRelu LoadCheckpoint(string path)
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
    /// <exception cref="ArgumentException">The kind, hyperparameters or tensors are missing or inconsistent.</exception>
    public static TwoLayerShiftedRelu FromCheckpoint(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.ModelKind != CheckpointKind)
        {
            throw new ArgumentException($"The checkpoint holds a \"{checkpoint.ModelKind}\", not a \"{CheckpointKind}\".", nameof(checkpoint));
        }
        int m = Integer(checkpoint, "m");
        int d = Integer(checkpoint, "d");
        if (!checkpoint.TryGetHyperparameter("b", out string? shiftText) ||
            !float.TryParse(shiftText, NumberStyles.Float, CultureInfo.InvariantCulture, out float shift))
        {
            throw new ArgumentException("The hyperparameter b is missing or not a number.", nameof(checkpoint));
        }
        var signs = Tensor(checkpoint, "signs", [m]);
        var weights = Tensor(checkpoint, "weights", [m, d]);
        return FromWeights(new ReadOnlyMatrixView<float>(weights.Span, m, d), signs.Span, shift, checkpoint.Seed);
    }

    private static int Integer(Checkpoint checkpoint, string name)
    {
        if (!checkpoint.TryGetHyperparameter(name, out string? text) ||
            !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new ArgumentException($"The hyperparameter {name} is missing or not a non-negative integer.", nameof(checkpoint));
        }
        return value;
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
