using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Training.Data;

namespace Kernels.Training.Models;

/// <summary>
/// A multilayer perceptron classifier: fully connected layers — dense (<see cref="Kernels.Layers.Linear{T}"/>) or
/// HashedNets (<see cref="Kernels.Sketching.Layers.HashedLinear{T}"/>) — with ReLU between them and a softmax over the
/// last layer's outputs (the class scores). The nets of seed 001 are built by <see cref="HashedNet"/>,
/// <see cref="SmallNet"/> and <see cref="ThinNet"/>; <see cref="Trainers.Sgd.SgdTrainer"/> trains it.
/// </summary>
/// <remarks>
/// <para><b>Initialization</b> (as PyTorch's <c>nn.Linear</c>): every layer's weights and bias uniform in ±1/√inputs, layer
/// l from seed <c>Derive(Derive(seed, Purpose("mlp")), l)</c> (which the layer derives again with its own purpose). A
/// hashed layer's ±1/√inputs on the buckets gives its virtual matrix the scale of a dense layer's.</para>
/// <para><b>Hashing.</b> Hashed layer l uses the signed multiply-shift function of (Derive(seed, Purpose("mlphash")), l),
/// so a model is rebuilt from its layer specifications and seed alone (as its checkpoint does).</para>
/// <para>Inference (<see cref="Predict"/>, <see cref="ErrorRate"/>, <see cref="Loss"/>) runs without dropout; results are
/// the same bits for any thread count.</para>
/// </remarks>
public sealed partial class Mlp
{
    /// <summary>The purpose the layers' initialization seeds are derived with.</summary>
    internal static readonly ulong InitializationPurpose = CounterRandom.Purpose("mlp");

    /// <summary>The purpose the hashed layers' hash functions are derived with.</summary>
    internal static readonly ulong HashPurpose = CounterRandom.Purpose("mlphash");

    /// <summary>Rows per block of <see cref="Predict"/> and <see cref="ErrorRate"/>.</summary>
    internal const int InferenceBlock = 500;

    private readonly MlpLayer[] _layers;
    private readonly MlpLayerSpec[] _specs;

    /// <summary>A network of <paramref name="inputs"/> inputs and the given layers, initialized from <paramref name="seed"/>.</summary>
    /// <param name="inputs">The input width, at least 1.</param>
    /// <param name="layers">The layers, first to last; at least one, the last with at least 2 outputs (the classes).</param>
    /// <param name="seed">The seed of the initial weights and of the hash functions.</param>
    /// <exception cref="ArgumentNullException"><paramref name="layers"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="layers"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A width or bucket count is out of range (the message names the layer).</exception>
    public Mlp(int inputs, IReadOnlyList<MlpLayerSpec> layers, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        if (layers.Count == 0)
        {
            throw new ArgumentException("An MLP needs at least one layer.", nameof(layers));
        }
        int width = inputs;
        for (int l = 0; l < layers.Count; l++)
        {
            var spec = layers[l];
            int minimum = l == layers.Count - 1 ? 2 : 1;
            if (spec.Outputs < minimum)
            {
                throw new ArgumentOutOfRangeException(nameof(layers), $"layers[{l}].Outputs is {spec.Outputs}; it must be at least {minimum}{(minimum == 2 ? " (the classes)" : "")}.");
            }
            long entries = (long)width * spec.Outputs;
            if (spec.Buckets < 0 || spec.Buckets > entries || entries > Array.MaxLength)
            {
                throw new ArgumentOutOfRangeException(nameof(layers),
                    $"layers[{l}] is {width}→{spec.Outputs} with {spec.Buckets} buckets; buckets must be 0 (dense) or in [1, {entries}], and inputs·outputs at most {Array.MaxLength}.");
            }
            width = spec.Outputs;
        }
        Inputs = inputs;
        Seed = seed;
        _specs = [.. layers];
        _layers = new MlpLayer[_specs.Length];
        ulong initialization = CounterRandom.Derive(seed, InitializationPurpose);
        ulong hashing = CounterRandom.Derive(seed, HashPurpose);
        width = inputs;
        for (int l = 0; l < _specs.Length; l++)
        {
            _layers[l] = new MlpLayer(width, _specs[l], hashing, (ulong)l);
            _layers[l].InitializeUniform(1f / MathF.Sqrt(width), CounterRandom.Derive(initialization, (ulong)l));
            width = _specs[l].Outputs;
        }
    }

    /// <summary>The input width.</summary>
    public int Inputs { get; }

    /// <summary>The number of classes: the last layer's output width.</summary>
    public int Classes => _specs[^1].Outputs;

    /// <summary>The seed the model was built from.</summary>
    public ulong Seed { get; }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<MlpLayerSpec> Layers => _specs;

    /// <summary>The parameters the model stores and trains: every layer's real weights (inputs·outputs dense, the buckets hashed) and biases.</summary>
    public long ParameterCount => _layers.Sum(layer => (long)layer.Weights.Length + layer.Bias.Length);

    /// <summary>The effective (virtual) weights Σ inputs·outputs over the layers, biases excluded: what seed 001 holds equal across its nets at one compression ratio.</summary>
    public long VirtualWeightCount => _layers.Sum(layer => (long)layer.Inputs * layer.Outputs);

    /// <summary>The input width of layer <paramref name="layer"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is out of range.</exception>
    public int LayerInputs(int layer) => At(layer).Inputs;

