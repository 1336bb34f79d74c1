using System.Numerics;
using Kernels.Randomness;

namespace Kernels.Training.Ntk;

/// <summary>
/// The m features of an NTK random-feature map (<see cref="RandomFeatureMap{T}"/>): weights w_r ∈ R^d and scales s_r &gt; 0,
/// so that feature r contributes (s_r²/m)·⟨x, z⟩·1(⟨w_r, x⟩ ≥ 0)·1(⟨w_r, z⟩ ≥ 0) to φ(x)ᵀφ(z). Plain sampling draws
/// w_r ~ N(0, I) with s_r = 1 (<see cref="Plain"/>); leverage sampling resamples a pool (<see cref="LeverageSampling"/>).
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RandomFeatures<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The seed purpose of the weights (see the README's Seeds note); stream 0 is a plain draw, stream 1 a leverage pool.</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("ntkrf");

    private readonly Matrix<T> _weights;
    private readonly T[] _scales;

    /// <summary>Features from given weights and scales, both copied.</summary>
    /// <param name="weights">W, m × d with m ≥ 1 and d ≥ 1, finite.</param>
    /// <param name="scales">s, m positive finite values.</param>
    /// <exception cref="ArgumentException">A shape does not match, W is not finite, or a scale is not positive and finite.</exception>
    public RandomFeatures(ReadOnlyMatrixView<T> weights, ReadOnlySpan<T> scales)
    {
        ElementType.Require<T>();
        if (weights.Rows < 1 || weights.Columns < 1)
        {
            throw new ArgumentException($"weights is {weights.Rows} × {weights.Columns}; expected m × d with m, d ≥ 1.", nameof(weights));
        }
        Guard.RequireLength(scales.Length, weights.Rows, nameof(scales), "m, the rows of weights");
        NeuralTangentKernel.RequireFinite(weights, nameof(weights));
        for (int r = 0; r < scales.Length; r++)
        {
            if (!(T.IsFinite(scales[r]) && scales[r] > T.Zero))
            {
                throw new ArgumentException($"scales[{r}] is {scales[r]}; scales must be positive and finite.", nameof(scales));
            }
        }
        _weights = new Matrix<T>(weights);
        _scales = scales.ToArray();
    }

    private RandomFeatures(Matrix<T> weights, T[] scales)
    {
        _weights = weights;
        _scales = scales;
    }

    /// <summary>m, the number of features.</summary>
    public int Count => _weights.Rows;

    /// <summary>d, the input dimension.</summary>
    public int Dimension => _weights.Columns;

    /// <summary>W, m × d.</summary>
    public ReadOnlyMatrixView<T> Weights => _weights.ReadOnlyView;

    /// <summary>s, m values.</summary>
    public ReadOnlySpan<T> Scales => _scales;

    /// <summary>Plain sampling: m weights w_r ~ N(0, I_d) from <c>CounterRandom(Derive(seed, Purpose("ntkrf")), 0)</c>, all scales 1.</summary>
    /// <param name="count">m ≥ 1.</param>
    /// <param name="dimension">d ≥ 1.</param>
    /// <param name="seed">The user seed.</param>
    /// <returns>The features; the same seed gives the same bits.</returns>
    /// <exception cref="ArgumentOutOfRangeException">m or d is below 1.</exception>
    /// <exception cref="InsufficientMemoryException">m·d values do not fit (the message gives the bytes).</exception>
    public static RandomFeatures<T> Plain(int count, int dimension, ulong seed)
    {
        ElementType.Require<T>();
        var weights = Gaussian(count, dimension, seed, 0);
        var scales = new T[count];
        Array.Fill(scales, T.One);
        return new RandomFeatures<T>(weights, scales);
    }

    /// <summary>m × d standard normal weights from stream <paramref name="stream"/> of the features' seed.</summary>
    internal static Matrix<T> Gaussian(int count, int dimension, ulong seed, ulong stream)
    {
        Guard.RequireAtLeast(count, 1, nameof(count));
        Guard.RequireAtLeast(dimension, 1, nameof(dimension));
        MemoryBudget.Require((long)count * dimension, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), $"{count} weights of dimension {dimension}");
        var weights = new Matrix<T>(count, dimension);
        new CounterRandom(CounterRandom.Derive(seed, SeedPurpose), stream).FillNormal(weights.AsSpan(), T.Zero, T.One);
        return weights;
    }

    /// <summary>Features taken over without copying (for <see cref="LeverageSampling"/>).</summary>
    internal static RandomFeatures<T> Own(Matrix<T> weights, T[] scales) => new(weights, scales);
}
