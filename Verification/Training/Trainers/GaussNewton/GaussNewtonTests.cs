using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.GaussNewton;
using Kernels.Training.Trainers.GradientDescent;

namespace Kernels.Verification.Training.Trainers.GaussNewton;

public sealed class GaussNewtonTests
{
    /// <summary>
    /// Dense (all m·n products) and sublinear (threshold forest) Gauss-Newton run the same step on the same active
    /// sets, and both take their products from <c>ThresholdProducts</c> (the forest's leaves are its bits), so after 5
    /// iterations every residual and every weight are the same bits: the dense trainer writes the new rows on their own,
    /// the forest as it refreshes their leaves. At d = 1024 one batch of the forest holds 1,024 neurons, fewer than the
    /// 1,500 or so of 8,192 that 12 points activate, so the forest rewrites the rows in two batches.
    /// </summary>
    [Theory]
    [InlineData(8192, 1024, 12, 5UL)]
    [InlineData(4096, 16, 6, 1UL)]
    [InlineData(8192, 8, 12, 2UL)]
    [InlineData(3000, 33, 3, 3UL)]
    [InlineData(20000, 5, 9, 4UL)]
    public void DenseAndSublinearGiveTheSameIterates(int width, int dimension, int points, ulong seed)
    {
        var data = SyntheticRegression.Sphere(points, dimension, seed, SyntheticTarget.Smooth);
        var dense = new TwoLayerShiftedRelu(width, dimension, seed);
        var sublinear = new TwoLayerShiftedRelu(width, dimension, seed);
        var options = new GaussNewtonOptions { MaxIterations = 5 };
        var denseRun = new GaussNewtonDense(options).Train(dense, data);
        var sublinearRun = new GaussNewtonSublinear(options).Train(sublinear, data);
        Assert.Equal(denseRun.StopReason, sublinearRun.StopReason);
        Assert.Equal(denseRun.Iterations.Count, sublinearRun.Iterations.Count);
        for (int t = 0; t < denseRun.Iterations.Count; t++)
        {
            var a = denseRun.Iterations[t];
            var b = sublinearRun.Iterations[t];
            Assert.Equal(a.ChangedNeurons, b.ChangedNeurons);
            Assert.Equal(a.ActiveMin, b.ActiveMin);
            Assert.Equal(a.ActiveMax, b.ActiveMax);
            Assert.Equal(a.ResidualBefore, b.ResidualBefore);
            Assert.Equal(a.ResidualAfter, b.ResidualAfter);
        }
        Assert.True(dense.Weights.Data.SequenceEqual(sublinear.Weights.Data), "W differs between the dense and the sublinear trainer");
        // The trainers really trained: the residual fell.
        Assert.True(denseRun.Iterations[^1].ResidualAfter < 0.1 * denseRun.Iterations[0].ResidualBefore);
    }

    /// <summary>
    /// A step whose new weights could overflow float (here: labels near float's range, so the residual is too) is
    /// reported as <see cref="RegressionStatus.Overflow"/> and not applied: training stops with W as it was, for the
    /// dense, the sublinear and the gradient trainer alike, instead of writing infinite rows (dense: NaN predictions
    /// from then on; sublinear: the forest rejecting a half-written W).
    /// </summary>
    [Theory]
    [InlineData("dense")]
    [InlineData("sublinear")]
    [InlineData("gradient")]
    public void AStepThatWouldOverflowIsReportedAndNotApplied(string trainer)
    {
        var data = SyntheticRegression.Sphere(6, 16, 7UL, SyntheticTarget.Smooth, labelScale: 1e38f);
        var model = new TwoLayerShiftedRelu(4096, 16, 7UL);
        float[] before = model.Weights.Data.ToArray();
        var options = new GaussNewtonOptions { MaxIterations = 3 };
        TrainingResult<GaussNewtonIteration> run = trainer switch
        {
            "dense" => new GaussNewtonDense(options).Train(model, data),
            "sublinear" => new GaussNewtonSublinear(options).Train(model, data),
            _ => new GradientDescent(new GradientDescentOptions { StepSize = 1e6, MaxIterations = 3 }).Train(model, data),
        };
        Assert.Equal(StopReason.NonFinite, run.StopReason);
        Assert.Single(run.Iterations);
        Assert.Equal(RegressionStatus.Overflow, run.Iterations[0].Status);
        Assert.True(before.AsSpan().SequenceEqual(model.Weights.Data), "W changed although the step was not applied");
    }

