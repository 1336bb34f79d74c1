using Kernels.Activations;
using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Simd;

namespace Kernels.Training.Models;

/// <summary>
/// Which dropout mask a forward pass draws: disabled (the default, for inference), or keep-rate p with the mask of
/// hidden layer l at step t from stream t·layers + l of <c>CounterRandom(Seed, ·)</c>.
/// </summary>
internal readonly record struct Dropout(float KeepRate, ulong Seed, long Step)
{
    public bool Enabled => KeepRate > 0f && KeepRate < 1f;
}

/// <summary>
/// The buffers of one forward and backward pass of an <see cref="Mlp"/> over up to <see cref="MaxBatch"/> rows, and the
/// momentum buffers of SGD: everything a training step touches, allocated once, so a step allocates nothing.
/// </summary>
/// <remarks>
/// <para>Per hidden layer l: the rectified outputs R_l = ReLU(Z_l) (a dense layer rectifies in its Gemm's store, so Z_l is
/// never stored), the activations H_l = R_l ⊙ M_l with the inverted-dropout mask M_l ∈ {0, 1/p} (without dropout H_l is
/// R_l itself), the step's uniform draws U_l that define M_l (kept, so the backward pass recomputes the mask), and the
/// gradients dH_l, dZ_l. The last layer's outputs Z_L are the logits; its gradient is (softmax(Z_L) − onehot(y)) / rows,
/// the gradient of the mean cross-entropy.</para>
/// <para>Training takes the momentum step of PyTorch's SGD, v ← μ·v + g, w ← w − η·v, without storing g: the weight
/// gradient's Gemm adds its product to μ·v in its store (<see cref="BackwardIntoVelocity"/>, beta = μ), and
/// <see cref="ApplyVelocity"/> is one Axpy per tensor (split across threads for a large one, <see cref="ElementwiseParts"/>,
/// as the dropout pass is). <see cref="Backward"/> writes g itself (for gradient checks).</para>
/// </remarks>
internal sealed class MlpWorkspace
{
    private readonly Mlp _model;
    private readonly float[][] _z, _h, _draws, _dz, _dh;
    private float[][]? _weightGradient, _biasGradient, _weightVelocity, _biasVelocity;
    private readonly float[] _probabilities, _logSumExp;
    private readonly bool _training;
    private int _rows;
    private float _keep = 1f;

    /// <summary>
    /// The buffers for batches of up to <paramref name="maxBatch"/> rows. An inference workspace (<paramref name="training"/>
    /// false) holds only what a forward pass without dropout and <see cref="LossAndOutputGradient"/> touch: the outputs of
    /// every layer and the last layer's gradient, a fifth of a training workspace's hidden-layer buffers.
    /// </summary>
    public MlpWorkspace(Mlp model, int maxBatch, bool training = true)
    {
        _model = model;
        MaxBatch = maxBatch;
        _training = training;
        int n = model.Layers.Count;
        _z = new float[n][];
        _h = new float[n][];
        _draws = new float[n][];
        _dz = new float[n][];
        _dh = new float[n][];
        for (int l = 0; l < n; l++)
        {
            int width = model.Layers[l].Outputs;
            bool hidden = l < n - 1, backward = training && hidden;
            _z[l] = new float[maxBatch * width];
            _dz[l] = hidden && !training ? [] : new float[maxBatch * width];
            _h[l] = backward ? new float[maxBatch * width] : [];
            _draws[l] = backward ? new float[maxBatch * width] : [];
            _dh[l] = backward ? new float[maxBatch * width] : [];
        }
        int classes = model.Classes;
        _probabilities = new float[maxBatch * classes];
        _logSumExp = new float[maxBatch];
    }

    public int MaxBatch { get; }

    /// <summary>
    /// The bytes a workspace of <paramref name="maxBatch"/> rows allocates for <paramref name="model"/>: the last layer's
    /// outputs and their gradient (2·batch·classes floats), per hidden layer of width w its outputs (batch·w) and, with
    /// <paramref name="training"/>, their gradient, activations, draws and activations' gradient (4·batch·w more), the
    /// softmax buffers (batch·(classes + 1)), and with <paramref name="training"/> one momentum value per parameter.
    /// </summary>
    public static long Bytes(Mlp model, int maxBatch, bool training)
    {
        long floats = (long)maxBatch * (model.Classes + 1);
        for (int l = 0; l < model.Layers.Count; l++)
        {
            floats += (l == model.Layers.Count - 1 ? 2L : training ? 5L : 1L) * maxBatch * model.Layers[l].Outputs;
        }
        return (floats + (training ? model.ParameterCount : 0)) * sizeof(float);
    }

