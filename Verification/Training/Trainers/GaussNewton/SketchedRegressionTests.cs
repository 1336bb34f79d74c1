using Kernels.Activations;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Training.Trainers;
using Kernels.Training.Trainers.GaussNewton;

namespace Kernels.Verification.Training.Trainers.GaussNewton;

public sealed class SketchedRegressionTests
{
    /// <summary>
    /// On the same active sets, the sketched solve (PCG to a relative residual 1e-10) and the exact Cholesky solve give
    /// the same g. The error of g is at most κ(G) times the relative residual; κ(G) of these small random problems stays
    /// well below 10⁴, so 1e-6 relative leaves a wide margin while still catching a wrong J, sketch or preconditioner
    /// (those are off by O(1)).
    /// </summary>
    [Theory]
    [InlineData(4096, 16, 8, 1UL)]
    [InlineData(2048, 32, 16, 2UL)]
    [InlineData(1000, 5, 3, 3UL)]
    [InlineData(3000, 3, 12, 4UL)]
    public void SketchedAndExactSolveTheSameRegression(int width, int dimension, int points, ulong seed)
    {
        var data = SyntheticRegression.Sphere(points, dimension, seed, SyntheticTarget.Smooth);
        var model = new TwoLayerShiftedRelu(width, dimension, seed);
        var sets = new ActiveSets(points);
        new DenseEngine(model, data, BlasOptions.SingleThreaded).Query(sets);

        var exact = new GaussNewtonStep(model, data);
        exact.Evaluate(sets);
        exact.Collect(sets);
        exact.FormGram();
        Assert.Equal(RegressionStatus.Solved, exact.Solve(null));

        var sketched = new GaussNewtonStep(model, data, new SketchedSolverOptions());
        sketched.Evaluate(sets);
        sketched.Collect(sets);
        Assert.Equal(RegressionStatus.Solved, sketched.FormSketched(0, null));
        Assert.Equal(RegressionStatus.Solved, sketched.SolveSketched(out int iterations));
        Assert.InRange(iterations, 1, 100);

        double difference = 0, norm = 0;
        for (int i = 0; i < points; i++)
        {
            difference += Math.Pow(sketched.Solution[i] - exact.Solution[i], 2);
            norm += exact.Solution[i] * exact.Solution[i];
        }
        Assert.True(norm > 0);
        Assert.True(Math.Sqrt(difference) <= 1e-6 * Math.Sqrt(norm), $"‖g_sketched − g_exact‖ = {Math.Sqrt(difference)} against ‖g_exact‖ = {Math.Sqrt(norm)}");
    }

    /// <summary>
    /// Three dense Gauss-Newton iterations with each solver: the steps differ by the solve's 1e-6 relative error at
    /// most, which moves the float weights by far less than their rounding of the residual drop, so the losses agree
    /// to 1e-4 of the starting residual; the sketched run reports its CG iterations.
    /// </summary>
    [Theory]
    [InlineData(4096, 16, 8, 5UL)]
    [InlineData(2048, 32, 16, 6UL)]
    public void ThreeIterationsGiveTheSameLosses(int width, int dimension, int points, ulong seed)
    {
        var data = SyntheticRegression.Sphere(points, dimension, seed, SyntheticTarget.Teacher);
        var exact = new GaussNewtonDense(new GaussNewtonOptions { MaxIterations = 3 }).Train(new TwoLayerShiftedRelu(width, dimension, seed), data);
        var sketched = new GaussNewtonDense(new GaussNewtonOptions { MaxIterations = 3, Solver = RegressionSolver.Sketched })
            .Train(new TwoLayerShiftedRelu(width, dimension, seed), data);
        Assert.Equal(StopReason.MaxIterations, exact.StopReason);
        Assert.Equal(StopReason.MaxIterations, sketched.StopReason);
        double start = exact.Iterations[0].ResidualBefore;
        for (int t = 0; t < 3; t++)
        {
            Assert.Equal(RegressionStatus.Solved, sketched.Iterations[t].Status);
            Assert.Equal(0, exact.Iterations[t].SolverIterations);
            Assert.InRange(sketched.Iterations[t].SolverIterations, 1, 100);
            Assert.InRange(sketched.Iterations[t].ResidualAfter, exact.Iterations[t].ResidualAfter - 1e-4 * start, exact.Iterations[t].ResidualAfter + 1e-4 * start);
        }
        Assert.True(sketched.Iterations[^1].ResidualAfter < 0.5 * start);
    }

