using System.Numerics;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Activations;

/// <summary>
/// <see cref="Softmax"/> against the textbook definitions evaluated in double with <see cref="Math.Exp"/> after the same
/// max shift, on rows of every scale (including logits near the overflow threshold), and the documented behaviour of
/// rows that are not finite.
/// </summary>
public sealed class SoftmaxTests
{
    [KernelProperty]
    public void Softmax_and_log_sum_exp_match_the_definition(int rowsSeed, int columnsSeed, int scaleChoice)
    {
        int rows = 1 + Math.Abs(rowsSeed % 6), columns = 1 + Math.Abs(columnsSeed % 80);
        // Scales up to 1e4 exceed the overflow threshold of e^x for both types: only the shifted form survives.
        double scale = Math.Abs(scaleChoice % 4) switch { 0 => 1, 1 => 30, 2 => 500, _ => 1e4 };
        Check<float>(rows, columns, scale, rowsSeed);
        Check<double>(rows, columns, scale, rowsSeed);
    }

    private static void Check<T>(int rows, int columns, double scale, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int stride = columns + 2;
        T[] x = SampleData.Vector<T>(rows * stride, ValueKind.Uniform, seed).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= T.CreateChecked(scale);
        }
        var input = new ReadOnlyMatrixView<T>(x, rows, columns, stride);
        T[] probabilities = new T[rows * columns];
        T[] logSumExp = new T[rows];
        Softmax.Rows(input, new MatrixView<T>(probabilities, rows, columns));
        Softmax.LogSumExpRows(input, logSumExp);
        for (int r = 0; r < rows; r++)
        {
            double max = Enumerable.Range(0, columns).Max(c => double.CreateChecked(x[r * stride + c]));
            double sum = Enumerable.Range(0, columns).Sum(c => Math.Exp(double.CreateChecked(x[r * stride + c]) - max));
            // Each term has a few ulps from e^x; the sum and the normalization add n + 2 roundings.
            for (int c = 0; c < columns; c++)
            {
                // x − m is rounded once (relative ε), which e^(x − m) turns into a relative error of |x − m|·ε.
                double shifted = double.CreateChecked(x[r * stride + c]) - max;
                double exact = Math.Exp(shifted) / sum;
                Tolerance.AssertClose(probabilities[r * columns + c], exact, exact, columns + 8 + Math.Abs(shifted),
                    $"softmax[{r}, {c}] of {rows}×{columns}, scale {scale}");
            }
            // ln Σ has absolute error about (n + 4)·ε, and m adds its own rounding.
            double lse = max + Math.Log(sum);
            Tolerance.AssertClose(logSumExp[r], lse, Math.Abs(max) + 1, columns + 8, $"log-sum-exp[{r}] of {rows}×{columns}, scale {scale}");
            double total = Enumerable.Range(0, columns).Sum(c => double.CreateChecked(probabilities[r * columns + c]));
            Tolerance.AssertClose(T.CreateChecked(total), 1.0, 1.0, columns + 8, $"row {r} sums to 1");
        }
    }

    [Fact]
    public void Finite_rows_never_give_nan_or_infinity_even_at_the_extremes()
    {
        float[] x = [float.MaxValue, -float.MaxValue, 0, float.MaxValue, float.Epsilon, -float.MaxValue, float.NegativeInfinity, -float.MaxValue];
        var input = new ReadOnlyMatrixView<float>(x, 2, 4);
        float[] p = new float[8], lse = new float[2];
        Softmax.Rows(input, new MatrixView<float>(p, 2, 4));
        Softmax.LogSumExpRows(input, lse);
        Assert.All(p, v => Assert.True(float.IsFinite(v) && v >= 0 && v <= 1));
        Assert.Equal([0.5f, 0, 0, 0.5f], p[..4]);
        Assert.Equal([1f, 0, 0, 0], p[4..]);
        Assert.Equal(float.MaxValue, lse[0], 0f); // m + ln 2 rounds back to m
        Assert.Equal(float.Epsilon, lse[1]); // m + ln 1
    }

    [Fact]
    public void Rows_that_are_not_finite_behave_as_documented()
    {
        double nan = double.NaN, inf = double.PositiveInfinity;
        double[] x =
        [
            1, nan, 2, 3,          // NaN anywhere: NaN softmax, NaN log-sum-exp
            -inf, -inf, -inf, -inf, // all −∞: NaN softmax (0/0), log-sum-exp −∞
            1, inf, 2, 3,          // +∞: NaN softmax (∞/∞), log-sum-exp +∞
            -inf, 0, -inf, 0,       // −∞ entries of a finite row: probability 0
        ];
        var input = new ReadOnlyMatrixView<double>(x, 4, 4);
        double[] p = new double[16], lse = new double[4];
        Softmax.Rows(input, new MatrixView<double>(p, 4, 4));
        Softmax.LogSumExpRows(input, lse);
        Assert.All(p[..12], v => Assert.True(double.IsNaN(v)));
        Assert.Equal([0, 0.5, 0, 0.5], p[12..]);
        Assert.True(double.IsNaN(lse[0]));
        Assert.Equal(double.NegativeInfinity, lse[1]);
        Assert.Equal(double.PositiveInfinity, lse[2]);
        Assert.Equal(Math.Log(2), lse[3], 15);
    }

    [Fact]
    public void Softmax_works_in_place_and_leaves_the_padding()
    {
        double[] x = SampleData.Vector<double>(5 * 70, ValueKind.Uniform, 3).ToArray();
        double[] expected = new double[5 * 69];
        Softmax.Rows(new ReadOnlyMatrixView<double>(x, 5, 69, 70), new MatrixView<double>(expected, 5, 69));
        double[] inPlace = (double[])x.Clone();
        Softmax.Rows(new ReadOnlyMatrixView<double>(inPlace, 5, 69, 70), new MatrixView<double>(inPlace, 5, 69, 70));
        for (int r = 0; r < 5; r++)
        {
            Assert.Equal(expected.AsSpan(r * 69, 69).ToArray(), inPlace.AsSpan(r * 70, 69).ToArray());
            Assert.Equal(x[r * 70 + 69], inPlace[r * 70 + 69]);
        }
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        double[] x = new double[12], p = Enumerable.Repeat(7.0, 12).ToArray(), lse = [7, 7, 7];
        Assert.Throws<ArgumentException>("destination", () => Softmax.Rows(new ReadOnlyMatrixView<double>(x, 3, 4), new MatrixView<double>(p, 4, 3)));
        Assert.Throws<ArgumentException>("destination", () => Softmax.Rows(new ReadOnlyMatrixView<double>(x, 2, 4), new MatrixView<double>(x.AsSpan(1), 2, 4)));
        Assert.Throws<ArgumentException>("destination", () => Softmax.LogSumExpRows(new ReadOnlyMatrixView<double>(x, 3, 4), new double[2]));
        Assert.Throws<ArgumentException>("destination", () => Softmax.LogSumExpRows(new ReadOnlyMatrixView<double>(x, 2, 4), x.AsSpan(4, 2)));
        Assert.All(p, v => Assert.Equal(7.0, v));
        Assert.All(lse, v => Assert.Equal(7.0, v));
    }
}
