using Kernels.Activations;
using Kernels.Blas;
using Kernels.Layers;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;

namespace Kernels.Training.Models;

/// <summary>
/// One layer of an <see cref="Mlp"/>, dense or hashed: the two lower-layer types share the layer convention but no
/// interface, so this is the one place the MLP tells them apart.
/// </summary>
internal sealed class MlpLayer
{
    private readonly Linear<float>? _dense;
    private readonly HashedLinear<float>? _hashed;

    /// <summary>A dense layer, or a signed hashed layer whose hash is multiply-shift (seed, stream).</summary>
    public MlpLayer(int inputs, MlpLayerSpec spec, ulong hashSeed, ulong hashStream)
    {
        Inputs = inputs;
        Spec = spec;
        if (spec.IsHashed)
        {
            _hashed = new HashedLinear<float>(inputs, spec.Outputs, spec.Buckets, new MultiplyShift(hashSeed, hashStream));
        }
        else
        {
            _dense = new Linear<float>(inputs, spec.Outputs);
        }
    }

    public int Inputs { get; }

    public int Outputs => Spec.Outputs;

    public MlpLayerSpec Spec { get; }

    /// <summary>The real weights: W (outputs × inputs) for a dense layer, the B bucket weights for a hashed one.</summary>
    public Span<float> Weights => _dense is not null ? _dense.Weights : _hashed!.Weights;

    public Span<float> Bias => _dense is not null ? _dense.Bias : _hashed!.Bias;

    public void InitializeUniform(float bound, ulong seed)
    {
        if (_dense is not null)
        {
            _dense.InitializeUniform(bound, seed);
        }
        else
        {
            _hashed!.InitializeUniform(bound, seed);
        }
    }

    public void Forward(ReadOnlyMatrixView<float> input, MatrixView<float> output, BlasOptions? options)
    {
        if (_dense is not null)
        {
            _dense.Forward(input, output, options);
        }
        else
        {
            _hashed!.Forward(input, output, options);
        }
    }

    /// <summary>
    /// Output ← ReLU(input·Wᵀ + bias). A dense layer rectifies in its Gemm's store (<see cref="Level3.GemmBiasActivation{T}"/>),
    /// so the batch's pre-activations are written once and never re-read; a hashed layer rectifies in place after its product.
    /// </summary>
    public void ForwardRelu(ReadOnlyMatrixView<float> input, MatrixView<float> output, BlasOptions? options)
    {
        if (_dense is not null)
        {
            Guard.RequireColumns<float>(input, Inputs, nameof(input), "batch × inputs");
            Level3.GemmBiasActivation(Transpose.None, Transpose.Transposed, 1f, input, new ReadOnlyMatrixView<float>(_dense.Weights, Outputs, Inputs), 0f, output,
                _dense.Bias, GemmActivation.Relu, 0f, options);
        }
        else
        {
            _hashed!.Forward(input, output, options);
            for (int row = 0; row < output.Rows; row++)
            {
                Rectifiers.Relu<float>(output.Row(row), output.Row(row));
            }
        }
    }

    public void BackwardInput(ReadOnlyMatrixView<float> outputGradient, MatrixView<float> inputGradient, BlasOptions? options)
    {
        if (_dense is not null)
        {
            _dense.BackwardInput(outputGradient, inputGradient, 0f, options);
        }
        else
        {
            _hashed!.BackwardInput(outputGradient, inputGradient, 0f, options);
        }
    }

    /// <summary>The parameter gradients plus <paramref name="beta"/> times the destinations (beta = μ makes them the momentum update v ← g + μ·v).</summary>
    public void BackwardParameters(ReadOnlyMatrixView<float> input, ReadOnlyMatrixView<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, float beta, BlasOptions? options)
    {
        if (_dense is not null)
        {
            _dense.BackwardParameters(input, outputGradient, weightGradient, biasGradient, beta, options);
        }
        else
        {
            _hashed!.BackwardParameters(input, outputGradient, weightGradient, biasGradient, beta, options);
        }
    }

    /// <summary>The (virtual) outputs × inputs weight matrix, materialized.</summary>
    public void CopyWeightMatrix(MatrixView<float> destination)
    {
        if (_dense is not null)
        {
            for (int i = 0; i < Outputs; i++)
            {
                _dense.Weights.Slice(i * Inputs, Inputs).CopyTo(destination.Row(i));
            }
        }
        else
        {
            _hashed!.CopyVirtualMatrix(destination);
        }
    }
}