    /// <summary>
    /// The sublinear trainer runs the same sketched step on the same active sets and the same per-iteration sketches
    /// (both derive them from the model's seed), so its residuals follow the dense trainer's to float rounding.
    /// </summary>
    [Fact]
    public void TheSublinearTrainerTakesTheSameSketchedSteps()
    {
        var data = SyntheticRegression.Sphere(8, 16, 7, SyntheticTarget.Smooth);
        var options = new GaussNewtonOptions { MaxIterations = 3, Solver = RegressionSolver.Sketched };
        var dense = new GaussNewtonDense(options).Train(new TwoLayerShiftedRelu(4096, 16, 7), data);
        var sublinear = new GaussNewtonSublinear(options).Train(new TwoLayerShiftedRelu(4096, 16, 7), data);
        Assert.Equal(dense.Iterations.Count, sublinear.Iterations.Count);
        double start = dense.Iterations[0].ResidualBefore;
        for (int t = 0; t < dense.Iterations.Count; t++)
        {
            Assert.Equal(RegressionStatus.Solved, sublinear.Iterations[t].Status);
            Assert.Equal(dense.Iterations[t].ChangedNeurons, sublinear.Iterations[t].ChangedNeurons);
            Assert.InRange(sublinear.Iterations[t].ResidualAfter, dense.Iterations[t].ResidualAfter - 1e-4 * start, dense.Iterations[t].ResidualAfter + 1e-4 * start);
        }
    }

