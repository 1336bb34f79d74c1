using System.Numerics;
using Kernels.Blas;
using Kernels.Elementwise;
using Kernels.Randomness;

namespace Kernels.Layers;

/// <summary>
/// A dense fully connected layer: y = W·x + bias for each sample, with W an outputs × inputs matrix stored row-major
/// (as in PyTorch's <c>nn.Linear</c>). A batch has one sample per row: Y = X·Wᵀ + 1·biasᵀ.
/// </summary>
/// <remarks>
/// <para><b>Passes</b>, each one Gemm: <see cref="Forward"/> Y = X·Wᵀ + bias (the bias added in Gemm's store, <see cref="Level3.GemmBiasActivation{T}"/>); <see cref="BackwardInput"/> dX = dY·W;
/// <see cref="BackwardParameters"/> ∂L/∂W = dYᵀ·X and ∂L/∂bias = the column sums of dY.</para>
/// <para><b>The layer convention</b>, shared with the sketching layers <c>HashedLinear</c> and <c>SketchedLinear</c>: the same
/// three methods with the same parameters in the same order — <c>Forward(input, output, …)</c>,
/// <c>BackwardInput(outputGradient, inputGradient, beta, …)</c>,
/// <c>BackwardParameters(input, outputGradient, weightGradient, biasGradient, beta, …)</c>, then the layer's workspace if it
/// keeps state between passes (only <c>SketchedLinear</c> does), then <see cref="BlasOptions"/>. Parameters are held by the
/// layer (<see cref="Weights"/>, <see cref="Bias"/>, updated in place by an optimizer); gradients are passed explicitly, in
/// the same layouts, and <c>beta</c> says what happens to them: 0 overwrites (the old contents are never read), 1
/// accumulates (so several backward passes, or several consumers of one input, add up).</para>
/// <para>This layer depends on nothing but Gemm and the element-wise kernels, so it lives in the Kernels assembly: a
/// user of a dense network needs no sketching assembly, and the sketching layers are compared against it.</para>
/// <para>Results are the same bits for any thread count. The layer is safe for concurrent passes as long as nobody
/// writes the parameters meanwhile.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Linear<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weights;
    private readonly T[] _bias;

    /// <summary>A layer with all parameters zero; see <see cref="InitializeUniform"/>.</summary>
    /// <param name="inputs">The input width, at least 1.</param>
    /// <param name="outputs">The output width, at least 1.</param>
    /// <param name="bias">Whether the layer has a bias of <paramref name="outputs"/> parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException">A width is below 1, or inputs·outputs exceeds the largest array.</exception>
    public Linear(int inputs, int outputs, bool bias = true)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if ((long)inputs * outputs > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(outputs), outputs, $"inputs·outputs = {(long)inputs * outputs} exceeds the largest array ({Array.MaxLength}).");
        }
        Inputs = inputs;
        Outputs = outputs;
        _weights = new T[inputs * outputs];
        _bias = bias ? new T[outputs] : [];
    }

    /// <summary>The input width: columns of W.</summary>
    public int Inputs { get; }

    /// <summary>The output width: rows of W.</summary>
    public int Outputs { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool HasBias => _bias.Length > 0;

    /// <summary>W, outputs × inputs row-major (element (i, j) at i·inputs + j); read and write it in place.</summary>
    public Span<T> Weights => _weights;

    /// <summary>The bias, <see cref="Outputs"/> values, or empty when the layer has none.</summary>
    public Span<T> Bias => _bias;

    /// <summary>Every trainable parameter: inputs·outputs, plus outputs with a bias.</summary>
    public int ParameterCount => _weights.Length + _bias.Length;

    /// <summary>
    /// Draws W and the bias uniformly from [−bound, bound], from streams 0 and 1 of
    /// <c>CounterRandom(CounterRandom.Derive(seed, Purpose("linear")), ·)</c> (the README's seed rule, as the sketching
    /// layers do), so a dense layer never shares random numbers with another component built from the same seed.
    /// PyTorch's default is bound = 1/√inputs.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is negative or not finite.</exception>
    public void InitializeUniform(T bound, ulong seed)
    {
        Guard.RequireFinite(bound, nameof(bound));
        ArgumentOutOfRangeException.ThrowIfNegative(bound);
        ulong derived = CounterRandom.Derive(seed, SeedPurpose);
        new CounterRandom(derived, 0).FillUniform<T>(_weights, -bound, bound);
        new CounterRandom(derived, 1).FillUniform<T>(_bias, -bound, bound);
    }

    /// <summary>The purpose this layer derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("linear");

    /// <summary>Y ← X·Wᵀ + 1·biasᵀ for a batch: row b of Y is the layer applied to row b of X.</summary>
    /// <param name="input">X, batch × <see cref="Inputs"/>.</param>
    /// <param name="output">Y, batch × <see cref="Outputs"/>; overwritten; must not overlap X.</param>
    /// <param name="options">Threads for the Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape does not match, or Y overlaps X.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Forward(ReadOnlyMatrixView<T> input, MatrixView<T> output, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(input, Inputs, nameof(input), "batch × inputs");
        Guard.RequireShape<T>(output, input.Rows, Outputs, nameof(output), "batch × outputs");
        Guard.RequireDisjoint<T>(input, nameof(input), output, nameof(output));
        // The bias is added in Gemm's store (an empty bias adds nothing), so Y is written once.
        Level3.GemmBiasActivation(Transpose.None, Transpose.Transposed, T.One, input, WeightMatrix, T.Zero, output, _bias, GemmActivation.Identity, T.Zero, options);
    }

    /// <summary>dX ← dY·W + beta·dX: the gradient with respect to the inputs.</summary>
    /// <param name="outputGradient">dY, batch × <see cref="Outputs"/>.</param>
    /// <param name="inputGradient">dX, batch × <see cref="Inputs"/>; must not overlap dY.</param>
    /// <param name="beta">0 overwrites dX (never read), 1 accumulates into it; must be finite.</param>
    /// <param name="options">Threads for the Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape does not match, or dX overlaps dY.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public void BackwardInput(ReadOnlyMatrixView<T> outputGradient, MatrixView<T> inputGradient, T beta, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(outputGradient, Outputs, nameof(outputGradient), "batch × outputs");
        Guard.RequireShape<T>(inputGradient, outputGradient.Rows, Inputs, nameof(inputGradient), "batch × inputs");
        Guard.RequireDisjoint<T>(outputGradient, nameof(outputGradient), inputGradient, nameof(inputGradient));
        Level3.Gemm(Transpose.None, Transpose.None, T.One, outputGradient, WeightMatrix, beta, inputGradient, options);
    }

    /// <summary>
    /// ∂L/∂W ← dYᵀ·X + beta·∂L/∂W and ∂L/∂bias ← Σ over the batch of the rows of dY + beta·∂L/∂bias.
    /// </summary>
    /// <param name="input">X, the inputs of the forward pass, batch × <see cref="Inputs"/>.</param>
    /// <param name="outputGradient">dY, batch × <see cref="Outputs"/>.</param>
    /// <param name="weightGradient">∂L/∂W, <see cref="Inputs"/>·<see cref="Outputs"/> elements in the layout of <see cref="Weights"/>.</param>
    /// <param name="biasGradient">∂L/∂bias, <see cref="Outputs"/> elements with a bias, empty without.</param>
    /// <param name="beta">0 overwrites both gradients (never read), 1 accumulates into them; must be finite.</param>
    /// <param name="options">Threads for the Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentException">A shape or length does not match, or a gradient overlaps an input or the other gradient.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public void BackwardParameters(ReadOnlyMatrixView<T> input, ReadOnlyMatrixView<T> outputGradient, Span<T> weightGradient, Span<T> biasGradient,
        T beta, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(input, Inputs, nameof(input), "batch × inputs");
        Guard.RequireShape<T>(outputGradient, input.Rows, Outputs, nameof(outputGradient), "batch × outputs");
        Guard.RequireLength(weightGradient.Length, _weights.Length, nameof(weightGradient), "inputs·outputs");
        Guard.RequireLength(biasGradient.Length, _bias.Length, nameof(biasGradient), HasBias ? "the layer's outputs" : "empty: the layer has no bias");
        Guard.RequireFinite(beta, nameof(beta));
        ReadOnlySpan<T> xUsed = Used(input), dyUsed = Used(outputGradient);
        Guard.RequireDisjoint(xUsed, nameof(input), weightGradient, nameof(weightGradient));
        Guard.RequireDisjoint(dyUsed, nameof(outputGradient), weightGradient, nameof(weightGradient));
        Guard.RequireDisjoint(xUsed, nameof(input), biasGradient, nameof(biasGradient));
        Guard.RequireDisjoint(dyUsed, nameof(outputGradient), biasGradient, nameof(biasGradient));
        Guard.RequireDisjoint<T>(weightGradient, nameof(weightGradient), biasGradient, nameof(biasGradient));
        (options ?? BlasOptions.Default).Validate();

        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, outputGradient, input, beta, new MatrixView<T>(weightGradient, Outputs, Inputs), options);
        if (HasBias)
        {
            Arithmetic.ColumnSums(outputGradient, biasGradient, beta);
        }
    }

    private ReadOnlyMatrixView<T> WeightMatrix => new(_weights, Outputs, Inputs);

    private static ReadOnlySpan<T> Used(ReadOnlyMatrixView<T> m) => m.Data[..(int)Guard.RequiredLength(m.Rows, m.Columns, m.Stride)];
}
