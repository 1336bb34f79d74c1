using System.Numerics;
using Kernels.Blas;
using Kernels.Layers;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Layers;

/// <summary>
/// <see cref="Linear{T}"/> against the textbook dense layer in double (Y = X·Wᵀ + b, dX = dY·W, dW = dYᵀ·X, db = Σ rows
/// of dY), against central differences, under the accumulate contract, across thread counts, and with bad arguments.
/// </summary>
public sealed class LinearTests
{
    [KernelProperty]
    public void Passes_match_the_dense_reference(int inputsSeed, int outputsSeed, int batchSeed, bool bias)
    {
        int inputs = 1 + Math.Abs(inputsSeed % 90), outputs = 1 + Math.Abs(outputsSeed % 70), batch = Math.Abs(batchSeed % 20);
        Check<float>(inputs, outputs, batch, bias, inputsSeed);
        Check<double>(inputs, outputs, batch, bias, inputsSeed);
    }

    private static void Check<T>(int n, int m, int batch, bool bias, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var layer = new Linear<T>(n, m, bias);
        layer.InitializeUniform(T.One, (ulong)seed);
        T[] w = layer.Weights.ToArray(), b = layer.Bias.ToArray();
        T[] x = SampleData.Matrix<T>(batch, n, seed + 1), dy = SampleData.Matrix<T>(batch, m, seed + 2);
        string name = $"Linear<{typeof(T).Name}> {m}×{n}, batch {batch}, {(bias ? "bias" : "no bias")}";

        var y = new T[batch * m];
        layer.Forward(new ReadOnlyMatrixView<T>(x, batch, n), new MatrixView<T>(y, batch, m));
        for (int r = 0; r < batch; r++)
        {
            for (int i = 0; i < m; i++)
            {
                var (dot, magnitude) = Reference.Dot<T>(x.AsSpan(r * n, n).ToArray(), w.AsSpan(i * n, n).ToArray());
                double exact = dot + (bias ? double.CreateChecked(b[i]) : 0);
                Tolerance.AssertClose(y[r * m + i], exact, magnitude + (bias ? Math.Abs(double.CreateChecked(b[i])) : 0), n + 3, $"{name}: Y[{r}, {i}]");
            }
        }

        var dx = new T[batch * n];
        layer.BackwardInput(new ReadOnlyMatrixView<T>(dy, batch, m), new MatrixView<T>(dx, batch, n), T.Zero);
        for (int r = 0; r < batch; r++)
        {
            for (int j = 0; j < n; j++)
            {
                var (dot, magnitude) = Reference.Dot<T>(dy.AsSpan(r * m, m).ToArray(), Enumerable.Range(0, m).Select(i => w[i * n + j]).ToArray());
                Tolerance.AssertClose(dx[r * n + j], dot, magnitude, m + 2, $"{name}: dX[{r}, {j}]");
            }
        }

        var dw = new T[m * n];
        var db = new T[bias ? m : 0];
        layer.BackwardParameters(new ReadOnlyMatrixView<T>(x, batch, n), new ReadOnlyMatrixView<T>(dy, batch, m), dw, db, T.Zero);
        for (int i = 0; i < m; i++)
        {
            T[] column = Enumerable.Range(0, batch).Select(r => dy[r * m + i]).ToArray();
            for (int j = 0; j < n; j++)
            {
                var (dot, magnitude) = Reference.Dot<T>(column, Enumerable.Range(0, batch).Select(r => x[r * n + j]).ToArray());
                Tolerance.AssertClose(dw[i * n + j], dot, magnitude, batch + 2, $"{name}: dW[{i}, {j}]");
            }
            if (bias)
            {
                var (sum, magnitude) = Reference.Sum<T>(column);
                Tolerance.AssertClose(db[i], sum, magnitude, batch + 2, $"{name}: db[{i}]");
            }
        }
    }

