using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers.GradientDescent;

namespace Kernels.Verification.Training.Trainers.GaussNewton;

public sealed class GradientDescentTests
{
    /// <summary>One gradient step is W − η·Jᵀ(f − y), with J the Jacobian at the starting weights.</summary>
    [Fact]
    public void OneStepIsMinusStepSizeTimesJTransposeResidual()
    {
        const int width = 1500, dimension = 6;
        var data = SyntheticRegression.Sphere(7, dimension, 21);
        var model = new TwoLayerShiftedRelu(width, dimension, 21);
        var start = model.Weights.Data.ToArray();
        var f = new float[data.Count];
        model.Predict(data.Inputs, f);
        var residual = new float[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            residual[i] = f[i] - data.Labels[i];
        }
        var gradient = new float[width * dimension];
        new ShiftedReluJacobian(model, data).ApplyTranspose(residual, gradient);
        const double eta = 0.5;
        new GradientDescent(new GradientDescentOptions { StepSize = eta, MaxIterations = 1 }).Train(model, data);
        for (int c = 0; c < start.Length; c++)
        {
            double expected = start[c] - eta * gradient[c];
            Assert.InRange(model.Weights.Data[c], expected - 1e-5 * (1 + Math.Abs(expected)), expected + 1e-5 * (1 + Math.Abs(expected)));
        }
    }

    [Fact]
    public void SmallStepsDecreaseTheLoss()
    {
        var data = SyntheticRegression.Sphere(10, 12, 4);
        var model = new TwoLayerShiftedRelu(4096, 12, 4);
        var run = new GradientDescent(new GradientDescentOptions { StepSize = 0.5, MaxIterations = 20 }).Train(model, data);
        foreach (var report in run.Iterations)
        {
            Assert.True(report.ResidualAfter <= report.ResidualBefore * (1 + 1e-6), $"iteration {report.Iteration}: {report.ResidualBefore} → {report.ResidualAfter}");
        }
        Assert.True(run.Iterations[^1].ResidualAfter < run.Iterations[0].ResidualBefore);
    }

    [Fact]
    public void BadOptionsThrowNamingThem()
    {
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDescent(new GradientDescentOptions { StepSize = 0 })).ParamName);
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDescent(new GradientDescentOptions { StepSize = double.PositiveInfinity })).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new GradientDescent(new GradientDescentOptions { MaxIterations = -1 })).ParamName);
    }
}
