using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Operators;

namespace Kernels.Testing;

/// <summary>
/// Assertions on sketch operators built on Kernels.Sketching's <c>Diagnostics</c>: the subspace distortion of an
/// oblivious subspace embedding and the Johnson–Lindenstrauss distance ratios. Each checks the claim "a draw is good
/// with probability at least 1 − δ" on independent draws (<see cref="RepeatedDraws"/>), so a correct sketch fails the
/// assertion with probability at most the false-alarm probability given, and a sketch that breaks the claim fails it
/// with a probability that grows with the number of draws.
/// </summary>
/// <remarks>Draws are independent when <c>sample</c> returns operators of distinct seeds, which the library's
/// counter-based seeding makes independent (the kit treats the generator as fully random, as its own tests do).</remarks>
public static class SketchAssertions
{
    /// <summary>
    /// Asserts the (ε, δ) subspace-embedding claim: for each of <paramref name="draws"/> sketches S = sample(t), the
    /// distortion max(λmax − 1, 1 − λmin) of (SQ)ᵀ(SQ), Q an orthonormal basis of the column span of
    /// <paramref name="basis"/>, is at most ε except with probability δ. Fails a correct sketch with probability at most
    /// <paramref name="falseAlarm"/> (see <see cref="RepeatedDraws"/>).
    /// </summary>
    /// <param name="sample">The sketch of draw t (an s × N operator; distinct t must give independent draws).</param>
    /// <param name="basis">N × d with full column rank; orthonormalized by Householder QR before use.</param>
    /// <param name="epsilon">ε in (0, 1]: the claimed distortion.</param>
    /// <param name="drawFailure">δ in (0, 1): the claimed probability that one draw exceeds ε.</param>
    /// <param name="draws">The number of independent draws, at least 1.</param>
    /// <param name="falseAlarm">p in (0, 1): the probability with which a correct sketch may fail the assertion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sample"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">ε, δ, p or the draw count is out of range.</exception>
    /// <exception cref="ArgumentException">A sketch does not have N columns, or the basis is rank-deficient.</exception>
    /// <exception cref="Xunit.Sdk.XunitException">Too many draws exceed ε.</exception>
    public static void AssertSubspaceEmbedding<T>(Func<int, ISketch<T>> sample, ReadOnlyMatrixView<T> basis, double epsilon,
        double drawFailure, int draws, double falseAlarm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sample);
        RequireEpsilon(epsilon, allowOne: true);
        RepeatedDraws.AllowedFailures(draws, drawFailure, falseAlarm);
        var failures = new List<string>();
        for (int t = 0; t < draws; t++)
        {
            SubspaceDistortionResult result = SubspaceDistortion.Measure(sample(t), basis, BasisHandling.Orthonormalize);
            if (!result.IsWithin(epsilon))
            {
                failures.Add($"draw {t}: eigenvalues of (SQ)ᵀ(SQ) in [{result.MinEigenvalue:F4}, {result.MaxEigenvalue:F4}], distortion {result.Distortion:F4} > ε = {epsilon}");
            }
        }
        RepeatedDraws.Assert(draws, drawFailure, falseAlarm, failures, $"subspace embedding of a {basis.Rows}×{basis.Columns} basis");
    }

    /// <summary>
    /// Asserts the Johnson–Lindenstrauss claim: for each of <paramref name="draws"/> sketches S = sample(t), every ratio
    /// ‖Sxᵢ − Sxⱼ‖² / ‖xᵢ − xⱼ‖² over pairs of distinct points lies strictly inside (1 − ε, 1 + ε), except with
    /// probability δ per draw (for all pairs at once). Fails a correct sketch with probability at most
    /// <paramref name="falseAlarm"/>; <see cref="GaussianDistanceFailure"/> gives δ for a Gaussian sketch.
    /// </summary>
    /// <param name="sample">The sketch of draw t (an s × N operator; distinct t must give independent draws).</param>
    /// <param name="points">The points as the columns of an N × n matrix.</param>
    /// <param name="epsilon">ε in (0, 1).</param>
    /// <param name="drawFailure">δ in (0, 1): the claimed probability that some pair of one draw leaves (1 − ε, 1 + ε).</param>
    /// <param name="draws">The number of independent draws, at least 1.</param>
    /// <param name="falseAlarm">p in (0, 1): the probability with which a correct sketch may fail the assertion.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sample"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">ε, δ, p or the draw count is out of range.</exception>
    /// <exception cref="ArgumentException">A sketch does not have N columns.</exception>
    /// <exception cref="Xunit.Sdk.XunitException">Too many draws distort some distance by more than ε.</exception>
    public static void AssertDistanceRatios<T>(Func<int, ISketch<T>> sample, ReadOnlyMatrixView<T> points, double epsilon,
        double drawFailure, int draws, double falseAlarm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sample);
        RequireEpsilon(epsilon, allowOne: false);
        RepeatedDraws.AllowedFailures(draws, drawFailure, falseAlarm);
        var failures = new List<string>();
        for (int t = 0; t < draws; t++)
        {
            ISketch<T> sketch = sample(t);
            if (sketch.Columns != points.Rows)
            {
                throw new ArgumentException($"points is {points.Rows}×{points.Columns}; the {sketch.Rows}×{sketch.Columns} sketch of draw {t} needs {sketch.Columns} rows.", nameof(points));
            }
            var embedded = new T[sketch.Rows * points.Columns];
            var view = new MatrixView<T>(embedded, sketch.Rows, points.Columns);
            sketch.Apply(points, view);
            DistanceRatioRange range = DistanceRatios.PairwiseSquared(points, view);
            if (!range.IsWithin(epsilon))
            {
                failures.Add($"draw {t}: squared-distance ratios in [{range.Min:F4}, {range.Max:F4}] over {range.Pairs} pairs, ε = {epsilon}");
            }
        }
        RepeatedDraws.Assert(draws, drawFailure, falseAlarm, failures, $"distance ratios of {points.Columns} points in R^{points.Rows}");
    }

    /// <summary>
    /// δ for <see cref="AssertDistanceRatios"/> with a Gaussian sketch of <paramref name="rows"/> rows (entries N(0, 1/k)):
    /// for one pair the ratio is exactly χ²ₖ/k, and Chernoff's bound gives
    /// P(χ²ₖ/k ≥ 1 + ε) ≤ exp(−k(ε − ln(1 + ε))/2) and P(χ²ₖ/k ≤ 1 − ε) ≤ exp(−k(−ε − ln(1 − ε))/2); the union over
    /// <paramref name="pairs"/> pairs multiplies their sum (capped at 1).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="pairs"/> is below 1, or ε is outside (0, 1).</exception>
    public static double GaussianDistanceFailure(int rows, double epsilon, int pairs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        RequireEpsilon(epsilon, allowOne: false);
        double upper = Math.Exp(-rows * (epsilon - Math.Log(1 + epsilon)) / 2);
        double lower = Math.Exp(-rows * (-epsilon - Math.Log(1 - epsilon)) / 2);
        return Math.Min(1, pairs * (upper + lower));
    }

    private static void RequireEpsilon(double epsilon, bool allowOne)
    {
        if (!(epsilon > 0 && (allowOne ? epsilon <= 1 : epsilon < 1)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, allowOne ? "ε must lie in (0, 1]." : "ε must lie in (0, 1).");
        }
    }
}
