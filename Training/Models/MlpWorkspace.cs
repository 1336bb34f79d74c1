using Kernels.Activations;
using Kernels.Blas;
using Kernels.Elementwise;
using Kernels.Randomness;

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
/// Per hidden layer l: the pre-activations Z_l, the activations H_l = ReLU(Z_l) ⊙ M_l with the inverted-dropout mask
/// M_l ∈ {0, 1/p} (all ones without dropout), and the gradients dH_l, dZ_l. The last layer's outputs Z_L are the logits;
/// its gradient is (softmax(Z_L) − onehot(y)) / rows, the gradient of the mean cross-entropy.
/// </remarks>
internal sealed class MlpWorkspace
{
    private readonly Mlp _model;
    private readonly float[][] _z, _h, _mask, _dz, _dh, _weightGradient, _biasGradient, _weightVelocity, _biasVelocity;
    private readonly float[] _probabilities, _logSumExp;
    private int _rows;
    private bool _dropped;

    public MlpWorkspace(Mlp model, int maxBatch)
    {
        _model = model;
        MaxBatch = maxBatch;
        int n = model.Layers.Count;
        _z = new float[n][];
        _h = new float[n][];
        _mask = new float[n][];
        _dz = new float[n][];
        _dh = new float[n][];
        _weightGradient = new float[n][];
        _biasGradient = new float[n][];
        _weightVelocity = new float[n][];
        _biasVelocity = new float[n][];
        for (int l = 0; l < n; l++)
        {
            int width = model.Layers[l].Outputs;
            _z[l] = new float[maxBatch * width];
            _dz[l] = new float[maxBatch * width];
            bool hidden = l < n - 1;
            _h[l] = hidden ? new float[maxBatch * width] : [];
            _mask[l] = hidden ? new float[maxBatch * width] : [];
            _dh[l] = hidden ? new float[maxBatch * width] : [];
        }
        int classes = model.Classes;
        _probabilities = new float[maxBatch * classes];
        _logSumExp = new float[maxBatch];
    }

    public int MaxBatch { get; }

    /// <summary>Allocates the gradient and momentum buffers (training only; inference never needs them).</summary>
    public void AllocateTrainingBuffers()
    {
        for (int l = 0; l < _z.Length; l++)
        {
            var layer = _model.LayerAt(l);
            _weightGradient[l] = new float[layer.Weights.Length];
            _biasGradient[l] = new float[layer.Bias.Length];
            _weightVelocity[l] = new float[layer.Weights.Length];
            _biasVelocity[l] = new float[layer.Bias.Length];
        }
    }

    /// <summary>The gradient of layer l's real weights from the last <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> WeightGradient(int layer) => _weightGradient[layer];

    /// <summary>The gradient of layer l's bias from the last <see cref="Backward"/>.</summary>
    public ReadOnlySpan<float> BiasGradient(int layer) => _biasGradient[layer];

    /// <summary>The forward pass of <paramref name="input"/> (at most <see cref="MaxBatch"/> rows), with or without dropout.</summary>
    public void Forward(ReadOnlyMatrixView<float> input, Dropout dropout, BlasOptions? options)
    {
        _rows = input.Rows;
        _dropped = dropout.Enabled;
        int last = _z.Length - 1;
        var x = input;
        for (int l = 0; l <= last; l++)
        {
            var layer = _model.LayerAt(l);
            var z = Matrix(_z[l], layer.Outputs);
            layer.Forward(x, z, options);
            if (l == last)
            {
                break;
            }
            int used = _rows * layer.Outputs;
            Span<float> h = _h[l].AsSpan(0, used);
            Rectifiers.Relu<float>(_z[l].AsSpan(0, used), h);
            if (_dropped)
            {
                Span<float> mask = _mask[l].AsSpan(0, used);
                new CounterRandom(dropout.Seed, (ulong)dropout.Step * (ulong)_z.Length + (ulong)l).FillUniform(mask);
                float keep = dropout.KeepRate, scale = 1f / keep;
                for (int k = 0; k < mask.Length; k++)
                {
                    mask[k] = mask[k] < keep ? scale : 0f;
                }
                Arithmetic.Hadamard<float>(h, mask, h);
            }
            x = Matrix(_h[l], layer.Outputs);
        }
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

    /// <summary>Every layer's parameter gradients from dZ_L, back through the ReLUs and dropout masks of the last forward pass of <paramref name="input"/>.</summary>
    public void Backward(ReadOnlyMatrixView<float> input, BlasOptions? options)
    {
        for (int l = _z.Length - 1; l >= 0; l--)
        {
            var layer = _model.LayerAt(l);
            var dz = Matrix(_dz[l], layer.Outputs);
            var x = l == 0 ? input : Matrix(_h[l - 1], layer.Inputs);
            layer.BackwardParameters(x, dz, _weightGradient[l], _biasGradient[l], options);
            if (l == 0)
            {
                break;
            }
            int used = _rows * layer.Inputs;
            layer.BackwardInput(dz, Matrix(_dh[l - 1], layer.Inputs), options);
            Span<float> dh = _dh[l - 1].AsSpan(0, used);
            if (_dropped)
            {
                Arithmetic.Hadamard<float>(dh, _mask[l - 1].AsSpan(0, used), dh);
            }
            // dZ = dH where Z ≥ 0; at Z = 0 exactly (measure zero) the subgradient 1 is taken.
            Rectifiers.ShiftedReluBackward<float>(_z[l - 1].AsSpan(0, used), dh, 0f, _dz[l - 1].AsSpan(0, used));
        }
    }

    /// <summary>
    /// SGD with momentum as PyTorch takes it: v ← μ·v + g, w ← w − η·v, for every layer's weights and bias; with
    /// <paramref name="scaleHashedSteps"/>, a hashed layer's buckets step with η·√(B/(inputs·outputs)) (see <see cref="Trainers.Sgd.SgdOptions.ScaleHashedSteps"/>).
    /// </summary>
    public void Update(float learningRate, float momentum, bool scaleHashedSteps)
    {
        for (int l = 0; l < _z.Length; l++)
        {
            var layer = _model.LayerAt(l);
            float rate = scaleHashedSteps && layer.Spec.IsHashed ? (float)(learningRate * Math.Sqrt((double)layer.Spec.Buckets / ((double)layer.Inputs * layer.Outputs))) : learningRate;
            Step(layer.Weights, _weightGradient[l], _weightVelocity[l], rate, momentum);
            Step(layer.Bias, _biasGradient[l], _biasVelocity[l], learningRate, momentum);
        }
    }

    private static void Step(Span<float> parameters, ReadOnlySpan<float> gradient, Span<float> velocity, float learningRate, float momentum)
    {
        Level1.Scale(momentum, velocity);
        Level1.Axpy(1f, gradient, velocity);
        Level1.Axpy(-learningRate, velocity, parameters);
    }

    private MatrixView<float> Matrix(float[] data, int columns) => new(data.AsSpan(0, _rows * columns), _rows, columns);
}
