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

    public void BackwardParameters(ReadOnlyMatrixView<float> input, ReadOnlyMatrixView<float> outputGradient, Span<float> weightGradient, Span<float> biasGradient, BlasOptions? options)
    {
        if (_dense is not null)
        {
            _dense.BackwardParameters(input, outputGradient, weightGradient, biasGradient, 0f, options);
        }
        else
        {
            _hashed!.BackwardParameters(input, outputGradient, weightGradient, biasGradient, 0f, options);
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
