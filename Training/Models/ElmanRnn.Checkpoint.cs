using System.Globalization;
using Kernels.Training.Checkpoints;

namespace Kernels.Training.Models;

public sealed partial class ElmanRnn<T>
{
    /// <summary>The model kind its checkpoints carry.</summary>
    public const string CheckpointKind = "elman-rnn";

    /// <summary>
    /// Saves the model atomically to <paramref name="path"/> in the library's checkpoint format (the safetensors layout;
    /// see <see cref="CheckpointFile"/>): tensors <c>W</c> [m, m], <c>A</c> [m, d_x] and <c>B</c> [d, m] in F32 for float
    /// and F64 for double (PyTorch's <c>weight_hh_l0</c>, <c>weight_ih_l0</c> and the output layer's weight),
    /// hyperparameters m, d_x and d, and the seed.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">The file cannot be written; an existing file at <paramref name="path"/> is left as it was.</exception>
    public void SaveCheckpoint(string path) => CheckpointFile.Save(path, ToCheckpoint());

    /// <summary>The model as a <see cref="Checkpoint"/> (its tensors share the model's arrays; do not train while saving).</summary>
    public Checkpoint ToCheckpoint() => new(CheckpointKind, Seed,
        [
            new("m", Hidden.ToString(CultureInfo.InvariantCulture)),
            new("dx", InputDimension.ToString(CultureInfo.InvariantCulture)),
            new("d", OutputDimension.ToString(CultureInfo.InvariantCulture)),
        ],
        [
            CheckpointTensor.Create<T>("W", [Hidden, Hidden], _recurrent.AsMemory()),
            CheckpointTensor.Create<T>("A", [Hidden, InputDimension], _input.AsMemory()),
            CheckpointTensor.Create<T>("B", [OutputDimension, Hidden], _output.AsMemory()),
        ]);

    /// <summary>
    /// Loads a model saved by <see cref="SaveCheckpoint"/>: the file is verified as a whole (see
    /// <see cref="CheckpointFile.Load(string, string?)"/>), then its hyperparameters and tensors against each other.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint of this model kind, or its contents
    /// disagree (shapes against m, d_x and d, another element type than <typeparamref name="T"/>, non-finite weights);
    /// the message names the file and the fault.</exception>
    public static ElmanRnn<T> LoadCheckpoint(string path)
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

    /// <summary>A model from a checkpoint of kind <see cref="CheckpointKind"/> whose tensors hold <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">The kind, hyperparameters or tensors are missing or inconsistent.</exception>
    public static ElmanRnn<T> FromCheckpoint(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.ModelKind != CheckpointKind)
        {
            throw new ArgumentException($"The checkpoint holds a \"{checkpoint.ModelKind}\", not a \"{CheckpointKind}\".", nameof(checkpoint));
        }
        int m = Integer(checkpoint, "m"), dx = Integer(checkpoint, "dx"), d = Integer(checkpoint, "d");
        var w = Tensor(checkpoint, "W", m, m);
        var a = Tensor(checkpoint, "A", m, dx);
        var b = Tensor(checkpoint, "B", d, m);
        return FromWeights(new ReadOnlyMatrixView<T>(w.Span, m, m), new ReadOnlyMatrixView<T>(a.Span, m, dx), new ReadOnlyMatrixView<T>(b.Span, d, m), checkpoint.Seed);
    }

    private static int Integer(Checkpoint checkpoint, string name)
    {
        if (!checkpoint.TryGetHyperparameter(name, out string? text) ||
            !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            throw new ArgumentException($"The hyperparameter {name} is missing or not a positive integer.", nameof(checkpoint));
        }
        return value;
    }

    private static ReadOnlyMemory<T> Tensor(Checkpoint checkpoint, string name, int rows, int columns)
    {
        var dtype = typeof(T) == typeof(float) ? CheckpointDType.F32 : CheckpointDType.F64;
        if (!checkpoint.TryGetTensor(name, out var tensor) || tensor.DType != dtype || !tensor.Shape.SequenceEqual([rows, columns]))
        {
            throw new ArgumentException($"The tensor {name} must be {dtype} of shape [{rows}, {columns}].", nameof(checkpoint));
        }
        return tensor.GetData<T>();
    }
}
