using Kernels.Activations;
using Kernels.Blas;
using Kernels.Randomness;

namespace Kernels.Training.Models;

/// <summary>
/// The 2-layer shifted-ReLU net of seed 002: f(W, x) = (1/√m)·Σ_r a_r·φ_b(⟨w_r, x⟩) with φ_b(u) = max(u − b, 0),
/// signs a ∈ {±1}^m fixed at initialization and only W (m × d) trained.
/// </summary>
/// <remarks>
/// <para><b>Initialization.</b> From one seed: w_r ~ N(0, I_d) and a_r = ±1 with probability ½ each, drawn from
/// <see cref="CounterRandom"/> streams derived from the seed (<see cref="ModelStreams"/>), so the same seed gives the
/// same model on every machine and thread count.</para>
/// <para><b>Active sets.</b> Neuron r is active for x when ⟨w_r, x⟩ ≥ b (the boundary counts as active, as in the
/// paper's Q_i). Inactive neurons contribute nothing, so f can be evaluated from the active neurons alone.</para>
/// <para><b>Memory.</b> W takes m·d·4 bytes (<see cref="WeightBytes"/>); construction fails early, naming that size,
/// when it cannot be held.</para>
/// </remarks>
public sealed partial class TwoLayerShiftedRelu
{
    private readonly float[] _weights;
    private readonly float[] _signs;

    /// <summary>Draws a model of width <paramref name="width"/> and input dimension <paramref name="dimension"/> from <paramref name="seed"/>.</summary>
    /// <param name="width">Number of hidden neurons m ≥ 2.</param>
    /// <param name="dimension">Input dimension d ≥ 1.</param>
    /// <param name="seed">Decides W and a.</param>
    /// <param name="shift">The threshold b ≥ 0; <see cref="DefaultShift"/>(m) = √(0.48·ln m) when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">m &lt; 2, d &lt; 1, b is negative or not finite, or W
    /// (m·d floats) would not fit in one array or in the memory available (the message gives the size in bytes).</exception>
    public TwoLayerShiftedRelu(int width, int dimension, ulong seed, float? shift = null)
        : this(width, dimension, seed, shift ?? DefaultShift(Math.Max(width, 2)), signs: null, weights: null)
    {
    }

