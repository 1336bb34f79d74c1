using System.Numerics;
using Xunit.Sdk;

namespace Kernels.Verification.Infrastructure;

/// <summary>A backward pass that writes its gradients into <paramref name="gradients"/> with the given beta.</summary>
public delegate void BackwardPass<T>(T[][] gradients, T beta);

/// <summary>
/// The accumulate contract every layer's backward pass shares: with beta = 0 the gradients are overwritten and their
/// old contents never read (NaN there does not show), and with any other beta the result is beta·old + the fresh gradient.
/// </summary>
public static class AccumulationCheck
{
    /// <summary>
    /// Runs the pass into NaN-filled destinations with beta = 0 (the fresh gradient G, which must be finite), then into
    /// random destinations R with beta = 1 and beta = −0.5, and checks beta·R + G. The accumulated result is formed in a
    /// different order than G alone (Gemm adds beta·R to its first depth block), so the bound is 64 rounding errors of the
    /// largest term of the gradient.
    /// </summary>
    public static void Assert<T>(int[] lengths, BackwardPass<T> backward, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[][] fresh = lengths.Select(n => Enumerable.Repeat(T.NaN, n).ToArray()).ToArray();
        backward(fresh, T.Zero);
        for (int g = 0; g < fresh.Length; g++)
        {
            for (int k = 0; k < fresh[g].Length; k++)
            {
                if (!T.IsFinite(fresh[g][k]))
                {
                    throw new XunitException($"gradient {g}[{k}] = {fresh[g][k]} with beta = 0: the old contents (NaN) were read.");
                }
            }
        }
        foreach (double betaValue in new[] { 1.0, -0.5 })
        {
            T beta = T.CreateChecked(betaValue);
            T[][] old = lengths.Select((n, g) => SampleData.Vector<T>(n, ValueKind.Uniform, seed + g).ToArray()).ToArray();
            T[][] accumulated = old.Select(a => (T[])a.Clone()).ToArray();
            backward(accumulated, beta);
            for (int g = 0; g < fresh.Length; g++)
            {
                double scale = fresh[g].Length == 0 ? 0 : fresh[g].Max(v => Math.Abs(double.CreateChecked(v)));
                for (int k = 0; k < fresh[g].Length; k++)
                {
                    double prior = betaValue * double.CreateChecked(old[g][k]);
                    Tolerance.AssertClose(accumulated[g][k], prior + double.CreateChecked(fresh[g][k]), Math.Abs(prior) + scale, 64,
                        $"gradient {g}[{k}] with beta = {betaValue}");
                }
            }
        }
    }
}
