using Kernels.Activations;
using System.Diagnostics;
using Kernels.Blas;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// The iteration every trainer of <see cref="TwoLayerShiftedRelu"/> runs: evaluate from the active sets, take a step
/// (a Gauss-Newton solve or a gradient step), write the changed rows, query the active sets again, report.
/// </summary>
internal static class ShiftedReluLoop
{
    /// <summary>What a run takes from a trainer's validated options.</summary>
    /// <param name="MaxIterations">Most iterations.</param>
    /// <param name="ResidualTolerance">Stop once ‖f − y‖ ≤ this.</param>
    /// <param name="StepSize">Null for Gauss-Newton (solve G·g = f − y); η for gradient descent (g = η·(f − y)).</param>
    /// <param name="Blas">Threads for the products and trees.</param>
    /// <param name="Sketched">Null for the exact solve (Cholesky of G); the sketched solver's options for <see cref="RegressionSolver.Sketched"/>.</param>
    internal readonly record struct Settings(int MaxIterations, double ResidualTolerance, double? StepSize, BlasOptions? Blas,
        SketchedSolverOptions? Sketched = null)
    {
        /// <summary>The checks every trainer's options share; the messages name the options' properties.</summary>
        public void Validate()
        {
            if (MaxIterations < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "At least one iteration is needed.");
            }
            if (!double.IsFinite(ResidualTolerance) || ResidualTolerance < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ResidualTolerance), ResidualTolerance, "The tolerance must be finite and ≥ 0.");
            }
            if (StepSize is { } eta && (!double.IsFinite(eta) || eta <= 0))
            {
                throw new ArgumentOutOfRangeException(nameof(StepSize), eta, "The step size must be finite and > 0.");
            }
            Blas?.Validate();
        }
    }

    /// <summary>Validates that <paramref name="data"/> fits <paramref name="model"/>.</summary>
    public static void RequireCompatible(TwoLayerShiftedRelu model, RegressionSet data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Dimension != model.Dimension)
        {
            throw new ArgumentException(
                $"data has {data.Dimension} columns; expected the model's input dimension d = {model.Dimension}.", nameof(data));
        }
    }

    /// <summary>Runs up to <see cref="Settings.MaxIterations"/> steps.</summary>
    public static TrainingResult<GaussNewtonIteration> Run(TwoLayerShiftedRelu model, RegressionSet data, Func<IActiveSetEngine> createEngine,
        Settings settings, IProgress<GaussNewtonIteration>? progress, CancellationToken cancellationToken)
    {
        var (maxIterations, tolerance, stepSize, options, sketched) = settings;
        long setupStart = Stopwatch.GetTimestamp();
        var engine = createEngine();
        var sets = new ActiveSets(data.Count);
        var step = new GaussNewtonStep(model, data, sketched);
        engine.Query(sets);
        double residual = step.Evaluate(sets, options);
        var setup = Stopwatch.GetElapsedTime(setupStart);
        var reports = new List<GaussNewtonIteration>(maxIterations);
        var reason = StopReason.MaxIterations;
        for (int t = 0; t < maxIterations; t++)
        {
            if (residual <= tolerance)
            {
                reason = StopReason.Converged;
                break;
            }
            if (cancellationToken.IsCancellationRequested)
            {
                reason = StopReason.Cancelled;
                break;
            }
            long formStart = Stopwatch.GetTimestamp();
            var (min, mean, max) = Sizes(sets);
            step.Collect(sets);
            RegressionStatus status = RegressionStatus.Solved;
            TimeSpan solve = TimeSpan.Zero;
            int solverIterations = 0;
            if (stepSize is { } eta)
            {
                step.UseGradient(eta);
            }
            else if (sketched is not null)
            {
                status = step.FormSketched(t, options);
                if (status == RegressionStatus.Solved)
                {
                    long solveStart = Stopwatch.GetTimestamp();
                    status = step.SolveSketched(out solverIterations);
                    solve = Stopwatch.GetElapsedTime(solveStart);
                }
            }
            else
            {
                step.FormGram();
                long solveStart = Stopwatch.GetTimestamp();
                status = step.Solve(options);
                solve = Stopwatch.GetElapsedTime(solveStart);
            }
            if (status == RegressionStatus.Solved)
            {
                status = step.PrepareUpdate();
            }
            var form = Stopwatch.GetElapsedTime(formStart) - solve;
            if (status != RegressionStatus.Solved)
            {
                Report(new GaussNewtonIteration(t, residual, residual, min, mean, max, step.ChangedCount, status, solverIterations,
                    TimeSpan.Zero, form, solve, TimeSpan.Zero));
                reason = status == RegressionStatus.Overflow ? StopReason.NonFinite : StopReason.SolverFailed;
                break;
            }
            long updateStart = Stopwatch.GetTimestamp();
            engine.Update(step);
            var update = Stopwatch.GetElapsedTime(updateStart);
            long queryStart = Stopwatch.GetTimestamp();
            engine.Query(sets);
            var query = Stopwatch.GetElapsedTime(queryStart);
            long evaluateStart = Stopwatch.GetTimestamp();
            double after = step.Evaluate(sets, options);
            form += Stopwatch.GetElapsedTime(evaluateStart);
            Report(new GaussNewtonIteration(t, residual, after, min, mean, max, step.ChangedCount, status, solverIterations, query, form, solve, update));
            residual = after;
        }
        return new TrainingResult<GaussNewtonIteration>(reports, reason, setup);

        void Report(GaussNewtonIteration report)
        {
            reports.Add(report);
            progress?.Report(report);
        }
    }

    private static (int Min, double Mean, int Max) Sizes(ActiveSets sets)
    {
        int min = int.MaxValue, max = 0;
        long total = 0;
        for (int i = 0; i < sets.Rows; i++)
        {
            int c = sets.Count(i);
            min = Math.Min(min, c);
            max = Math.Max(max, c);
            total += c;
        }
        return (min, (double)total / sets.Rows, max);
    }
}
