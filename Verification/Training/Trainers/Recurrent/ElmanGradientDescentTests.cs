using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.Recurrent;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Trainers.Recurrent;

public sealed class ElmanGradientDescentTests
{
    /// <summary>One step is W − η·∂f/∂W with the gradient at the start; A and B stay unless they are opted in.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void OneStepIsMinusStepSizeTimesTheGradient(bool all)
    {
        var model = new ElmanRnn<double>(10, 4, 3, 3);
        var data = SyntheticSequences.Separable<double>(5, 4, 4, 3, 8);
        var start = ElmanRnn<double>.FromWeights(model.Recurrent, model.Input, model.Output, 3);
        var gradient = new ElmanRnnGradient<double>(model, 4, includeInput: true, includeOutput: true);
        double loss = start.Gradient(data, new ElmanRnnWorkspace<double>(start, 5, 4), gradient);
        const double eta = 0.01;
        var run = new ElmanGradientDescent<double>(new ElmanGradientDescentOptions { StepSize = eta, MaxIterations = 1, TrainInput = all, TrainOutput = all }).Train(model, data);
        Assert.Equal(StopReason.MaxIterations, run.StopReason);
        Assert.Equal(loss, run.Iterations[0].Loss);
        Assert.Equal(loss, run.Iterations[0].FullLoss);
        Assert.Equal(Math.Sqrt(gradient.Recurrent.AsSpan().ToArray().Sum(g => g * g)), run.Iterations[0].GradientNorm, 12);
        Assert.True(gradient.HiddenNorms.SequenceEqual(run.Iterations[0].HiddenNorms.Span));
        AssertStepped(start.Recurrent.Data, gradient.Recurrent.AsSpan(), model.Recurrent.Data, eta, "W");
        AssertStepped(start.Input.Data, gradient.Input!.AsSpan(), model.Input.Data, all ? eta : 0, "A");
        AssertStepped(start.Output.Data, gradient.Output!.AsSpan(), model.Output.Data, all ? eta : 0, "B");
    }

    /// <summary>
    /// Descent: with a step that moves W by 1e-4 in norm (η = 1e-4 / ‖∂f/∂W‖), each of five steps lowers the loss by at
    /// least half its first-order prediction η·‖∂f/∂W‖², on random problems in double. The second-order term is of order
    /// (curvature)·1e-8, below the first-order 1e-4·‖∂f/∂W‖ for these sizes by orders of magnitude.
    /// </summary>
    [KernelProperty(MaxTest = 25)]
    public void SmallStepsDecreaseTheLoss(ulong seed)
    {
        int m = 4 + (int)(seed % 29), length = 2 + (int)(seed / 29 % 6), n = 1 + (int)(seed / 174 % 5);
        var model = new ElmanRnn<double>(m, 3, 2, seed);
        var data = SyntheticSequences.Separable<double>(n, length, 3, 2, seed + 1, separation: 1e-3);
        var gradient = new ElmanRnnGradient<double>(model, length);
        model.Gradient(data, new ElmanRnnWorkspace<double>(model, n, length), gradient);
        double norm = Level1.Nrm2<double>(gradient.Recurrent.AsSpan());
        if (norm == 0)
        {
            return; // every unit inactive: f is flat in W and there is nothing to descend
        }
        double eta = 1e-4 / norm;
        var run = new ElmanGradientDescent<double>(new ElmanGradientDescentOptions { StepSize = eta, MaxIterations = 6 }).Train(model, data);
        for (int t = 0; t + 1 < run.Iterations.Count; t++)
        {
            var (before, after) = (run.Iterations[t], run.Iterations[t + 1]);
            Assert.True(after.Loss <= before.Loss - 0.5 * eta * before.GradientNorm * before.GradientNorm,
                $"m={m} L={length} n={n}, step {t}: {before.Loss:R} → {after.Loss:R}, ‖g‖ = {before.GradientNorm:R}");
        }
    }

    [Fact]
    public void BadOptionsThrowNamingThem()
    {
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { StepSize = 0 })).ParamName);
        Assert.Equal("StepSize", Assert.Throws<ArgumentOutOfRangeException>(() => new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { StepSize = double.NaN })).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { MaxIterations = 0 })).ParamName);
        Assert.Equal("LossTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { LossTolerance = -1 })).ParamName);
        Assert.Equal("CheckpointEvery", Assert.Throws<ArgumentOutOfRangeException>(() => new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { CheckpointEvery = 0 })).ParamName);
        Assert.Equal("CheckpointPath", Assert.Throws<ArgumentException>(() => new ElmanGradientDescent<float>(new ElmanGradientDescentOptions { CheckpointPath = " " })).ParamName);
        var model = new ElmanRnn<float>(4, 3, 2, 1);
        Assert.Throws<ArgumentException>("data", () => new ElmanGradientDescent<float>().Train(model, SyntheticSequences.Separable<float>(2, 3, 4, 2, 1)));
        Assert.Throws<ArgumentException>("data", () => new ElmanGradientDescent<float>().Train(model, SyntheticSequences.Separable<float>(2, 3, 3, 1, 1)));
    }

    private static void AssertStepped(ReadOnlySpan<double> start, ReadOnlySpan<double> gradient, ReadOnlySpan<double> actual, double eta, string name)
    {
        for (int k = 0; k < start.Length; k++)
        {
            double expected = start[k] - eta * gradient[k];
            Assert.True(Math.Abs(actual[k] - expected) <= 1e-15 * (1 + Math.Abs(expected)), $"{name}[{k}]: {actual[k]:R}, expected {expected:R}");
        }
    }
}
