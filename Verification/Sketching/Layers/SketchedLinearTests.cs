using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Layers;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;
using Kernels.Verification.Sketching.Operators;

namespace Kernels.Verification.Sketching.Layers;

/// <summary>
/// <see cref="SketchedLinear{T}"/> against a dense reference built from the sketch's definition
/// (<see cref="SketchReference.Matrix{T}"/>): Y = X·Sᵀ·P + bias, dX = dY·Pᵀ·S, ∂L/∂P = (X·Sᵀ)ᵀ·dY, and finite differences.
/// </summary>
public sealed class SketchedLinearTests
{
    [KernelProperty(MaxTest = 60)]
    public void Passes_match_the_dense_reference(SketchedLinearCase c)
    {
        Check<double>(c);
        Check<float>(c);
    }

    private static void Check<T>(SketchedLinearCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        SketchedLinear<T> layer = c.Layer<T>();
        int n = c.Inputs, m = c.Outputs, batch = c.Batch, s = layer.SketchSize;
        string name = $"{typeof(T).Name} {c}";
        Assert.Equal(s * m + (c.Bias ? m : 0), layer.ParameterCount);
        double[] sketch = SketchReference.Matrix(layer.Sketch).Select(v => double.CreateChecked(v)).ToArray();
        double[] p = layer.Weights.ToArray().Select(v => double.CreateChecked(v)).ToArray();
        T[] x = c.InputData<T>(), dy = c.OutputGradient<T>();
        var workspace = new SketchedLinearWorkspace<T>(layer, Math.Max(batch, 1));

        // Z = X·Sᵀ (batch × s) in double, with magnitudes; each sketch applies its entries to x in its own order, and
        // the SRHT's transform adds log₂ N' levels, so the growth allows N' + s terms.
        int growth = (int)BitOperations.RoundUpToPowerOf2((uint)n) + s + 2;
        var z = new double[batch * s];
        var zMag = new double[batch * s];
        for (int b = 0; b < batch; b++)
        {
            for (int k = 0; k < s; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    double term = double.CreateChecked(x[b * n + j]) * sketch[k * n + j];
                    z[b * s + k] += term;
                    zMag[b * s + k] += Math.Abs(term);
                }
            }
        }

