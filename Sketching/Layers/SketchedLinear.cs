using System.Numerics;
using Kernels.Blas;
using Kernels.Elementwise;
using Kernels.Linalg;
using Kernels.Randomness;
using Kernels.Simd;
using Kernels.Sketching.Operators;

namespace Kernels.Sketching.Layers;

/// <summary>
/// A sketched fully connected layer (Theorems 3.4–3.6 of the paper; §A of the papers): y = (W·Sᵀ)·(S·x) + bias, where
/// S is a fixed s × inputs sketch from <see cref="Operators"/> and the trainable matrix is the small W·Sᵀ (outputs × s)
/// instead of W (outputs × inputs). It is stored transposed, as the s × outputs matrix P = (W·Sᵀ)ᵀ = S·Wᵀ, so that a batch
/// is Y = Z·P + 1·biasᵀ with Z = X·Sᵀ the sketched inputs.
/// </summary>
/// <remarks>
/// <para><b>Passes.</b> <see cref="Forward"/> sketches the batch, Zᵀ = S·Xᵀ (s × batch, one <see cref="ISketch{T}.Apply(ReadOnlyMatrixView{T}, MatrixView{T}, BlasOptions?)"/>
/// on the transposed inputs), and multiplies, Y = Z·P. The sketched inputs stay in the <see cref="SketchedLinearWorkspace{T}"/>,
/// like the saved activations of a framework's layer, for <see cref="BackwardParameters"/>: ∂L/∂P = Zᵀ·dY and
/// ∂L/∂bias = the column sums of dY. <see cref="BackwardInput"/> needs no saved state: dX = dY·Pᵀ·S, computed as
/// dXᵀ = Sᵀ·(P·dYᵀ) with <see cref="ISketch{T}.ApplyTranspose(ReadOnlyMatrixView{T}, MatrixView{T})"/>.</para>
/// <para>Costs per sample: applying S (O(nnz) for CountSketch and OSNAP, O(inputs·log inputs) for the SRHT, s·inputs for
/// the Gaussian sketch) plus 2·s·outputs multiply-adds, against inputs·outputs for a dense layer; parameters s·outputs
/// (+ outputs) against inputs·outputs.</para>
/// <para><b>Convention.</b> The methods, their parameters and the meaning of beta are those of every layer (see
/// <see cref="Kernels.Layers.Linear{T}"/>); this layer keeps the sketched inputs between passes, so its passes also take
/// its <see cref="SketchedLinearWorkspace{T}"/>, just before the options.</para>
/// <para>Results are the same bits for any thread count (Gemm and the sketches are deterministic). The layer is safe for
/// concurrent passes with different workspaces as long as nobody writes the parameters meanwhile.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SketchedLinear<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weights;
    private readonly T[] _bias;

    /// <summary>A layer with all parameters zero; see <see cref="InitializeUniform"/>.</summary>
    /// <param name="sketch">The fixed sketch S, s × inputs (its <see cref="ISketch{T}.Columns"/> is the input width).</param>
    /// <param name="outputs">The output width, at least 1.</param>
    /// <param name="bias">Whether the layer has a bias of <paramref name="outputs"/> parameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sketch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputs"/> is below 1.</exception>
    public SketchedLinear(ISketch<T> sketch, int outputs, bool bias = true)
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(sketch);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        Sketch = sketch;
        Outputs = outputs;
        _weights = new T[(long)sketch.Rows * outputs];
        _bias = bias ? new T[outputs] : [];
    }

    /// <summary>The fixed sketch S (s × inputs).</summary>
    public ISketch<T> Sketch { get; }

    /// <summary>The input width: the columns of S.</summary>
    public int Inputs => Sketch.Columns;

    /// <summary>s: the sketch size, the rows of S.</summary>
    public int SketchSize => Sketch.Rows;

    /// <summary>The output width.</summary>
    public int Outputs { get; }

    /// <summary>Whether the layer has a bias.</summary>
    public bool HasBias => _bias.Length > 0;

    /// <summary>P = (W·Sᵀ)ᵀ, s × outputs row-major (element (k, i) at k·outputs + i); read and write it in place.</summary>
    public Span<T> Weights => _weights;

    /// <summary>The bias, <see cref="Outputs"/> values, or empty when the layer has none.</summary>
    public Span<T> Bias => _bias;

    /// <summary>Every trainable parameter: s·outputs, plus outputs with a bias.</summary>
    public int ParameterCount => _weights.Length + _bias.Length;

    /// <summary>
    /// Draws P and the bias uniformly from [−bound, bound], from streams 0 and 1 of
    /// <c>CounterRandom(CounterRandom.Derive(seed, Purpose("sketchln")), ·)</c> (the README's seed rule).
    /// Because S roughly preserves norms, 1/√s gives the outputs the scale of a dense layer initialized with 1/√inputs.
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
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("sketchln");

    /// <summary>Y ← (X·Sᵀ)·P + 1·biasᵀ for a batch; the sketched inputs X·Sᵀ stay in <paramref name="workspace"/> for <see cref="BackwardParameters"/>.</summary>
    /// <param name="input">X, batch × <see cref="Inputs"/>.</param>
    /// <param name="output">Y, batch × <see cref="Outputs"/>; overwritten; must not overlap X.</param>
    /// <param name="workspace">Scratch of this layer for at least this batch size.</param>
    /// <param name="options">Threads for Gemm and the sketch; the result does not depend on them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match, Y overlaps X, or the workspace belongs to another layer or is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Forward(ReadOnlyMatrixView<T> input, MatrixView<T> output, SketchedLinearWorkspace<T> workspace, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(input, Inputs, nameof(input), "batch × inputs");
        Guard.RequireShape<T>(output, input.Rows, Outputs, nameof(output), "batch × outputs");
        Guard.RequireDisjoint<T>(input, nameof(input), output, nameof(output));
        RequireWorkspace(workspace, input.Rows);
        options ??= BlasOptions.Default;
        options.Validate();

        int batch = input.Rows;
        MatrixView<T> transposed = workspace.Transposed(batch);
        MatrixTranspose.Copy(input, transposed);
        MatrixView<T> sketched = workspace.Sketched(batch);
        Sketch.Apply(transposed, sketched, options);
        workspace.SketchedBatch = batch;

        for (int b = 0; b < batch && HasBias; b++)
        {
            _bias.CopyTo(output.Row(b));
        }
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, sketched, Parameters, HasBias ? T.One : T.Zero, output, options);
    }

    /// <summary>dX ← dY·Pᵀ·S + beta·dX, the gradient with respect to the inputs (computed as Sᵀ·(P·dYᵀ)); uses the workspace as scratch only.</summary>
    /// <param name="outputGradient">dY, batch × <see cref="Outputs"/>.</param>
    /// <param name="inputGradient">dX, batch × <see cref="Inputs"/>; must not overlap dY.</param>
    /// <param name="beta">0 overwrites dX (never read), 1 accumulates into it; must be finite.</param>
    /// <param name="workspace">Scratch of this layer for at least this batch size; the sketched inputs saved by <see cref="Forward"/> are kept.</param>
    /// <param name="options">Threads for Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape does not match, dX overlaps dY, or the workspace belongs to another layer or is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public void BackwardInput(ReadOnlyMatrixView<T> outputGradient, MatrixView<T> inputGradient, T beta, SketchedLinearWorkspace<T> workspace,
        BlasOptions? options = null)
    {
        Guard.RequireFinite(beta, nameof(beta));
        Guard.RequireColumns<T>(outputGradient, Outputs, nameof(outputGradient), "batch × outputs");
        Guard.RequireShape<T>(inputGradient, outputGradient.Rows, Inputs, nameof(inputGradient), "batch × inputs");
        Guard.RequireDisjoint<T>(outputGradient, nameof(outputGradient), inputGradient, nameof(inputGradient));
        RequireWorkspace(workspace, outputGradient.Rows);
        options ??= BlasOptions.Default;
        options.Validate();

        int batch = outputGradient.Rows;
        MatrixView<T> sketchedGradient = workspace.SketchedGradient(batch);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, Parameters, outputGradient, T.Zero, sketchedGradient, options);
        MatrixView<T> transposed = workspace.Transposed(batch);
        Sketch.ApplyTranspose(sketchedGradient, transposed);
        if (beta == T.Zero)
        {
            MatrixTranspose.Copy(transposed, inputGradient);
            return;
        }
        for (int b = 0; b < batch; b++)
        {
            Span<T> row = inputGradient.Row(b);
            for (int j = 0; j < row.Length; j++)
            {
                row[j] = beta * row[j] + transposed[j, b];
            }
        }
    }

    /// <summary>
    /// ∂L/∂P = Zᵀ·dY (s × outputs, with Z = X·Sᵀ the sketched inputs of the last <see cref="Forward"/> with this workspace) and
    /// ∂L/∂bias = Σ over the batch of the rows of dY, added to beta times the destinations.
    /// </summary>
    /// <param name="input">X, the inputs of the last forward pass, batch × <see cref="Inputs"/>: only its shape is read, since
    /// the layer uses the sketched inputs saved in the workspace; it is taken so that every layer has the same signature.</param>
    /// <param name="outputGradient">dY, batch × <see cref="Outputs"/>, for the batch of the last forward pass.</param>
    /// <param name="weightGradient">∂L/∂P, s·outputs elements in the layout of <see cref="Weights"/>.</param>
    /// <param name="biasGradient">∂L/∂bias, <see cref="Outputs"/> elements with a bias, empty without.</param>
    /// <param name="beta">0 overwrites both gradients (never read), 1 accumulates into them; must be finite.</param>
    /// <param name="workspace">The workspace of the last <see cref="Forward"/>.</param>
    /// <param name="options">Threads for Gemm; the result does not depend on them.</param>
    /// <exception cref="ArgumentNullException"><paramref name="workspace"/> is null.</exception>
    /// <exception cref="ArgumentException">A shape or length does not match, a gradient overlaps dY or the other gradient, or the workspace belongs to another layer.</exception>
    /// <exception cref="InvalidOperationException">The workspace holds no forward pass of this batch size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not finite, or an option is out of range.</exception>
    public void BackwardParameters(ReadOnlyMatrixView<T> input, ReadOnlyMatrixView<T> outputGradient, Span<T> weightGradient, Span<T> biasGradient, T beta,
        SketchedLinearWorkspace<T> workspace, BlasOptions? options = null)
    {
        Guard.RequireColumns<T>(input, Inputs, nameof(input), "batch × inputs");
        Guard.RequireShape<T>(outputGradient, input.Rows, Outputs, nameof(outputGradient), "batch × outputs");
        Guard.RequireFinite(beta, nameof(beta));
        Guard.RequireLength(weightGradient.Length, _weights.Length, nameof(weightGradient), "s·outputs");
        Guard.RequireLength(biasGradient.Length, _bias.Length, nameof(biasGradient), HasBias ? "the layer's outputs" : "empty: the layer has no bias");
        ReadOnlySpan<T> dyUsed = outputGradient.Data[..(int)Guard.RequiredLength(outputGradient.Rows, outputGradient.Columns, outputGradient.Stride)];
        Guard.RequireDisjoint(dyUsed, nameof(outputGradient), weightGradient, nameof(weightGradient));
        Guard.RequireDisjoint(dyUsed, nameof(outputGradient), biasGradient, nameof(biasGradient));
        Guard.RequireDisjoint<T>(weightGradient, nameof(weightGradient), biasGradient, nameof(biasGradient));
        RequireWorkspace(workspace, outputGradient.Rows);
        if (workspace.SketchedBatch != outputGradient.Rows)
        {
            throw new InvalidOperationException(workspace.SketchedBatch < 0
                ? "The workspace holds no forward pass; call Forward with it first."
                : $"The workspace holds a forward pass of batch {workspace.SketchedBatch}; outputGradient has {outputGradient.Rows} rows.");
        }
        options ??= BlasOptions.Default;
        options.Validate();

        var gradient = new MatrixView<T>(weightGradient, SketchSize, Outputs);
        Level3.Gemm(Transpose.None, Transpose.None, T.One, workspace.Sketched(outputGradient.Rows), outputGradient, beta, gradient, options);
        if (HasBias)
        {
            Arithmetic.ColumnSums(outputGradient, biasGradient, beta);
        }
    }

    private ReadOnlyMatrixView<T> Parameters => new(_weights, SketchSize, Outputs);

    private void RequireWorkspace(SketchedLinearWorkspace<T> workspace, int batch)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (!ReferenceEquals(workspace.Layer, this))
        {
            throw new ArgumentException("The workspace was made for another layer.", nameof(workspace));
        }
        if (batch > workspace.MaxBatch)
        {
            throw new ArgumentException($"The batch has {batch} rows; the workspace holds at most {workspace.MaxBatch}.", nameof(workspace));
        }
    }
}