    private TwoLayerShiftedRelu(int width, int dimension, ulong seed, float shift, float[]? signs, float[]? weights)
    {
        RequireShape(width, dimension, nameof(width), nameof(dimension));
        Guard.RequireFinite(shift, nameof(shift));
        if (shift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, "The shift b must be ≥ 0.");
        }
        Width = width;
        Dimension = dimension;
        Seed = seed;
        Shift = shift;
        if (signs is null || weights is null)
        {
            _signs = new float[width];
            DrawSigns(ModelStreams.Signs(seed), _signs);
            _weights = LargeArrays.Allocate<float>((long)width * dimension);
            ModelStreams.Weights(seed).FillNormal(_weights.AsSpan(), 0f, 1f);
        }
        else
        {
            _signs = signs;
            _weights = weights;
        }
    }

    /// <summary>The default threshold of seed 002 (Corollary A.11): b = √(0.48·ln m), so each active set holds about m·Pr[N(0,1) ≥ b] ≈ m^0.76 neurons.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> &lt; 1.</exception>
    public static float DefaultShift(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        return (float)Math.Sqrt(0.48 * Math.Log(width));
    }

    /// <summary>Bytes that W of an m × d model takes: m·d·4.</summary>
    public static long WeightBytes(int width, int dimension) => (long)width * dimension * sizeof(float);

    /// <summary>Number of hidden neurons m.</summary>
    public int Width { get; }

    /// <summary>Input dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The threshold b of φ_b(u) = max(u − b, 0).</summary>
    public float Shift { get; }

    /// <summary>The seed W and a were drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>The output signs a_r ∈ {−1, +1} (length m).</summary>
    public ReadOnlySpan<float> Signs => _signs;

    /// <summary>The weights W (m × d); row r is neuron w_r.</summary>
    public ReadOnlyMatrixView<float> Weights => new(_weights, Width, Dimension);

    /// <summary>The weights for trainers to update in place.</summary>
    internal MatrixView<float> MutableWeights => new(_weights, Width, Dimension);

    /// <summary>The storage of W (m·d floats, row-major) for a trainer part that keeps a reference to it: the forest
    /// of <see cref="Trainers.GaussNewton.GaussNewtonSublinear"/> borrows it, so W exists once.</summary>
    internal Memory<float> WeightStorage => _weights;

    /// <summary>1/√m, the output scale.</summary>
    public double OutputScale => 1 / Math.Sqrt(Width);

    /// <summary>
    /// Computes f(W, x_i) for every row x_i of <paramref name="inputs"/> (n × d) into <paramref name="predictions"/>
    /// (length n): the active sets by all m·n inner products (ThresholdProducts, reading W once, as dense Gauss-Newton
    /// finds them), then <see cref="Output"/> of each. It allocates the active sets.
    /// </summary>
    /// <exception cref="ArgumentException">The inputs do not have d columns, or <paramref name="predictions"/> is not of length n.</exception>
    public void Predict(ReadOnlyMatrixView<float> inputs, Span<float> predictions, BlasOptions? options = null)
    {
        Guard.RequireColumns(inputs, Dimension, nameof(inputs), "the model's input dimension d");
        Guard.RequireLength(predictions.Length, inputs.Rows, nameof(predictions), "one per row of inputs");
        if (inputs.Rows == 0)
        {
            return;
        }
        var sets = ActiveSetsOf(inputs, options);
        for (int i = 0; i < inputs.Rows; i++)
        {
            predictions[i] = (float)Output(sets.Indices(i), sets.Values(i));
        }
    }

    /// <summary>Every Q_i = { r : ⟨w_r, x_i⟩ ≥ b } of <paramref name="inputs"/> with its inner products, found densely.</summary>
    internal ActiveSets ActiveSetsOf(ReadOnlyMatrixView<float> inputs, BlasOptions? options)
    {
        var sets = new ActiveSets(inputs.Rows);
        DenseActiveSets.Refresh(Weights, inputs, Shift, sets, options);
        return sets;
    }

    /// <summary>
    /// f(x) from the active set of x: (1/√m)·Σ_k a_{r_k}·(v_k − b) over the active neurons r_k and their inner products
    /// v_k = ⟨w_{r_k}, x⟩, summed in double in the order given. Inactive neurons contribute nothing.
    /// </summary>
    internal double Output(ReadOnlySpan<int> neurons, ReadOnlySpan<float> values)
    {
        double sum = 0;
        for (int k = 0; k < neurons.Length; k++)
        {
            sum += _signs[neurons[k]] * ((double)values[k] - Shift);
        }
        return sum * OutputScale;
    }

    /// <summary>
    /// A model with the given weights W (m × d) and signs a (length m), copied: to continue from a checkpoint, or to
    /// evaluate a perturbed model. <paramref name="seed"/> is recorded, not used to draw anything.
    /// </summary>
    /// <exception cref="ArgumentException">The signs are not of length m or not all ±1, or a weight is NaN or infinite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">m &lt; 2, d &lt; 1, or the shift is negative or not finite.</exception>
    public static TwoLayerShiftedRelu FromWeights(ReadOnlyMatrixView<float> weights, ReadOnlySpan<float> signs, float shift, ulong seed)
    {
        RequireShape(weights.Rows, weights.Columns, nameof(weights), nameof(weights));
        Guard.RequireLength(signs.Length, weights.Rows, nameof(signs), "one per row of weights");
        for (int r = 0; r < signs.Length; r++)
        {
            if (signs[r] is not (1f or -1f))
            {
                throw new ArgumentException($"signs[{r}] is {signs[r]}; every sign must be +1 or −1.", nameof(signs));
            }
        }
        var copy = LargeArrays.Allocate<float>((long)weights.Rows * weights.Columns);
        for (int r = 0; r < weights.Rows; r++)
        {
            var row = weights.Row(r);
            for (int k = 0; k < row.Length; k++)
            {
                if (!float.IsFinite(row[k]))
                {
                    throw new ArgumentException($"weights[{r}, {k}] is {row[k]}; every weight must be finite.", nameof(weights));
                }
            }
            row.CopyTo(copy.AsSpan(r * weights.Columns, weights.Columns));
        }
        return new TwoLayerShiftedRelu(weights.Rows, weights.Columns, seed, shift, signs.ToArray(), copy);
    }

    private static void RequireShape(int width, int dimension, string widthName, string dimensionName)
    {
        if (width < 2)
        {
            throw new ArgumentOutOfRangeException(widthName, width, "The width m must be at least 2.");
        }
        if (dimension < 1)
        {
            throw new ArgumentOutOfRangeException(dimensionName, dimension, "The dimension d must be at least 1.");
        }
        long bytes = WeightBytes(width, dimension);
        if ((long)width * dimension > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(widthName, width,
                $"W would take {bytes:N0} bytes ({(long)width * dimension:N0} floats), more than one array can hold ({Array.MaxLength:N0} elements).");
        }
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available)
        {
            throw new ArgumentOutOfRangeException(widthName, width,
                $"W would take {bytes:N0} bytes, more than the {available:N0} bytes available to this process.");
        }
    }

    private static void DrawSigns(CounterRandom random, Span<float> signs)
    {
        random.FillUniform(signs);
        foreach (ref float s in signs)
        {
            s = s < 0.5f ? -1f : 1f;
        }
    }
}