    /// <summary>
    /// The bound carries over applied steps: a gradient step of 10³⁸ on unit-scale labels is applied (W grows to about
    /// 10³⁶, still safe for d = 16), and the next, which could overflow, is refused, leaving W finite and every product
    /// safe (the trainer's own dense products, and a forest built over the final W, accept it).
    /// </summary>
    [Fact]
    public void A_later_step_that_would_overflow_is_refused_after_earlier_ones_applied()
    {
        var data = SyntheticRegression.Sphere(6, 16, 7UL, SyntheticTarget.Smooth);
        var model = new TwoLayerShiftedRelu(4096, 16, 7UL);
        var run = new GradientDescent(new GradientDescentOptions { StepSize = 1e38, MaxIterations = 5 }).Train(model, data);
        Assert.Equal(StopReason.NonFinite, run.StopReason);
        Assert.True(run.Iterations.Count >= 2, $"{run.Iterations.Count} iterations: expected at least one applied step before the refused one");
        Assert.All(run.Iterations.Take(run.Iterations.Count - 1), report => Assert.Equal(RegressionStatus.Solved, report.Status));
        Assert.Equal(RegressionStatus.Overflow, run.Iterations[^1].Status);
        Assert.True(run.Iterations[0].ResidualAfter > 1e30, "the first step was not large: the case does not test a bound carried over");
        Assert.All(model.Weights.Data.ToArray(), w => Assert.True(float.IsFinite(w)));
        var forest = new global::Kernels.Trees.ThresholdForest(model.Weights, data.Inputs);
        Assert.Null(forest.FindViolation());
    }

    /// <summary>
    /// Theorem 4.1 of seed 002: with m ≫ n every Gauss-Newton iteration at least halves ‖f − y‖. Checked for n = 8,
    /// m = 2¹⁶ over fixed seeds and both targets, for the iterations whose residual is still above float rounding
    /// (1e-4 of the start: below that the float products set the floor, not the method).
    /// </summary>
    [Theory]
    [InlineData(1UL, SyntheticTarget.Teacher)]
    [InlineData(2UL, SyntheticTarget.Teacher)]
    [InlineData(3UL, SyntheticTarget.Smooth)]
    [InlineData(4UL, SyntheticTarget.Smooth)]
    public void EveryIterationHalvesTheResidual(ulong seed, SyntheticTarget target)
    {
        var data = SyntheticRegression.Sphere(8, 32, seed, target);
        var model = new TwoLayerShiftedRelu(1 << 16, 32, seed);
        var run = new GaussNewtonSublinear(new GaussNewtonOptions { MaxIterations = 4 }).Train(model, data);
        double start = run.Iterations[0].ResidualBefore;
        int checkedIterations = 0;
        foreach (var report in run.Iterations)
        {
            Assert.Equal(RegressionStatus.Solved, report.Status);
            if (report.ResidualBefore > 1e-4 * start)
            {
                Assert.True(report.Ratio <= 0.5, $"iteration {report.Iteration}: ratio {report.Ratio}");
                checkedIterations++;
            }
        }
        Assert.True(checkedIterations >= 2);
        var predictions = new float[data.Count];
        model.Predict(data.Inputs, predictions);
        double residual = 0;
        for (int i = 0; i < data.Count; i++)
        {
            residual += Math.Pow(predictions[i] - data.Labels[i], 2);
        }
        // The model the trainer leaves behind is the one it reports on.
        Assert.InRange(Math.Sqrt(residual), 0, run.Iterations[^1].ResidualAfter + 1e-5 * start);
    }