    /// <summary>Layer <paramref name="layer"/>'s real weights, to read or change in place: W (outputs × inputs, row-major) for a dense layer, the buckets for a hashed one.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is out of range.</exception>
    public Span<float> Weights(int layer) => At(layer).Weights;

    /// <summary>Layer <paramref name="layer"/>'s bias (its outputs), to read or change in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is out of range.</exception>
    public Span<float> Bias(int layer) => At(layer).Bias;

    /// <summary>Writes layer <paramref name="layer"/>'s weight matrix (outputs × inputs; for a hashed layer the virtual matrix V) to <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not outputs × inputs.</exception>
    public void CopyWeightMatrix(int layer, MatrixView<float> destination)
    {
        var at = At(layer);
        Guard.RequireShape<float>(destination, at.Outputs, at.Inputs, nameof(destination), "the layer's outputs × inputs");
        at.CopyWeightMatrix(destination);
    }

    /// <summary>The most likely class of each row of <paramref name="inputs"/> (the arg max of the last layer's outputs; ties to the smaller class).</summary>
    /// <param name="inputs">n × <see cref="Inputs"/>, finite.</param>
    /// <param name="classes">Receives n classes.</param>
    /// <param name="options">Threads for the Gemms; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape does not match, or an input is not finite.</exception>
    public void Predict(ReadOnlyMatrixView<float> inputs, Span<int> classes, BlasOptions? options = null)
    {
        Guard.RequireColumns<float>(inputs, Inputs, nameof(inputs), "n × the model's inputs");
        Guard.RequireLength(classes.Length, inputs.Rows, nameof(classes), "one class per row of inputs");
        RequireFinite(inputs);
        (options ?? BlasOptions.Default).Validate();
        var workspace = new MlpWorkspace(this, Math.Min(InferenceBlock, Math.Max(1, inputs.Rows)), training: false);
        for (int start = 0; start < inputs.Rows; start += workspace.MaxBatch)
        {
            int rows = Math.Min(workspace.MaxBatch, inputs.Rows - start);
            workspace.Forward(Block(inputs, start, rows), dropout: default, options);
            workspace.ArgMax(rows, classes.Slice(start, rows));
        }
    }

    /// <summary>The fraction of <paramref name="set"/> that <see cref="Predict"/> gets wrong.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    /// <exception cref="ArgumentException">The set's dimension or class count differs from the model's.</exception>
    public double ErrorRate(ClassificationSet set, BlasOptions? options = null)
    {
        RequireCompatible(set);
        var predicted = new int[set.Count];
        Predict(set.Inputs, predicted, options);
        int wrong = 0;
        for (int i = 0; i < predicted.Length; i++)
        {
            wrong += predicted[i] != set.Labels[i] ? 1 : 0;
        }
        return (double)wrong / set.Count;
    }

    /// <summary>The mean softmax cross-entropy −log p(y_i | x_i) over <paramref name="set"/>, without dropout.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    /// <exception cref="ArgumentException">The set's dimension or class count differs from the model's.</exception>
    public double Loss(ClassificationSet set, BlasOptions? options = null)
    {
        RequireCompatible(set);
        (options ?? BlasOptions.Default).Validate();
        var workspace = new MlpWorkspace(this, Math.Min(InferenceBlock, set.Count), training: false);
        double total = 0;
        for (int start = 0; start < set.Count; start += workspace.MaxBatch)
        {
            int rows = Math.Min(workspace.MaxBatch, set.Count - start);
            workspace.Forward(Block(set.Inputs, start, rows), dropout: default, options);
            total += workspace.LossAndOutputGradient(set.Labels.Slice(start, rows), out _);
        }
        return total / set.Count;
    }

    /// <summary>Throws unless <paramref name="set"/> has the model's input width and class count.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> is null.</exception>
    /// <exception cref="ArgumentException">The set's dimension or class count differs from the model's.</exception>
    internal void RequireCompatible(ClassificationSet set, string name = "set")
    {
        ArgumentNullException.ThrowIfNull(set, name);
        if (set.Dimension != Inputs || set.ClassCount != Classes)
        {
            throw new ArgumentException($"{name} has {set.Dimension} inputs and {set.ClassCount} classes; the model takes {Inputs} inputs and {Classes} classes.", name);
        }
    }

    internal MlpLayer LayerAt(int layer) => _layers[layer];

    internal static ReadOnlyMatrixView<float> Block(ReadOnlyMatrixView<float> matrix, int start, int rows) =>
        new(matrix.Data.Slice(start * matrix.Stride, (rows - 1) * matrix.Stride + matrix.Columns), rows, matrix.Columns, matrix.Stride);

    private MlpLayer At(int layer)
    {
        Guard.RequireIndex(layer, _layers.Length, nameof(layer), "layer");
        return _layers[layer];
    }

    private static void RequireFinite(ReadOnlyMatrixView<float> inputs)
    {
        for (int i = 0; i < inputs.Rows; i++)
        {
            var row = inputs.Row(i);
            int bad = row.IndexOfAnyExceptInRange(float.MinValue, float.MaxValue);
            if (bad >= 0)
            {
                throw new ArgumentException($"inputs[{i}, {bad}] is {row[bad]}; every input must be finite.", nameof(inputs));
            }
        }
    }
}