    [Fact]
    public void Gradients_match_central_differences()
    {
        const int inputs = 11, outputs = 7, batch = 5;
        var layer = new Linear<double>(inputs, outputs);
        layer.InitializeUniform(0.5, 3);
        double[] x = SampleData.Matrix<double>(batch, inputs, 4), coefficients = SampleData.Matrix<double>(batch, outputs, 5);
        ForwardPass forward = (input, output) => layer.Forward(input, output);
        double Loss() => GradientCheck.QuadraticLoss(forward, x, batch, inputs, outputs, coefficients);

        double[] dy = GradientCheck.OutputGradient(forward, x, batch, inputs, outputs, coefficients);
        var dw = new double[inputs * outputs];
        var db = new double[outputs];
        var dx = new double[batch * inputs];
        layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, batch, inputs), new ReadOnlyMatrixView<double>(dy, batch, outputs), dw, db, 0.0);
        layer.BackwardInput(new ReadOnlyMatrixView<double>(dy, batch, outputs), new MatrixView<double>(dx, batch, inputs), 0.0);
        const double h = 1e-3;
        for (int k = 0; k < dw.Length; k++)
        {
            GradientCheck.AssertCentral(layer.Weights, k, h, Loss, dw[k], $"dW[{k}]");
        }
        for (int i = 0; i < db.Length; i++)
        {
            GradientCheck.AssertCentral(layer.Bias, i, h, Loss, db[i], $"dbias[{i}]");
        }
        for (int k = 0; k < x.Length; k++)
        {
            GradientCheck.AssertCentral(x, k, h, Loss, dx[k], $"dx[{k}]");
        }
    }

    [Theory]
    [InlineData(13, 9, 6)]
    [InlineData(300, 40, 600)] // the batch spans several depth blocks of the parameter-gradient Gemm
    public void Backward_passes_overwrite_with_beta_zero_and_accumulate_otherwise(int inputs, int outputs, int batch)
    {
        var layer = new Linear<float>(inputs, outputs);
        layer.InitializeUniform(1f, 8);
        float[] x = SampleData.Matrix<float>(batch, inputs, 9), dy = SampleData.Matrix<float>(batch, outputs, 10);
        AccumulationCheck.Assert<float>([batch * inputs, inputs * outputs, outputs], (g, beta) =>
        {
            var outputGradient = new ReadOnlyMatrixView<float>(dy, batch, outputs);
            layer.BackwardInput(outputGradient, new MatrixView<float>(g[0], batch, inputs), beta);
            layer.BackwardParameters(new ReadOnlyMatrixView<float>(x, batch, inputs), outputGradient, g[1], g[2], beta);
        }, 11);
    }

    [Fact]
    public void Passes_give_the_same_bits_on_one_and_two_threads()
    {
        const int inputs = 200, outputs = 150, batch = 64;
        var layer = new Linear<float>(inputs, outputs);
        layer.InitializeUniform(0.1f, 12);
        float[] x = SampleData.Matrix<float>(batch, inputs, 13), dy = SampleData.Matrix<float>(batch, outputs, 14);
        var results = new List<float[]>();
        foreach (var options in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 } })
        {
            var y = new float[batch * outputs];
            var dx = new float[batch * inputs];
            var dw = new float[inputs * outputs];
            var db = new float[outputs];
            layer.Forward(new ReadOnlyMatrixView<float>(x, batch, inputs), new MatrixView<float>(y, batch, outputs), options);
            layer.BackwardInput(new ReadOnlyMatrixView<float>(dy, batch, outputs), new MatrixView<float>(dx, batch, inputs), 0f, options);
            layer.BackwardParameters(new ReadOnlyMatrixView<float>(x, batch, inputs), new ReadOnlyMatrixView<float>(dy, batch, outputs), dw, db, 0f, options);
            results.Add([.. y, .. dx, .. dw, .. db]);
        }
        Assert.Equal(results[0], results[1]);
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        Assert.Throws<ArgumentOutOfRangeException>("inputs", () => new Linear<double>(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>("outputs", () => new Linear<double>(3, 0));
        Assert.Throws<NotSupportedException>(() => new Linear<Half>(3, 3));
        var layer = new Linear<double>(5, 3);
        var noBias = new Linear<double>(5, 3, bias: false);
        Assert.Throws<ArgumentOutOfRangeException>("bound", () => layer.InitializeUniform(double.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>("bound", () => layer.InitializeUniform(-1, 1));

        double[] data = Enumerable.Range(0, 40).Select(i => (double)i).ToArray();
        double[] output = Enumerable.Repeat(7.0, 40).ToArray();
        double[] grad = Enumerable.Repeat(7.0, 40).ToArray();
        Assert.Throws<ArgumentException>("input", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 4), new MatrixView<double>(output, 2, 3)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 3, 3)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(output, 2, 5), new MatrixView<double>(output.AsSpan(3), 2, 3)));
        Assert.Throws<ArgumentException>("outputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 4), new MatrixView<double>(output, 2, 5), 0.0));
        Assert.Throws<ArgumentException>("inputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 3), new MatrixView<double>(output, 1, 5), 0.0));
        Assert.Throws<ArgumentException>("inputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(output, 2, 3), new MatrixView<double>(output.AsSpan(2), 2, 5), 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 3), new MatrixView<double>(output, 2, 5), double.NaN));
        Assert.Throws<ArgumentException>("outputGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 3, 3), grad.AsSpan(0, 15), grad.AsSpan(20, 3), 0.0));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 14), grad.AsSpan(20, 3), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 15), grad.AsSpan(20, 2), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => noBias.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 15), grad.AsSpan(20, 3), 0.0));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), data.AsSpan(0, 15), grad.AsSpan(20, 3), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 15), grad.AsSpan(10, 3), 0.0));
        Assert.Throws<ArgumentOutOfRangeException>("beta", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 15), grad.AsSpan(20, 3), double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 2, 3), new BlasOptions { MaxThreads = 0 }));
        Assert.All(output, v => Assert.Equal(7.0, v));
        Assert.All(grad, v => Assert.Equal(7.0, v));
    }
}