    /// <summary>
    /// The sketch and the products with J·Jᵀ cut the neurons into parts fixed by the problem's size, so one thread and
    /// two give the same g, bit for bit (the width makes the work large enough for several parts and threads).
    /// </summary>
    [Fact]
    public void TheSketchedSolveIsTheSameBitsForAnyThreadCount()
    {
        var data = SyntheticRegression.Sphere(12, 32, 11, SyntheticTarget.Smooth);
        var model = new TwoLayerShiftedRelu(1 << 15, 32, 11);
        var sets = new ActiveSets(12);
        new DenseEngine(model, data, BlasOptions.SingleThreaded).Query(sets);
        double[] Solve(BlasOptions options)
        {
            var step = new GaussNewtonStep(model, data, new SketchedSolverOptions());
            step.Evaluate(sets);
            step.Collect(sets);
            Assert.Equal(RegressionStatus.Solved, step.FormSketched(2, options));
            Assert.Equal(RegressionStatus.Solved, step.SolveSketched(out _));
            return step.Solution.ToArray();
        }
        Assert.Equal(Solve(BlasOptions.SingleThreaded), Solve(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
    }

    /// <summary>After the first iteration a sketched step allocates nothing (the least over three runs, as for the exact step).</summary>
    [Fact]
    public void ASketchedStepAllocatesNothingAfterTheFirstIteration()
    {
        var data = SyntheticRegression.Sphere(6, 16, 8);
        var least = long.MaxValue;
        for (int run = 0; run < 3 && least > 0; run++)
        {
            var probe = new GaussNewtonAllocationProbe();
            var options = new GaussNewtonOptions { MaxIterations = 5, Blas = BlasOptions.SingleThreaded, Solver = RegressionSolver.Sketched };
            new GaussNewtonSublinear(options).Train(new TwoLayerShiftedRelu(1 << 14, 16, 8), data, probe);
            Assert.Equal(5, probe.Count);
            least = Math.Min(least, probe.AllocatedAfterSecond);
        }
        Assert.True(least == 0, $"at least {least} bytes after iteration 1 in each of three runs");
    }

    /// <summary>Duplicate points make J rank-deficient: S·Jᵀ fails the rank test, and the step is not applied.</summary>
    [Fact]
    public void DuplicatePointsAreRankDeficientAndTheStepIsNotApplied()
    {
        var inputs = new float[] { 1, 0, 0, 1, 1, 0 };
        var data = new RegressionSet(new(inputs, 3, 2), [1f, -1f, 0.5f]);
        var model = new TwoLayerShiftedRelu(1024, 2, 1);
        var before = model.Weights.Data.ToArray();
        var run = new GaussNewtonSublinear(new GaussNewtonOptions { Solver = RegressionSolver.Sketched }).Train(model, data);
        Assert.Equal(StopReason.SolverFailed, run.StopReason);
        Assert.Equal(RegressionStatus.RankDeficient, Assert.Single(run.Iterations).Status);
        Assert.True(model.Weights.Data.SequenceEqual(before));
    }

    /// <summary>
    /// One CG iteration cannot reach 1e-10 on 8 points (it would need M⁻¹·J·Jᵀ to be a multiple of the identity on the
    /// Krylov space): NotConverged, with the iteration count, and the step is not applied.
    /// </summary>
    [Fact]
    public void ASolveThatDoesNotConvergeIsReportedAndNotApplied()
    {
        var data = SyntheticRegression.Sphere(8, 16, 9);
        var model = new TwoLayerShiftedRelu(4096, 16, 9);
        var before = model.Weights.Data.ToArray();
        var options = new GaussNewtonOptions { Solver = RegressionSolver.Sketched, Sketched = new SketchedSolverOptions { MaxIterations = 1 } };
        var run = new GaussNewtonDense(options).Train(model, data);
        Assert.Equal(StopReason.SolverFailed, run.StopReason);
        var report = Assert.Single(run.Iterations);
        Assert.Equal(RegressionStatus.NotConverged, report.Status);
        Assert.Equal(1, report.SolverIterations);
        Assert.Equal(report.ResidualBefore, report.ResidualAfter);
        Assert.True(model.Weights.Data.SequenceEqual(before));
    }

    [Fact]
    public void BadOptionsThrow()
    {
        Assert.Equal("SketchRowsPerPoint", Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedSolverOptions { SketchRowsPerPoint = 0 }.Validate()).ParamName);
        Assert.Equal("SketchRowsPerPoint", Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedSolverOptions { SketchRowsPerPoint = 65 }.Validate()).ParamName);
        Assert.Equal("NonzerosPerColumn", Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedSolverOptions { NonzerosPerColumn = 0 }.Validate()).ParamName);
        Assert.Equal("NonzerosPerColumn", Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedSolverOptions { SketchRowsPerPoint = 2, NonzerosPerColumn = 3 }.Validate()).ParamName);
        foreach (double tolerance in new[] { 0, 1, -1e-3, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("RelativeTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedSolverOptions { RelativeTolerance = tolerance }.Validate()).ParamName);
        }
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedSolverOptions { MaxIterations = 0 }.Validate()).ParamName);
        // The trainers validate the nested options at construction.
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(
            () => new GaussNewtonDense(new GaussNewtonOptions { Solver = RegressionSolver.Sketched, Sketched = new SketchedSolverOptions { MaxIterations = -1 } })).ParamName);
        Assert.Equal("Sketched", Assert.Throws<ArgumentNullException>(() => new GaussNewtonSublinear(new GaussNewtonOptions { Sketched = null! })).ParamName);
        new SketchedSolverOptions().Validate();
    }
    /// <summary>
    /// The workspace estimate of a sketched trainer covers what a sketched run really allocates over three iterations
    /// (the step, the dense engine, the sketch, its copy and QR, the sketch's partial sums, P's arrays and the reports),
    /// and that is more than the exact trainer's estimate: with 64 sketch rows per point the sketched storage
    /// (several s·n = 64·n² doubles) outweighs the step's 4 MiB chunk, so an estimate leaving it out fails here.
    /// </summary>
    [Fact]
    public void TheWorkspaceEstimateCoversTheSketchedSolver()
    {
        var data = SyntheticRegression.Sphere(64, 16, 7, SyntheticTarget.Teacher);
        var sketched = new SketchedSolverOptions { SketchRowsPerPoint = 64 };
        var trainer = new GaussNewtonDense(new GaussNewtonOptions
        {
            MaxIterations = 3, Solver = RegressionSolver.Sketched, Sketched = sketched, Blas = BlasOptions.SingleThreaded,
        });
        trainer.Train(new TwoLayerShiftedRelu(4096, 16, 7), data);
        var model = new TwoLayerShiftedRelu(4096, 16, 8);
        long estimate = trainer.WorkspaceBytes(model, data);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var run = trainer.Train(model, data);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(3, run.Iterations.Count);
        Assert.InRange(allocated, new GaussNewtonDense().WorkspaceBytes(model, data) + 1, estimate);
    }

    /// <summary>
    /// A sketch that cannot fit is refused before training, with its size in bytes: with 64 sketch rows per point the
    /// estimate grows as 64·n²·8·11 bytes, so n is doubled until it exceeds the memory this process may use, while the
    /// exact trainer's estimate for the same problem (no n² term) stays far below it.
    /// </summary>
    [Fact]
    public void ASketchThatCannotFitIsRefusedBeforeTraining()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        var trainer = new GaussNewtonDense(new GaussNewtonOptions { Solver = RegressionSolver.Sketched, Sketched = new SketchedSolverOptions { SketchRowsPerPoint = 64 } });
        var model = new TwoLayerShiftedRelu(64, 1, 3);
        int points = 256;
        while (trainer.WorkspaceBytes(model, Points(points)) <= available)
        {
            points *= 2;
        }
        var data = Points(points);
        Assert.True(new GaussNewtonDense().WorkspaceBytes(model, data) < available);
        var weights = model.Weights.Data.ToArray();
        var error = Assert.Throws<ArgumentException>("model", () => trainer.Train(model, data));
        Assert.Contains($"{trainer.WorkspaceBytes(model, data):N0} bytes", error.Message);
        Assert.True(model.Weights.Data.SequenceEqual(weights));

        static RegressionSet Points(int count)
        {
            var inputs = new float[count];
            Array.Fill(inputs, 1f);
            return new RegressionSet(new ReadOnlyMatrixView<float>(inputs, count, 1), new float[count]);
        }
    }
}
