using Kernels.Linalg;

namespace Kernels.Bench.Harness;

/// <summary>
/// Ordinary least squares y ≈ c₀ + c₁·x₁ + … + c_k·x_k through the library's Householder QR, with the coefficient of
/// determination R², for the experiments' log–log fits (exponents and constants).
/// </summary>
/// <param name="Coefficients">c₀ (the intercept), then one coefficient per feature.</param>
/// <param name="RSquared">1 − (residual sum of squares)/(total sum of squares about the mean of y).</param>
/// <param name="Points">How many observations were fitted.</param>
public sealed record LinearFit(double[] Coefficients, double RSquared, int Points)
{
    /// <summary>Fits y on the features; every row of <paramref name="features"/> holds one observation's x₁ … x_k.</summary>
    /// <remarks>As many observations as coefficients determine them exactly (no residual, R² = 1): a slope through two points.</remarks>
    /// <exception cref="ArgumentException">The counts differ, or there are fewer observations than coefficients.</exception>
    public static LinearFit Of(IReadOnlyList<double[]> features, IReadOnlyList<double> y)
    {
        int n = y.Count;
        if (features.Count != n || n == 0)
        {
            throw new ArgumentException($"{features.Count} feature rows for {n} observations.", nameof(features));
        }
        int k = features[0].Length + 1;
        if (n < k)
        {
            throw new ArgumentException($"{n} observations cannot determine {k} coefficients.", nameof(y));
        }
        var a = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            a[i * k] = 1;
            features[i].CopyTo(a, i * k + 1);
        }
        var b = y.ToArray();
        var coefficients = new double[k];
        HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, n, k)).SolveLeastSquares(b, coefficients);
        double residual = b.AsSpan(k).ToArray().Sum(r => r * r);
        double mean = y.Average();
        double total = y.Sum(v => (v - mean) * (v - mean));
        return new LinearFit(coefficients, total > 0 ? 1 - residual / total : 1, n);
    }

    /// <summary>The slope and R² of y on a single x.</summary>
    public static LinearFit Line(IReadOnlyList<double> x, IReadOnlyList<double> y) => Of(x.Select(v => new[] { v }).ToList(), y);
}