    /// <summary>The elements of the largest buffer of a workspace of <paramref name="maxBatch"/> rows: one layer's batch × width.</summary>
    public static long LargestBuffer(Mlp model, int maxBatch) => (long)maxBatch * model.Layers.Max(layer => layer.Outputs);

    /// <summary>Allocates the momentum buffers, zero (training only; inference never needs them).</summary>
    public void AllocateTrainingBuffers() => (_weightVelocity, _biasVelocity) = ParameterBuffers();

    /// <summary>The gradient of layer l's real weights from the last <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> WeightGradient(int layer) => _weightGradient![layer];

    /// <summary>The gradient of layer l's bias from the last <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> BiasGradient(int layer) => _biasGradient![layer];

    /// <summary>Layer l's weight momentum v (after <see cref="AllocateTrainingBuffers"/>).</summary>
    public ReadOnlySpan<float> WeightVelocity(int layer) => _weightVelocity![layer];

    /// <summary>Layer l's bias momentum v (after <see cref="AllocateTrainingBuffers"/>).</summary>
    public ReadOnlySpan<float> BiasVelocity(int layer) => _biasVelocity![layer];

    /// <summary>The forward pass of <paramref name="input"/> (at most <see cref="MaxBatch"/> rows), with or without dropout.</summary>
    public void Forward(ReadOnlyMatrixView<float> input, Dropout dropout, BlasOptions? options)
    {
        if (dropout.Enabled && !_training)
        {
            throw new InvalidOperationException("An inference workspace has no dropout buffers.");
        }
        _rows = input.Rows;
        _keep = dropout.Enabled ? dropout.KeepRate : 1f;
        int last = _z.Length - 1;
        var x = input;
        for (int l = 0; l < last; l++)
        {
            var layer = _model.LayerAt(l);
            layer.ForwardRelu(x, Matrix(_z[l], layer.Outputs), options);
            if (_keep < 1f)
            {
                var random = new CounterRandom(dropout.Seed, (ulong)dropout.Step * (ulong)_z.Length + (ulong)l);
                ElementwiseParts.Dropout(random, _z[l], _draws[l], _h[l], _rows * layer.Outputs, _keep, options);
            }
            x = Matrix(Activations(l), layer.Outputs);
        }
        var output = _model.LayerAt(last);
        output.Forward(x, Matrix(_z[last], output.Outputs), options);
    }

    /// <summary>
    /// The summed cross-entropy of the last forward pass against <paramref name="labels"/> (one per row), the number of
    /// rows whose arg max is wrong, and dZ_L = (softmax − onehot) / rows for <see cref="Backward"/>.
    /// </summary>
    public double LossAndOutputGradient(ReadOnlySpan<int> labels, out int errors)
    {
        int classes = _model.Classes;
        var logits = Matrix(_z[^1], classes);
        Softmax.LogSumExpRows<float>(logits, _logSumExp.AsSpan(0, _rows));
        Softmax.Rows<float>(logits, Matrix(_probabilities, classes));
        double loss = 0;
        errors = 0;
        float inverse = 1f / _rows;
        for (int b = 0; b < _rows; b++)
        {
            ReadOnlySpan<float> row = logits.Row(b);
            int y = labels[b];
            loss += (double)_logSumExp[b] - row[y];
            errors += Level1.ArgMax(row) != y ? 1 : 0;
            Span<float> gradient = _dz[^1].AsSpan(b * classes, classes);
            Level1.Scale(inverse, _probabilities.AsSpan(b * classes, classes), gradient);
            gradient[y] -= inverse;
        }
        return loss;
    }

    /// <summary>Writes the arg max of each of the first <paramref name="rows"/> rows of the logits to <paramref name="classes"/>.</summary>
    public void ArgMax(int rows, Span<int> classes)
    {
        int width = _model.Classes;
        for (int b = 0; b < rows; b++)
        {
            classes[b] = Level1.ArgMax<float>(_z[^1].AsSpan(b * width, width));
        }
    }

