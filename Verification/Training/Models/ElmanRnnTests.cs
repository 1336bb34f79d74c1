using System.Numerics;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Verification.Infrastructure;
using Xunit.Sdk;

namespace Kernels.Verification.Training.Models;

public sealed class ElmanRnnTests
{
    /// <summary>
    /// The batched, Gemm-based loss, gradients and per-step norms equal the unbatched scalar reference on small random
    /// problems (sizes drawn from the case's seed). Double: within 1e-11 of each quantity's scale (the sums have a few
    /// hundred terms, each rounded at 1.1e-16). Float: within 1e-4 of the scale (float rounding, 6e-8 per operation,
    /// grown over L = up to 6 steps of m-term sums).
    /// </summary>
    [KernelProperty(MaxTest = 40)]
    public void GradientMatchesTheUnbatchedReference(ulong seed)
    {
        int m = 1 + (int)(seed % 9), dx = 2 + (int)(seed / 9 % 4), d = 1 + (int)(seed / 36 % 3), n = 1 + (int)(seed / 108 % 4), length = 2 + (int)(seed / 432 % 5);
        Check<double>(m, dx, d, n, length, seed, 1e-11);
        Check<float>(m, dx, d, n, length, seed, 1e-4);
    }

    /// <summary>
    /// ∂f/∂W, ∂f/∂A and ∂f/∂B against central differences in double. f is piecewise polynomial in the weights (ReLU
    /// kinks between pieces); with step 1e-6 the truncation error is O(h²·f''') ≈ 1e-12 and rounding ≈ 1e-16·|f|/h ≈
    /// 1e-10 here, so 1e-6·(1 + |g|) leaves a wide margin, while a wrong index, sign or transpose is off by O(|g|). A
    /// kink inside ±h of a weight would break the check, with probability of order h per entry: none at these seeds.
    /// </summary>
    [Theory]
    [InlineData(5, 3, 2, 3, 4, 1UL)]
    [InlineData(8, 4, 3, 2, 6, 2UL)]
    public void GradientMatchesFiniteDifferences(int m, int dx, int d, int n, int length, ulong seed)
    {
        var model = new ElmanRnn<double>(m, dx, d, seed);
        var data = SyntheticSequences.Separable<double>(n, length, dx, d, seed + 100, separation: 0.01);
        var workspace = new ElmanRnnWorkspace<double>(model, n, length);
        var gradient = new ElmanRnnGradient<double>(model, length, includeInput: true, includeOutput: true);
        model.Gradient(data, workspace, gradient);
        const double h = 1e-6;
        double[] w = model.Recurrent.Data.ToArray(), a = model.Input.Data.ToArray(), b = model.Output.Data.ToArray();
        double Loss() => ElmanRnn<double>.FromWeights(new(w, m, m), new(a, m, dx), new(b, d, m), seed).Loss(data, workspace);
        foreach (var (name, weights, analytic) in new[] { ("W", w, gradient.Recurrent.AsSpan().ToArray()), ("A", a, gradient.Input!.AsSpan().ToArray()), ("B", b, gradient.Output!.AsSpan().ToArray()) })
        {
            for (int k = 0; k < weights.Length; k++)
            {
                double kept = weights[k];
                weights[k] = kept + h;
                double up = Loss();
                weights[k] = kept - h;
                double down = Loss();
                weights[k] = kept;
                double numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[k]) <= 1e-6 * (1 + Math.Abs(analytic[k])),
                    $"∂f/∂{name}[{k}]: BPTT {analytic[k]:R}, finite differences {numeric:R}");
            }
        }
    }

    /// <summary>
    /// Initialization: W and A entries have variance 2/m, B entries 1/d. With k samples the sample variance has relative
    /// standard deviation √(2/k) (0.55 % for W at m = 256, 1.6 % for B at k = 8·1024): a 10 % band is over 6 standard
    /// deviations for every matrix, a failure probability below 1e-9. The same seed gives the same bits.
    /// </summary>
    [Fact]
    public void InitializationHasThePapersVariances()
    {
        var model = new ElmanRnn<float>(256, 32, 8, 7);
        AssertVariance(model.Recurrent.Data, 2.0 / 256, "W");
        AssertVariance(model.Input.Data, 2.0 / 256, "A");
        AssertVariance(model.Output.Data, 1.0 / 8, "B");
        Assert.True(model.Recurrent.Data.SequenceEqual(new ElmanRnn<float>(256, 32, 8, 7).Recurrent.Data));
        Assert.False(model.Recurrent.Data.SequenceEqual(new ElmanRnn<float>(256, 32, 8, 8).Recurrent.Data));
    }

    [Fact]
    public void BadInputThrowsBeforeAnyWork()
    {
        Assert.Throws<ArgumentOutOfRangeException>("hidden", () => new ElmanRnn<float>(0, 3, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>("inputDimension", () => new ElmanRnn<float>(4, 0, 2, 1));
        var model = new ElmanRnn<double>(4, 3, 2, 1);
        Assert.Throws<ArgumentOutOfRangeException>("length", () => new ElmanRnnWorkspace<double>(model, 2, 0));
        Assert.Throws<ArgumentOutOfRangeException>("count", () => new ElmanRnnWorkspace<double>(model, 0, 3));
        var tooLarge = Assert.Throws<ArgumentOutOfRangeException>("count", () => new ElmanRnnWorkspace<double>(new ElmanRnn<double>(1 << 14, 1, 1, 1), 1 << 14, 64));
        Assert.Contains("bytes", tooLarge.Message);

        var wrongDimension = SyntheticSequences.Separable<double>(2, 3, 5, 2, 1);
        var workspace = new ElmanRnnWorkspace<double>(model, 2, 3);
        var gradient = new ElmanRnnGradient<double>(model, 3);
        var before = gradient.Recurrent.AsSpan().ToArray();
        Assert.Contains("d_x = 3", Assert.Throws<ArgumentException>("data", () => model.Gradient(wrongDimension, workspace, gradient)).Message);
        var longer = SyntheticSequences.Separable<double>(2, 4, 3, 2, 1);
        Assert.Throws<ArgumentException>("workspace", () => model.Gradient(longer, workspace, gradient));
        Assert.Throws<ArgumentException>("gradient", () => model.Gradient(longer, new ElmanRnnWorkspace<double>(model, 2, 4), gradient));
        Assert.True(before.AsSpan().SequenceEqual(gradient.Recurrent.AsSpan()));

        var w = new double[16];
        w[5] = double.NaN;
        Assert.Throws<ArgumentException>("recurrent", () => ElmanRnn<double>.FromWeights(new(w, 4, 4), model.Input, model.Output, 1));
        Assert.Throws<ArgumentException>("input", () => ElmanRnn<double>.FromWeights(model.Recurrent, new(new double[15], 5, 3), model.Output, 1));
        Assert.Throws<ArgumentException>("output", () => ElmanRnn<double>.FromWeights(model.Recurrent, model.Input, new(new double[10], 2, 5), 1));
    }

    private static void Check<T>(int m, int dx, int d, int n, int length, ulong seed, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new ElmanRnn<T>(m, dx, d, seed);
        var data = SyntheticSequences.Separable<T>(n, length, dx, d, seed ^ 0x5A5A, separation: 1e-3);
        var gradient = new ElmanRnnGradient<T>(model, length, includeInput: true, includeOutput: true);
        double loss = model.Gradient(data, new ElmanRnnWorkspace<T>(model, n, length), gradient);
        var reference = ElmanRnnReference.Evaluate(model, data);
        string context = $"{typeof(T).Name} m={m} dx={dx} d={d} n={n} L={length}";
        AssertClose(loss, reference.Loss, reference.Loss, tolerance, context + " loss");
        AssertAllClose(gradient.Recurrent.AsSpan(), reference.Recurrent, tolerance, context + " dW");
        AssertAllClose(gradient.Input!.AsSpan(), reference.Input, tolerance, context + " dA");
        AssertAllClose(gradient.Output!.AsSpan(), reference.Output, tolerance, context + " dB");
        for (int step = 0; step < length; step++)
        {
            AssertClose(gradient.HiddenNorms[step], reference.HiddenNorms[step], reference.HiddenNorms.Max(), tolerance, $"{context} ‖∂f/∂h_{step + 1}‖");
        }
    }

    private static void AssertAllClose<T>(ReadOnlySpan<T> actual, double[] expected, double tolerance, string context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int k = 0; k < expected.Length; k++)
        {
            AssertClose(double.CreateChecked(actual[k]), expected[k], scale, tolerance, $"{context}[{k}]");
        }
    }

    private static void AssertClose(double actual, double expected, double scale, double tolerance, string context)
    {
        if (!(Math.Abs(actual - expected) <= tolerance * (1 + scale)))
        {
            throw new XunitException($"{context}: got {actual:R}, reference {expected:R} (scale {scale:G3}, tolerance {tolerance}).");
        }
    }

    private static void AssertVariance(ReadOnlySpan<float> values, double expected, string name)
    {
        double squares = 0;
        foreach (float v in values)
        {
            squares += (double)v * v;
        }
        double variance = squares / values.Length;
        Assert.True(variance >= 0.9 * expected && variance <= 1.1 * expected, $"{name}: sample variance {variance:G4}, expected {expected:G4} ± 10 %");
    }
}