    /// <summary>
    /// One thread or two (every threshold 0, so each threaded part is offered to a second thread: the new rows, the
    /// forest's repair and queries, the predictions from the active sets), the same bits: every residual and every
    /// weight. Whether the second thread claims a part depends on timing; over the 5 iterations' parts it does in
    /// practice, and a run where it did not still must equal the one-thread run.
    /// </summary>
    [Fact]
    public void TheIteratesDoNotDependOnTheThreadCount()
    {
        var data = SyntheticRegression.Sphere(6, 16, 11);
        foreach (bool sublinear in new[] { false, true })
        {
            (double[] Residuals, float[] Weights) Run(BlasOptions blas)
            {
                var model = new TwoLayerShiftedRelu(4096, 16, 11, 0f);
                var options = new GaussNewtonOptions { MaxIterations = 4, Blas = blas };
                ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration> trainer =
                    sublinear ? new GaussNewtonSublinear(options) : new GaussNewtonDense(options);
                var run = trainer.Train(model, data);
                return (run.Iterations.Select(r => r.ResidualAfter).ToArray(), model.Weights.Data.ToArray());
            }
            var one = Run(BlasOptions.SingleThreaded);
            var two = Run(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 });
            Assert.Equal(4, one.Residuals.Length);
            Assert.Equal(one.Residuals, two.Residuals);
            Assert.True(one.Weights.AsSpan().SequenceEqual(two.Weights), $"{(sublinear ? "sublinear" : "dense")}: the weights differ between 1 and 2 threads");
        }
    }

    [Fact]
    public void AStepAllocatesNothingAfterTheFirstIteration()
    {
        // The least over up to three runs, as Allocation.Measure does: the kernels' pooled scratch can come from
        // ArrayPool's shared stacks, which tests on other threads may empty (seen once: 6.4 kB in a run beside others);
        // an allocation made by every step shows in every run. The second case has b = 0, so about half the neurons are
        // active for every point and Σ|Q_i| (about 24·256) exceeds m: the changed list is then sized by m.
        foreach (var (sublinear, width, points, shift) in new[] { (false, 1 << 14, 6, (float?)null), (true, 1 << 14, 6, null), (false, 512, 24, 0f), (true, 512, 24, 0f) })
        {
            var data = SyntheticRegression.Sphere(points, 16, 8);
            var least = long.MaxValue;
            for (int run = 0; run < 3 && least > 0; run++)
            {
                var model = new TwoLayerShiftedRelu(width, 16, 8, shift);
                var probe = new GaussNewtonAllocationProbe();
                var options = new GaussNewtonOptions { MaxIterations = 5, Blas = BlasOptions.SingleThreaded };
                ITrainer<TwoLayerShiftedRelu, RegressionSet, GaussNewtonIteration> trainer =
                    sublinear ? new GaussNewtonSublinear(options) : new GaussNewtonDense(options);
                trainer.Train(model, data, probe);
                Assert.Equal(5, probe.Count);
                least = Math.Min(least, probe.AllocatedAfterSecond);
            }
            Assert.True(least == 0, $"{(sublinear ? "sublinear" : "dense")}: at least {least} bytes after iteration 1 in each of three runs");
        }
    }

    [Fact]
    public void CancellationStopsBetweenIterationsAndKeepsTheModel()
    {
        var data = SyntheticRegression.Sphere(5, 8, 3);
        var model = new TwoLayerShiftedRelu(2048, 8, 3);
        using var cancel = new CancellationTokenSource();
        var progress = new CancelAfter(cancel, 2);
        var run = new GaussNewtonSublinear(new GaussNewtonOptions { MaxIterations = 10 }).Train(model, data, progress, cancel.Token);
        Assert.Equal(StopReason.Cancelled, run.StopReason);
        Assert.Equal(2, run.Iterations.Count);
        var predictions = new float[data.Count];
        model.Predict(data.Inputs, predictions);
        double residual = 0;
        for (int i = 0; i < data.Count; i++)
        {
            residual += Math.Pow(predictions[i] - data.Labels[i], 2);
        }
        Assert.InRange(Math.Sqrt(residual), run.Iterations[^1].ResidualAfter * 0.99 - 1e-6, run.Iterations[^1].ResidualAfter * 1.01 + 1e-6);
    }

    [Fact]
    public void ToleranceStopsWithConverged()
    {
        var data = SyntheticRegression.Sphere(5, 8, 3);
        var model = new TwoLayerShiftedRelu(4096, 8, 3);
        var run = new GaussNewtonDense(new GaussNewtonOptions { MaxIterations = 50, ResidualTolerance = 1e-3 }).Train(model, data);
        Assert.Equal(StopReason.Converged, run.StopReason);
        Assert.True(run.Iterations[^1].ResidualAfter <= 1e-3);
        Assert.True(run.Iterations.Count < 50);
    }

    [Fact]
    public void DuplicatePointsMakeGSingularAndTheStepIsNotApplied()
    {
        var inputs = new float[] { 1, 0, 0, 1, 1, 0 };
        var data = new RegressionSet(new(inputs, 3, 2), [1f, -1f, 0.5f]);
        var model = new TwoLayerShiftedRelu(1024, 2, 1);
        var before = model.Weights.Data.ToArray();
        var run = new GaussNewtonDense().Train(model, data);
        Assert.Equal(StopReason.SolverFailed, run.StopReason);
        Assert.Single(run.Iterations);
        Assert.Equal(RegressionStatus.NotPositiveDefinite, run.Iterations[0].Status);
        Assert.True(model.Weights.Data.SequenceEqual(before));
    }

    [Fact]
    public void BadInputFailsBeforeTraining()
    {
        var model = new TwoLayerShiftedRelu(64, 4, 1);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new GaussNewtonDense().Train(model, SyntheticRegression.Sphere(3, 5, 1))).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new GaussNewtonDense(new GaussNewtonOptions { MaxIterations = 0 })).ParamName);
        Assert.Equal("ResidualTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new GaussNewtonSublinear(new GaussNewtonOptions { ResidualTolerance = double.NaN })).ParamName);
        Assert.Equal("Solver", Assert.Throws<ArgumentOutOfRangeException>(() => new GaussNewtonSublinear(new GaussNewtonOptions { Solver = (RegressionSolver)7 })).ParamName);
        Assert.Throws<ArgumentNullException>(() => new GaussNewtonDense().Train(null!, SyntheticRegression.Sphere(3, 4, 1)));
    }

    /// <summary>The sublinear trainer's estimate covers what the forest holds (its trees, X and scratch; W is the model's)
    /// and the step's workspace, and stays within twice that.</summary>
    [Theory]
    [InlineData(2, 7, 3)]
    [InlineData(1000, 16, 5)]
    [InlineData(70000, 4, 9)]
    public void TheWorkspaceEstimateCoversTheForest(int width, int dimension, int points)
    {
        var model = new TwoLayerShiftedRelu(width, dimension, 1);
        var data = SyntheticRegression.Sphere(points, dimension, 2);
        var forest = global::Kernels.Trees.ThresholdForest.Borrow(model.WeightStorage, width, data.Inputs);
        // The point masks (one word per changed neuron, up to m) and the changed list (up to m ints); the new rows are written
        // in place in W. The forest's trees, X and update scratch as it estimates them (its tests check that estimate against
        // what it allocates), and at least its trees.
        long step = (long)width * sizeof(ulong) + (long)width * sizeof(int);
        long forestBytes = global::Kernels.Trees.ThresholdForest.EstimateBytes(width, points, dimension, global::Kernels.Trees.ForestLayout.Wide, borrowsWeights: true);
        Assert.True(forest.TreeBytes <= forestBytes);
        long held = forestBytes + step;
        long estimate = new GaussNewtonSublinear().WorkspaceBytes(model, data);
        Assert.InRange(estimate, held, 2 * held + 64 * 1024);
        Assert.True(new GaussNewtonDense().WorkspaceBytes(model, data) > 0);
    }

    /// <summary>
    /// Trees that cannot fit are refused before anything is allocated: n is chosen so that n·m·4·16/15 bytes exceeds
    /// the memory this process may use, whatever the machine (the model itself is only m = 2²² floats).
    /// </summary>
    [Fact]
    public void AForestThatCannotFitIsRefusedBeforeTraining()
    {
        const int width = 1 << 22;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        int points = checked((int)(available / ((long)width * 4 * 16 / 15) + 1));
        var inputs = new float[points];
        Array.Fill(inputs, 1f);
        var data = new RegressionSet(new ReadOnlyMatrixView<float>(inputs, points, 1), new float[points]);
        var model = new TwoLayerShiftedRelu(width, 1, 3);
        var error = Assert.Throws<ArgumentException>(() => new GaussNewtonSublinear().Train(model, data));
        Assert.Equal("model", error.ParamName);
        Assert.Contains("bytes", error.Message);
    }

    private sealed class CancelAfter(CancellationTokenSource source, int iterations) : IProgress<GaussNewtonIteration>
    {
        private int _seen;

        public void Report(GaussNewtonIteration value)
        {
            if (++_seen == iterations)
            {
                source.Cancel();
            }
        }
    }
}
