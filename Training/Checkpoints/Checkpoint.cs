using System.Diagnostics.CodeAnalysis;

namespace Kernels.Training.Checkpoints;

/// <summary>
/// A model's saved state, independent of the model: its kind, the seed it was drawn from, its hyperparameters and
/// its named tensors. <see cref="CheckpointFile"/> writes and reads it in the safetensors layout.
/// </summary>
/// <remarks>
/// Each model of the library turns itself into a checkpoint and back; this type only checks what every checkpoint
/// needs (non-empty, unique names). Hyperparameter values are strings: the model chooses how to format and parse
/// them (invariant culture, and <c>"R"</c> or bit patterns for floating-point values that must round-trip).
/// </remarks>
public sealed class Checkpoint
{
    /// <summary>The version of the file format this library writes and reads.</summary>
    public const int FormatVersion = 1;

    private readonly Dictionary<string, string> hyperparameterLookup;
    private readonly Dictionary<string, CheckpointTensor> tensorLookup;

    /// <summary>Collects and checks a model's state.</summary>
    /// <param name="modelKind">The model type, e.g. <c>"TwoLayerShiftedRelu"</c>; not empty. Loading can require it.</param>
    /// <param name="seed">The seed the model was drawn from.</param>
    /// <param name="hyperparameters">Name–value pairs, kept in this order; names unique and not empty, values any string (empty allowed).</param>
    /// <param name="tensors">The tensors, names unique; kept sorted by name (ordinal), the order in which they are stored.</param>
    /// <exception cref="ArgumentNullException">A null argument, tensor, name or value.</exception>
    /// <exception cref="ArgumentException">An empty model kind or name, a duplicate name, or a string with a lone surrogate.</exception>
    public Checkpoint(string modelKind, ulong seed, IEnumerable<KeyValuePair<string, string>> hyperparameters, IEnumerable<CheckpointTensor> tensors)
    {
        CheckpointText.Require(modelKind, nameof(modelKind), "model kind");
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(tensors);

        KeyValuePair<string, string>[] pairs = [.. hyperparameters];
        hyperparameterLookup = new Dictionary<string, string>(pairs.Length, StringComparer.Ordinal);
        foreach ((string name, string value) in pairs)
        {
            CheckpointText.Require(name, nameof(hyperparameters), "hyperparameter name");
            CheckpointText.Require(value, nameof(hyperparameters), $"value of hyperparameter \"{name}\"", allowEmpty: true);
            if (!hyperparameterLookup.TryAdd(name, value))
            {
                throw new ArgumentException($"The hyperparameter \"{name}\" appears twice.", nameof(hyperparameters));
            }
        }

        CheckpointTensor[] sorted = [.. tensors];
        tensorLookup = new Dictionary<string, CheckpointTensor>(sorted.Length, StringComparer.Ordinal);
        foreach (CheckpointTensor tensor in sorted)
        {
            if (tensor is null)
            {
                throw new ArgumentNullException(nameof(tensors), "A tensor is null.");
            }
            if (!tensorLookup.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"The tensor name \"{tensor.Name}\" appears twice.", nameof(tensors));
            }
        }
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Name, b.Name));

        ModelKind = modelKind;
        Seed = seed;
        Hyperparameters = pairs;
        Tensors = sorted;
    }

    /// <summary>The model type that wrote this checkpoint.</summary>
    public string ModelKind { get; }

    /// <summary>The seed the model was drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>The hyperparameters, in the order given (and stored).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Hyperparameters { get; }

    /// <summary>The tensors, sorted by name (ordinal).</summary>
    public IReadOnlyList<CheckpointTensor> Tensors { get; }

    /// <summary>The value of hyperparameter <paramref name="name"/>, if present.</summary>
    public bool TryGetHyperparameter(string name, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        return hyperparameterLookup.TryGetValue(name, out value);
    }

    /// <summary>The tensor called <paramref name="name"/>, if present.</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out CheckpointTensor? tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return tensorLookup.TryGetValue(name, out tensor);
    }
}
