using System.Numerics;
using System.Runtime.CompilerServices;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Training.Data;

namespace Kernels.Training.Models;

/// <summary>
/// The ReLU Elman network of seed 003: h₀ = 0, h_ℓ = ReLU(W·h_{ℓ−1} + A·x_ℓ) and y_ℓ = B·h_ℓ for ℓ = 1..L, with
/// hidden width m, W (m × m), A (m × d_x) and B (d × m), and the loss f = Σ_i Σ_{ℓ=2..L} ½‖B·h_{i,ℓ} − y*_{i,ℓ}‖².
/// </summary>
/// <remarks>
/// <para><b>Initialization</b> (as in the paper): W and A have i.i.d. N(0, 2/m) entries, B has i.i.d. N(0, 1/d)
/// entries, drawn from <c>CounterRandom(Derive(seed, Purpose("elman")), stream)</c> with streams 0, 1, 2 for W, A, B —
/// the same model for one seed on every machine and thread count.</para>
/// <para><b>Batched passes.</b> A batch of N sequences runs time-major (<see cref="SequenceSet{T}"/>): the input
/// projection A·x of all L·N tokens is one Gemm, then each step is one fused Gemm + ReLU
/// (<see cref="Level3.GemmBiasActivation{T}"/>, C = ReLU(H_{ℓ−1}·Wᵀ + P_ℓ)) written over its own rows of the projection.
/// Backpropagation through time runs the steps backwards with one Gemm each (∂f/∂h_{ℓ−1} += (∂f/∂z_ℓ)·W), and then
/// ∂f/∂W, ∂f/∂A and ∂f/∂B are one Gemm each over all steps, because the time-major rows of consecutive steps are
/// contiguous.</para>
/// <para><b>Activation memory</b> is O(L·N·m): the hidden states of every step and their gradients, 2·L·N·m elements,
/// plus the (L − 1)·N·d residuals (<see cref="ElmanRnnWorkspace{T}.Bytes"/>). A workspace that would not fit is
/// refused before anything is allocated, with the estimate in the message.</para>
/// <para>Which parameters train is the trainer's choice: the paper trains only W, and so do the trainers by default.</para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed partial class ElmanRnn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The purpose the model derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("elman");

    private readonly Matrix<T> _recurrent;
    private readonly Matrix<T> _input;
    private readonly Matrix<T> _output;

    /// <summary>Draws a model from <paramref name="seed"/> by the paper's initialization.</summary>
    /// <param name="hidden">Hidden width m ≥ 1.</param>
    /// <param name="inputDimension">Token dimension d_x ≥ 1.</param>
    /// <param name="outputDimension">Output dimension d ≥ 1.</param>
    /// <param name="seed">Decides W, A and B.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, or the weights would not fit (the message gives their size in bytes).</exception>
    public ElmanRnn(int hidden, int inputDimension, int outputDimension, ulong seed)
    {
        ElementType.Require<T>();
        RequireSizes(hidden, inputDimension, outputDimension);
        Seed = seed;
        _recurrent = new Matrix<T>(hidden, hidden);
        _input = new Matrix<T>(hidden, inputDimension);
        _output = new Matrix<T>(outputDimension, hidden);
        ulong derived = CounterRandom.Derive(seed, SeedPurpose);
        T hiddenScale = T.CreateChecked(Math.Sqrt(2.0 / hidden));
        new CounterRandom(derived, 0).FillNormal(_recurrent.AsSpan(), T.Zero, hiddenScale);
        new CounterRandom(derived, 1).FillNormal(_input.AsSpan(), T.Zero, hiddenScale);
        new CounterRandom(derived, 2).FillNormal(_output.AsSpan(), T.Zero, T.CreateChecked(Math.Sqrt(1.0 / outputDimension)));
    }

    private ElmanRnn(Matrix<T> recurrent, Matrix<T> input, Matrix<T> output, ulong seed)
    {
        _recurrent = recurrent;
        _input = input;
        _output = output;
        Seed = seed;
    }

    /// <summary>
    /// A model with the given weights, copied: to continue from a checkpoint or to evaluate a perturbed model.
    /// <paramref name="seed"/> is recorded, not used.
    /// </summary>
    /// <param name="recurrent">W, m × m.</param>
    /// <param name="input">A, m × d_x.</param>
    /// <param name="output">B, d × m.</param>
    /// <param name="seed">The seed to record.</param>
    /// <exception cref="ArgumentException">The shapes disagree (W not square, A without m rows, B without m columns), a
    /// dimension is 0, or a weight is NaN or infinite.</exception>
    public static ElmanRnn<T> FromWeights(ReadOnlyMatrixView<T> recurrent, ReadOnlyMatrixView<T> input, ReadOnlyMatrixView<T> output, ulong seed)
    {
        ElementType.Require<T>();
        if (recurrent.Rows < 1 || input.Columns < 1 || output.Rows < 1)
        {
            throw new ArgumentException(
                $"W is {recurrent.Rows}×{recurrent.Columns}, A {input.Rows}×{input.Columns}, B {output.Rows}×{output.Columns}; m, d_x and d must be at least 1.", nameof(recurrent));
        }
        Guard.RequireSquare(recurrent, nameof(recurrent));
        int m = recurrent.Rows;
        Guard.RequireShape(input, m, input.Columns, nameof(input), "m × d_x (m rows, as W)");
        Guard.RequireShape(output, output.Rows, m, nameof(output), "d × m (m columns, as W)");
        RequireSizes(m, input.Columns, output.Rows);
        return new ElmanRnn<T>(FiniteCopy(recurrent, nameof(recurrent)), FiniteCopy(input, nameof(input)), FiniteCopy(output, nameof(output)), seed);
    }

    /// <summary>Hidden width m.</summary>
    public int Hidden => _recurrent.Rows;

    /// <summary>Token dimension d_x.</summary>
    public int InputDimension => _input.Columns;

    /// <summary>Output dimension d.</summary>
    public int OutputDimension => _output.Rows;

    /// <summary>The seed the initial weights were drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>The recurrent weights W (m × m).</summary>
    public ReadOnlyMatrixView<T> Recurrent => _recurrent.ReadOnlyView;

    /// <summary>The input weights A (m × d_x).</summary>
    public ReadOnlyMatrixView<T> Input => _input.ReadOnlyView;

    /// <summary>The output weights B (d × m).</summary>
    public ReadOnlyMatrixView<T> Output => _output.ReadOnlyView;

    /// <summary>W for trainers to update in place.</summary>
    internal Matrix<T> MutableRecurrent => _recurrent;

    /// <summary>A for trainers to update in place.</summary>
    internal Matrix<T> MutableInput => _input;

    /// <summary>B for trainers to update in place.</summary>
    internal Matrix<T> MutableOutput => _output;

    /// <summary>Bytes the weights W, A and B of a model of this shape take: (m² + m·d_x + d·m)·sizeof(T).</summary>
    public static long WeightBytes(int hidden, int inputDimension, int outputDimension) =>
        ((long)hidden * hidden + (long)hidden * inputDimension + (long)outputDimension * hidden) * Unsafe.SizeOf<T>();

    /// <summary>
    /// Runs the network over <paramref name="data"/> and returns the loss f = Σ_i Σ_{ℓ=2..L} ½‖B·h_{i,ℓ} − y*_{i,ℓ}‖²
    /// (summed in <typeparamref name="T"/>, returned as double). The hidden states stay in the workspace
    /// (<see cref="ElmanRnnWorkspace{T}.HiddenStates"/>). Allocates nothing after Gemm's first call on a thread.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The data's dimensions differ from the model's, or the workspace was made for
    /// another model shape, sequence count or length.</exception>
    public double Loss(SequenceSet<T> data, ElmanRnnWorkspace<T> workspace, BlasOptions? options = null)
    {
        RequireCompatible(data, workspace);
        return Forward(data, workspace, options);
    }

    /// <summary>
    /// The loss and its gradient by backpropagation through time: ∂f/∂W into <paramref name="gradient"/>'s
    /// <see cref="ElmanRnnGradient{T}.Recurrent"/>, and ∂f/∂A, ∂f/∂B where the gradient holds them; the norms
    /// ‖∂f/∂h_ℓ‖ (Frobenius over the batch, ℓ = 1..L) into <see cref="ElmanRnnGradient{T}.HiddenNorms"/>. The gradient's
    /// matrices are overwritten. At a ReLU whose output is exactly 0 the derivative is taken as 0, as PyTorch does.
    /// Allocates nothing after Gemm's first call on a thread.
    /// </summary>
    /// <returns>The loss f (as <see cref="Loss"/>).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The data's dimensions differ from the model's, or the workspace or gradient
    /// was made for another model shape or sequence length.</exception>
    public double Gradient(SequenceSet<T> data, ElmanRnnWorkspace<T> workspace, ElmanRnnGradient<T> gradient, BlasOptions? options = null)
    {
        RequireCompatible(data, workspace);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Hidden != Hidden || gradient.InputDimension != InputDimension || gradient.OutputDimension != OutputDimension || gradient.Length != data.Length)
        {
            throw new ArgumentException(
                $"The gradient is for m = {gradient.Hidden}, d_x = {gradient.InputDimension}, d = {gradient.OutputDimension}, L = {gradient.Length}; " +
                $"this model and data need m = {Hidden}, d_x = {InputDimension}, d = {OutputDimension}, L = {data.Length}.", nameof(gradient));
        }
        double loss = Forward(data, workspace, options);
        Backward(data, workspace, gradient, options);
        return loss;
    }

    /// <summary>H_ℓ for all steps, then the residuals B·h_ℓ − y*_ℓ for ℓ ≥ 2; returns ½‖R‖².</summary>
    private double Forward(SequenceSet<T> data, ElmanRnnWorkspace<T> workspace, BlasOptions? options)
    {
        int n = data.Count, length = data.Length, m = Hidden;
        var hidden = workspace.HiddenBuffer;
        // P = X·Aᵀ for all L·N tokens at once; each step then overwrites its own rows of P with h_ℓ.
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, data.Inputs, Input, T.Zero, hidden.View, options);
        var first = hidden.AsSpan()[..(n * m)];
        Rectifiers.Relu<T>(first, first);
        for (int step = 2; step <= length; step++)
        {
            var previous = new ReadOnlyMatrixView<T>(hidden.AsSpan().Slice((step - 2) * n * m, n * m), n, m);
            var current = new MatrixView<T>(hidden.AsSpan().Slice((step - 1) * n * m, n * m), n, m);
            Level3.GemmBiasActivation(Transpose.None, Transpose.Transposed, T.One, previous, Recurrent, T.One, current, [], GemmActivation.Relu, T.Zero, options);
        }
        // R = H_{2..L}·Bᵀ − Y*.
        var residuals = workspace.ResidualBuffer;
        data.Targets.Data[..residuals.AsSpan().Length].CopyTo(residuals.AsSpan());
        var later = new ReadOnlyMatrixView<T>(hidden.AsSpan()[(n * m)..], (length - 1) * n, m);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, later, Output, -T.One, residuals.View, options);
        var r = residuals.AsSpan();
        return 0.5 * double.CreateChecked(Level1.Dot<T>(r, r));
    }

    /// <summary>BPTT from the hidden states and residuals <see cref="Forward"/> left in the workspace.</summary>
    private void Backward(SequenceSet<T> data, ElmanRnnWorkspace<T> workspace, ElmanRnnGradient<T> gradient, BlasOptions? options)
    {
        int n = data.Count, length = data.Length, m = Hidden, block = n * m;
        var hidden = workspace.HiddenBuffer.AsSpan();
        var grads = workspace.GradientBuffer.AsSpan();
        var residuals = workspace.ResidualBuffer.ReadOnlyView;
        // ∂f/∂h_ℓ starts as Bᵀ·r_ℓ (ℓ ≥ 2; step 1 has no loss term), for all steps in one Gemm.
        grads[..block].Clear();
        Level3.Gemm(Transpose.None, Transpose.None, T.One, residuals, Output, T.Zero,
            new MatrixView<T>(grads[block..], (length - 1) * n, m), options);
        // h ≥ the smallest subnormal is h > 0 for h = ReLU(·) ≥ 0: the select ShiftedReluBackward makes is then PyTorch's
        // threshold_backward (the derivative at an output of exactly 0 is 0).
        T positive = T.Epsilon;
        for (int step = length; step >= 1; step--)
        {
            var g = grads.Slice((step - 1) * block, block);
            gradient.HiddenNormsBuffer[step - 1] = double.CreateChecked(Level1.Nrm2<T>(g));
            Rectifiers.ShiftedReluBackward<T>(hidden.Slice((step - 1) * block, block), g, positive, g);
            if (step > 1)
            {
                // z_ℓ = W·h_{ℓ−1} + A·x_ℓ, so ∂f/∂h_{ℓ−1} += (∂f/∂z_ℓ)·W (rows are batch entries).
                Level3.Gemm(Transpose.None, Transpose.None, T.One, new ReadOnlyMatrixView<T>(g, n, m), Recurrent, T.One,
                    new MatrixView<T>(grads.Slice((step - 2) * block, block), n, m), options);
            }
        }
        // ∂f/∂W = Σ_{ℓ≥2} (∂f/∂z_ℓ)ᵀ·h_{ℓ−1} (h₀ = 0 drops ℓ = 1): the rows of steps 2..L against those of 1..L−1.
        var dz = new ReadOnlyMatrixView<T>(grads[block..], (length - 1) * n, m);
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, dz, new ReadOnlyMatrixView<T>(hidden[..((length - 1) * block)], (length - 1) * n, m),
            T.Zero, gradient.Recurrent.View, options);
        if (gradient.Input is { } input)
        {
            Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, new ReadOnlyMatrixView<T>(grads, length * n, m), data.Inputs, T.Zero, input.View, options);
        }
        if (gradient.Output is { } output)
        {
            Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, residuals, new ReadOnlyMatrixView<T>(hidden[block..], (length - 1) * n, m),
                T.Zero, output.View, options);
        }
    }

    private void RequireCompatible(SequenceSet<T> data, ElmanRnnWorkspace<T> workspace)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(workspace);
        if (data.InputDimension != InputDimension)
        {
            throw new ArgumentException($"The sequences' tokens have dimension {data.InputDimension}; this model takes d_x = {InputDimension}.", nameof(data));
        }
        if (data.OutputDimension != OutputDimension)
        {
            throw new ArgumentException($"The sequences' targets have dimension {data.OutputDimension}; this model outputs d = {OutputDimension}.", nameof(data));
        }
        if (workspace.Hidden != Hidden || workspace.OutputDimension != OutputDimension || workspace.Count != data.Count || workspace.Length != data.Length)
        {
            throw new ArgumentException(
                $"The workspace is for m = {workspace.Hidden}, d = {workspace.OutputDimension}, N = {workspace.Count}, L = {workspace.Length}; " +
                $"this model and data need m = {Hidden}, d = {OutputDimension}, N = {data.Count}, L = {data.Length}.", nameof(workspace));
        }
    }

    private static void RequireSizes(int hidden, int inputDimension, int outputDimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDimension, 1);
        long largest = Math.Max((long)hidden * hidden, Math.Max((long)hidden * inputDimension, (long)outputDimension * hidden));
        long bytes = WeightBytes(hidden, inputDimension, outputDimension);
        if (largest > Array.MaxLength || bytes > GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(hidden), hidden,
                $"The weights W, A and B would take {bytes:N0} bytes, more than one array holds or this process has available.");
        }
    }

    private static Matrix<T> FiniteCopy(ReadOnlyMatrixView<T> source, string name)
    {
        for (int r = 0; r < source.Rows; r++)
        {
            var row = source.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                if (!T.IsFinite(row[c]))
                {
                    throw new ArgumentException($"{name}[{r}, {c}] is {row[c]}; every weight must be finite.", name);
                }
            }
        }
        return new Matrix<T>(source);
    }
}