        var y = new T[batch * m];
        layer.Forward(new ReadOnlyMatrixView<T>(x, batch, n), new MatrixView<T>(y, batch, m), workspace);
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < m; i++)
            {
                double bias = c.Bias ? double.CreateChecked(layer.Bias[i]) : 0, exact = bias, magnitude = Math.Abs(bias);
                for (int k = 0; k < s; k++)
                {
                    exact += z[b * s + k] * p[k * m + i];
                    magnitude += zMag[b * s + k] * Math.Abs(p[k * m + i]);
                }
                Tolerance.AssertClose(y[b * m + i], exact, magnitude, growth + s, $"{name}: Y[{b}, {i}]");
            }
        }

        var dp = new T[s * m];
        var db = new T[c.Bias ? m : 0];
        layer.BackwardParameters(new ReadOnlyMatrixView<T>(x, batch, n), new ReadOnlyMatrixView<T>(dy, batch, m), dp, db, T.Zero, workspace);
        for (int k = 0; k < s; k++)
        {
            for (int i = 0; i < m; i++)
            {
                double exact = 0, magnitude = 0;
                for (int b = 0; b < batch; b++)
                {
                    exact += z[b * s + k] * double.CreateChecked(dy[b * m + i]);
                    magnitude += zMag[b * s + k] * Math.Abs(double.CreateChecked(dy[b * m + i]));
                }
                Tolerance.AssertClose(dp[k * m + i], exact, magnitude, growth + batch, $"{name}: dP[{k}, {i}]");
            }
        }
        for (int i = 0; i < db.Length; i++)
        {
            var (sum, magnitude) = Reference.Sum<T>(Enumerable.Range(0, batch).Select(b => dy[b * m + i]).ToArray());
            Tolerance.AssertClose(db[i], sum, magnitude, batch + 2, $"{name}: dbias[{i}]");
        }

        var dx = new T[batch * n];
        layer.BackwardInput(new ReadOnlyMatrixView<T>(dy, batch, m), new MatrixView<T>(dx, batch, n), T.Zero, workspace);
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = 0, magnitude = 0;
                for (int k = 0; k < s; k++)
                {
                    double dz = 0, dzMag = 0;
                    for (int i = 0; i < m; i++)
                    {
                        double term = double.CreateChecked(dy[b * m + i]) * p[k * m + i];
                        dz += term;
                        dzMag += Math.Abs(term);
                    }
                    exact += dz * sketch[k * n + j];
                    magnitude += dzMag * Math.Abs(sketch[k * n + j]);
                }
                Tolerance.AssertClose(dx[b * n + j], exact, magnitude, growth + m, $"{name}: dX[{b}, {j}]");
            }
        }
    }

    /// <summary>Central differences of the quadratic loss of <see cref="GradientCheck"/>, in double, for every sketch kind.</summary>
    [Theory]
    [InlineData(SketchKind.CountSketch)]
    [InlineData(SketchKind.SparseEmbedding)]
    [InlineData(SketchKind.Gaussian)]
    [InlineData(SketchKind.Srht)]
    public void Gradients_match_central_differences(SketchKind kind)
    {
        var c = new SketchedLinearCase(kind, 9, 45, 13, 3, 5, true, 17);
        SketchedLinear<double> layer = c.Layer<double>();
        var workspace = new SketchedLinearWorkspace<double>(layer, c.Batch);
        double[] x = c.InputData<double>(), coefficients = c.OutputGradient<double>();
        ForwardPass forward = (input, output) => layer.Forward(input, output, workspace);
        double Loss() => GradientCheck.QuadraticLoss(forward, x, c.Batch, c.Inputs, c.Outputs, coefficients);

        double[] dy = GradientCheck.OutputGradient(forward, x, c.Batch, c.Inputs, c.Outputs, coefficients);
        var dp = new double[layer.Weights.Length];
        var db = new double[c.Outputs];
        var dx = new double[c.Batch * c.Inputs];
        layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, c.Batch, c.Inputs), new ReadOnlyMatrixView<double>(dy, c.Batch, c.Outputs), dp, db, 0.0, workspace);
        layer.BackwardInput(new ReadOnlyMatrixView<double>(dy, c.Batch, c.Outputs), new MatrixView<double>(dx, c.Batch, c.Inputs), 0.0, workspace);
        const double h = 1e-3;
        for (int k = 0; k < dp.Length; k += 3)
        {
            GradientCheck.AssertCentral(layer.Weights, k, h, Loss, dp[k], $"{kind}: dP[{k}]");
        }
        for (int i = 0; i < db.Length; i++)
        {
            GradientCheck.AssertCentral(layer.Bias, i, h, Loss, db[i], $"{kind}: dbias[{i}]");
        }
        for (int k = 0; k < x.Length; k += 4)
        {
            GradientCheck.AssertCentral(x, k, h, Loss, dx[k], $"{kind}: dx[{k}]");
        }
    }

    [Theory]
    [InlineData(SketchKind.CountSketch)]
    [InlineData(SketchKind.Srht)]
    public void Backward_passes_overwrite_with_beta_zero_and_accumulate_otherwise(SketchKind kind)
    {
        var c = new SketchedLinearCase(kind, 9, 45, 13, 3, 5, true, 19);
        SketchedLinear<float> layer = c.Layer<float>();
        var workspace = new SketchedLinearWorkspace<float>(layer, c.Batch);
        float[] x = c.InputData<float>(), dy = c.OutputGradient<float>();
        layer.Forward(new ReadOnlyMatrixView<float>(x, c.Batch, c.Inputs), new MatrixView<float>(new float[c.Batch * c.Outputs], c.Batch, c.Outputs), workspace);
        AccumulationCheck.Assert<float>([c.Batch * c.Inputs, layer.Weights.Length, c.Outputs], (g, beta) =>
        {
            var input = new ReadOnlyMatrixView<float>(x, c.Batch, c.Inputs);
            var outputGradient = new ReadOnlyMatrixView<float>(dy, c.Batch, c.Outputs);
            layer.BackwardInput(outputGradient, new MatrixView<float>(g[0], c.Batch, c.Inputs), beta, workspace);
            layer.BackwardParameters(input, outputGradient, g[1], g[2], beta, workspace);
        }, 20);
    }

    [Fact]
    public void The_workspace_carries_the_sketched_input_of_the_last_forward_pass()
    {
        var c = new SketchedLinearCase(SketchKind.SparseEmbedding, 6, 20, 4, 2, 3, false, 2);
        SketchedLinear<double> layer = c.Layer<double>();
        var workspace = new SketchedLinearWorkspace<double>(layer, 5);
        double[] dy = c.OutputGradient<double>();
        var dp = new double[layer.Weights.Length];
        var x = c.InputData<double>();
        var error = Assert.Throws<InvalidOperationException>(() => layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, 3, 20), new ReadOnlyMatrixView<double>(dy, 3, 4), dp, [], 0.0, workspace));
        Assert.Contains("no forward pass", error.Message);
        layer.Forward(new ReadOnlyMatrixView<double>(x, 3, 20), new MatrixView<double>(new double[12], 3, 4), workspace);
        Assert.Throws<InvalidOperationException>(() => layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, 2, 20), new ReadOnlyMatrixView<double>(dy, 2, 4), dp, [], 0.0, workspace));
        layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, 3, 20), new ReadOnlyMatrixView<double>(dy, 3, 4), dp, [], 0.0, workspace);
    }

    [Fact]
    public void Sketched_layer_rejects_mismatched_shapes_and_foreign_workspaces()
    {
        ISketch<double> sketch = new CountSketchDistribution(4, 9).Sample<double>(1);
        var layer = new SketchedLinear<double>(sketch, 3);
        var other = new SketchedLinear<double>(sketch, 3);
        var workspace = new SketchedLinearWorkspace<double>(layer, 2);
        var data = new double[64];
        var output = new double[64];
        Array.Fill(output, 7.0);

        Assert.Throws<ArgumentNullException>("sketch", () => new SketchedLinear<double>(null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>("outputs", () => new SketchedLinear<double>(sketch, 0));
        Assert.Throws<ArgumentOutOfRangeException>("maxBatch", () => new SketchedLinearWorkspace<double>(layer, 0));
        Assert.Throws<ArgumentException>("input", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 8), new MatrixView<double>(output, 2, 3), workspace));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 9), new MatrixView<double>(output, 2, 4), workspace));
        Assert.Throws<ArgumentException>("workspace", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 3, 9), new MatrixView<double>(output, 3, 3), workspace));
        Assert.Throws<ArgumentException>("workspace", () => other.Forward(new ReadOnlyMatrixView<double>(data, 2, 9), new MatrixView<double>(output, 2, 3), workspace));
        Assert.Throws<ArgumentNullException>("workspace", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 9), new MatrixView<double>(output, 2, 3), null!));
        Assert.Throws<ArgumentException>("inputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 3), new MatrixView<double>(output, 2, 8), 0.0, workspace));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 9), new ReadOnlyMatrixView<double>(data, 2, 3), output.AsSpan(0, 11), output.AsSpan(20, 3), 0.0, workspace));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 9), new ReadOnlyMatrixView<double>(data, 2, 3), output.AsSpan(0, 12), output.AsSpan(20, 2), 0.0, workspace));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 9), new ReadOnlyMatrixView<double>(data, 2, 3), data.AsSpan(0, 12), output.AsSpan(20, 3), 0.0, workspace));
        Assert.All(output, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void Passes_do_not_allocate()
    {
        var sketched = new SketchedLinear<float>(new SparseEmbeddingDistribution(40, 300, 3).Sample<float>(2), 200);
        var workspace = new SketchedLinearWorkspace<float>(sketched, 16);
        float[] x = SampleData.Matrix<float>(16, 300, 1), dy = SampleData.Matrix<float>(16, 200, 2);
        float[] y = new float[16 * 200], dx = new float[16 * 300], db = new float[200], dp = new float[40 * 200];
        BlasOptions one = BlasOptions.SingleThreaded;
        // Scratch comes from the array pool, which a gen-2 collection (tests run in parallel) may trim; the best of three counts.
        long allocated = Enumerable.Range(0, 3).Min(_ => Allocation.Measure(() =>
        {
            sketched.Forward(new ReadOnlyMatrixView<float>(x, 16, 300), new MatrixView<float>(y, 16, 200), workspace, one);
            sketched.BackwardInput(new ReadOnlyMatrixView<float>(dy, 16, 200), new MatrixView<float>(dx, 16, 300), 0f, workspace, one);
            sketched.BackwardParameters(new ReadOnlyMatrixView<float>(x, 16, 300), new ReadOnlyMatrixView<float>(dy, 16, 200), dp, db, 0f, workspace, one);
        }));
        Assert.Equal(0, allocated);
    }
}
