using System.Numerics;
using Kernels.Solvers;

namespace Kernels.Training.Ntk;

/// <summary>
/// Primal ridge regression on NTK random features: β solves (ΦᵀΦ + λI)·β = Φᵀ·Y for the n × m·d map Φ
/// (<see cref="RandomFeatureMap{T}"/>) and n × c targets Y, and f(x) = φ(x)ᵀβ. The same predictor as kernel ridge
/// regression with the approximate kernel K̃ = Φ·Φᵀ, solved in m·d unknowns instead of n.
/// </summary>
/// <remarks>
/// Matrix-free CG on the <see cref="GramOperator{T}"/> of Φ with a Jacobi preconditioner (the diagonal of ΦᵀΦ from
/// <see cref="RandomFeatureMap{T}.GramDiagonal"/>, plus λ), all c right-hand sides in one <see cref="ConjugateGradientBatch"/>:
/// each column keeps its own CG recurrence and stopping test (‖r‖ ≤ rtol·‖Φᵀy‖), while every iteration applies the
/// operator to all unconverged columns at once — two masked Gemms over the block (<see cref="RandomFeatureMap{T}"/>'s
/// block products), 4·n·m·d flops per column. Φ is never formed. Memory: ten m·d × c arrays (the batch's eight work
/// arrays, β and Φᵀ·Y; checked up front, the message gives the bytes) plus the block products' pooled scratch.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class FeatureRidge<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _coefficients;
    private readonly FeatureRidgeOptions _options;

    private FeatureRidge(RandomFeatures<T> features, Matrix<T> coefficients, int[] iterations, SolverStatus[] statuses, FeatureRidgeOptions options)
    {
        Features = features;
        _coefficients = coefficients;
        Iterations = iterations;
        Statuses = statuses;
        _options = options;
    }

    /// <summary>The features the model predicts with.</summary>
    public RandomFeatures<T> Features { get; }

    /// <summary>β, m·d × c.</summary>
    public ReadOnlyMatrixView<T> Coefficients => _coefficients.ReadOnlyView;

    /// <summary>CG iterations per right-hand side.</summary>
    public IReadOnlyList<int> Iterations { get; }

    /// <summary>CG status per right-hand side.</summary>
    public IReadOnlyList<SolverStatus> Statuses { get; }

    /// <summary>Solves (ΦᵀΦ + λI)·β = Φᵀ·Y.</summary>
    /// <param name="map">Φ for the training points.</param>
    /// <param name="targets">Y, n × c with c ≥ 1, finite.</param>
    /// <param name="options">λ, tolerance and threads; null for the defaults.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is null.</exception>
    /// <exception cref="ArgumentException">Y does not have n rows and at least one column, or is not finite.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (λ ≤ 0 among them).</exception>
    /// <exception cref="InsufficientMemoryException">The batched solve's m·d × c arrays do not fit (the message gives the bytes).</exception>
    public static FeatureRidge<T> Fit(RandomFeatureMap<T> map, ReadOnlyMatrixView<T> targets, FeatureRidgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        options ??= new FeatureRidgeOptions();
        options.Validate();
        if (targets.Columns < 1)
        {
            throw new ArgumentException("targets has no columns; expected n × c with c ≥ 1.", nameof(targets));
        }
        Guard.RequireShape(targets, map.Rows, targets.Columns, nameof(targets), "n × c, one row per point of the map");
        NeuralTangentKernel.RequireFinite(targets, nameof(targets));

        int p = map.Columns, c = targets.Columns;
        MemoryBudget.Require(10L * p * c, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(),
            $"The batched CG's ten m·d × c arrays (m·d = {p}, the columns of map; c = {c}, the columns of targets)");
        T lambda = T.CreateChecked(options.Lambda);
        var diagonal = new T[p];
        map.GramDiagonal(diagonal);
        for (int k = 0; k < p; k++)
        {
            diagonal[k] += lambda;
        }
        var preconditioner = new JacobiPreconditioner<T>(diagonal);
        var op = new GramOperator<T>(map, GramForm.AtA, lambda);
        var cg = new ConjugateGradientOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations };
        var rhs = new Matrix<T>(p, c);
        map.ApplyTranspose(T.One, targets, T.Zero, rhs.View);
        var coefficients = new Matrix<T>(p, c);
        var results = ConjugateGradientBatch.Solve(op, rhs.ReadOnlyView, coefficients.View, preconditioner, cg);
        var iterations = new int[c];
        var statuses = new SolverStatus[c];
        for (int j = 0; j < c; j++)
        {
            iterations[j] = results[j].Iterations;
            statuses[j] = results[j].Status;
        }
        return new FeatureRidge<T>(map.Features, coefficients, iterations, statuses, options);
    }

    /// <summary>Writes f(p) = φ(p)ᵀβ for the rows of P.</summary>
    /// <param name="points">P, q × d, finite.</param>
    /// <param name="predictions">q × c, not overlapping P; overwritten.</param>
    /// <exception cref="ArgumentException">A shape does not match, the outputs overlap P, or P is not finite.</exception>
    public void Predict(ReadOnlyMatrixView<T> points, MatrixView<T> predictions)
    {
        Guard.RequireColumns(points, Features.Dimension, nameof(points), $"{Features.Dimension} columns, the dimension of the features");
        Guard.RequireShape<T>(predictions, points.Rows, _coefficients.Columns, nameof(predictions), "q × c: one row per point, one column per right-hand side");
        Guard.RequireDisjoint(points, nameof(points), predictions, nameof(predictions));
        var map = new RandomFeatureMap<T>(points, Features, _options.Blas);
        map.Apply(T.One, Coefficients, T.Zero, predictions);
    }
}
