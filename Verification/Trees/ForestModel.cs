using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Trees;

/// <summary>
/// The naive model of a threshold forest: the weights W (m × d) and data X (n × d) as the forest received them,
/// and the n × m matrix of inner products ⟨w_j, x_i⟩ computed in double, with Σ|w_jk·x_ik| for the tolerance.
/// For small-integer data every product and sum is exact in float, so the model equals the forest bit for bit.
/// </summary>
internal sealed class ForestModel
{
    private readonly double[] _products;
    private readonly double[] _magnitudes;

    /// <summary>A model with weights and data of the given kind drawn from <paramref name="seed"/>.</summary>
    public ForestModel(int points, int neurons, int dimension, ValueKind kind, int seed)
    {
        Points = points;
        Neurons = neurons;
        Dimension = dimension;
        Kind = kind;
        Data = SampleData.Vector<float>(points * dimension, kind, seed).ToArray();
        Weights = Draw(neurons, seed + 1);
        _products = new double[points * neurons];
        _magnitudes = new double[points * neurons];
        for (int j = 0; j < neurons; j++)
        {
            Recompute(j);
        }
    }

    /// <summary>n.</summary>
    public int Points { get; }

    /// <summary>m.</summary>
    public int Neurons { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>The kind of the values.</summary>
    public ValueKind Kind { get; }

    /// <summary>True when every inner product is exact in float, so the forest must match the model bit for bit.</summary>
    public bool Exact => Kind == ValueKind.SmallIntegers;

    /// <summary>X, row-major n × d.</summary>
    public float[] Data { get; }

    /// <summary>W, row-major m × d.</summary>
    public float[] Weights { get; }

    /// <summary>
    /// <paramref name="rows"/> rows of d values of the model's kind, drawn from <paramref name="seed"/>; about a
    /// quarter are zero rows and a quarter are scaled by 16, which is exact, so the data stays exact.
    /// </summary>
    public float[] Draw(int rows, int seed)
    {
        float[] values = SampleData.Vector<float>(rows * Dimension, Kind, seed).ToArray();
        var random = new System.Random(~seed);
        for (int r = 0; r < rows; r++)
        {
            float scale = random.Next(4) switch { 0 => 0, 1 => 16, _ => 1 };
            foreach (ref float v in values.AsSpan(r * Dimension, Dimension))
            {
                v *= scale;
            }
        }
        return values;
    }

    /// <summary>The first neuron with the largest inner product for point <paramref name="i"/>: the maximum of its tree.</summary>
    public int ArgMax(int i)
    {
        int best = 0;
        for (int j = 1; j < Neurons; j++)
        {
            if (Product(i, j) > Product(i, best))
            {
                best = j;
            }
        }
        return best;
    }

    /// <summary>⟨w_j, x_i⟩ in double.</summary>
    public double Product(int i, int j) => _products[i * Neurons + j];

    /// <summary>Σ_k |w_jk·x_ik|, the scale of the rounding error of ⟨w_j, x_i⟩.</summary>
    public double Magnitude(int i, int j) => _magnitudes[i * Neurons + j];

    /// <summary>Sets w_j and recomputes column j.</summary>
    public void Set(int j, ReadOnlySpan<float> row)
    {
        row.CopyTo(Weights.AsSpan(j * Dimension, Dimension));
        Recompute(j);
    }

    /// <summary>The neurons j with ⟨w_j, x_i⟩ ≥ τ in the model, ascending.</summary>
    public List<int> Active(int i, float threshold) =>
        Enumerable.Range(0, Neurons).Where(j => Product(i, j) >= threshold).ToList();

    private void Recompute(int j)
    {
        for (int i = 0; i < Points; i++)
        {
            double sum = 0, magnitude = 0;
            for (int k = 0; k < Dimension; k++)
            {
                double term = (double)Weights[j * Dimension + k] * Data[i * Dimension + k];
                sum += term;
                magnitude += Math.Abs(term);
            }
            _products[i * Neurons + j] = sum;
            _magnitudes[i * Neurons + j] = magnitude;
        }
    }
}