    /// <summary>Every layer's parameter gradients g from dZ_L, back through the ReLUs and dropout masks of the last forward pass of <paramref name="input"/>, into the gradient buffers.</summary>
    public void Backward(ReadOnlyMatrixView<float> input, BlasOptions? options)
    {
        if (_weightGradient is null)
        {
            (_weightGradient, _biasGradient) = ParameterBuffers();
        }
        BackwardInto(input, _weightGradient, _biasGradient!, 0f, options);
    }

    /// <summary>v ← g + μ·v for every layer's weights and bias: the momentum buffers take the gradient in the weight Gemm's store, and g is never stored.</summary>
    public void BackwardIntoVelocity(ReadOnlyMatrixView<float> input, float momentum, BlasOptions? options) =>
        BackwardInto(input, _weightVelocity!, _biasVelocity!, momentum, options);

    /// <summary>
    /// w ← w − η·v and bias ← bias − η·v_bias for every layer, after <see cref="BackwardIntoVelocity"/>; with
    /// <paramref name="scaleHashedSteps"/>, a hashed layer's buckets step with η·√(B/(inputs·outputs)) (see <see cref="Trainers.Sgd.SgdOptions.ScaleHashedSteps"/>).
    /// </summary>
    public void ApplyVelocity(float learningRate, bool scaleHashedSteps, BlasOptions? options)
    {
        for (int l = 0; l < _z.Length; l++)
        {
            var layer = _model.LayerAt(l);
            float rate = scaleHashedSteps && layer.Spec.IsHashed ? (float)(learningRate * Math.Sqrt((double)layer.Spec.Buckets / ((double)layer.Inputs * layer.Outputs))) : learningRate;
            ElementwiseParts.Axpy(-rate, _weightVelocity![l], layer, options);
            Level1.Axpy(-learningRate, _biasVelocity![l], layer.Bias);
        }
    }

    /// <summary>The parameter gradients plus <paramref name="beta"/> times <paramref name="weightTargets"/> and <paramref name="biasTargets"/>, layer by layer from the last.</summary>
    private void BackwardInto(ReadOnlyMatrixView<float> input, float[][] weightTargets, float[][] biasTargets, float beta, BlasOptions? options)
    {
        if (!_training)
        {
            throw new InvalidOperationException("An inference workspace has no gradient buffers.");
        }
        for (int l = _z.Length - 1; l >= 0; l--)
        {
            var layer = _model.LayerAt(l);
            var dz = Matrix(_dz[l], layer.Outputs);
            var x = l == 0 ? input : Matrix(Activations(l - 1), layer.Inputs);
            layer.BackwardParameters(x, dz, weightTargets[l], biasTargets[l], beta, options);
            if (l == 0)
            {
                break;
            }
            int used = _rows * layer.Inputs;
            layer.BackwardInput(dz, Matrix(_dh[l - 1], layer.Inputs), options);
            ReadOnlySpan<float> rectified = _z[l - 1].AsSpan(0, used), dh = _dh[l - 1].AsSpan(0, used);
            Span<float> below = _dz[l - 1].AsSpan(0, used);
            if (_keep < 1f)
            {
                TernaryDriver.Run(rectified, dh, _draws[l - 1].AsSpan(0, used), below, new DropoutReluBackwardOperator(_keep));
            }
            else
            {
                // r ≥ the smallest subnormal is r > 0 for a rectified r: PyTorch's threshold_backward, as in ElmanRnn.
                Rectifiers.ShiftedReluBackward(rectified, dh, float.Epsilon, below);
            }
        }
    }

    /// <summary>Hidden layer l's activations as the next layer reads them: after dropout, or the rectified outputs without it.</summary>
    private float[] Activations(int layer) => _keep < 1f ? _h[layer] : _z[layer];

    private (float[][] Weights, float[][] Biases) ParameterBuffers()
    {
        var weights = new float[_z.Length][];
        var biases = new float[_z.Length][];
        for (int l = 0; l < _z.Length; l++)
        {
            var layer = _model.LayerAt(l);
            weights[l] = new float[layer.Weights.Length];
            biases[l] = new float[layer.Bias.Length];
        }
        return (weights, biases);
    }

    private MatrixView<float> Matrix(float[] data, int columns) => new(data.AsSpan(0, _rows * columns), _rows, columns);
}
