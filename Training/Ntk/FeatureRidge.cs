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
/// <see cref="RandomFeatureMap{T}.GramDiagonal"/>, plus λ), one solve per right-hand side: each iteration is two masked
/// Gemms of 2·n·m·d flops. Φ is never formed.
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

        int n = map.Rows, p = map.Columns, c = targets.Columns;
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
        var workspace = new ConjugateGradientWorkspace<T>(p);
        var coefficients = new Matrix<T>(p, c);
        var column = new T[n];
        var rhs = new T[p];
        var solution = new T[p];
        var iterations = new int[c];
        var statuses = new SolverStatus[c];
        for (int j = 0; j < c; j++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = targets[i, j];
            }
            map.ApplyTranspose(T.One, column, T.Zero, rhs);
            var result = ConjugateGradient.Solve(op, rhs, solution, preconditioner, cg, workspace);
            iterations[j] = result.Iterations;
            statuses[j] = result.Status;
            for (int k = 0; k < p; k++)
            {
                coefficients[k, j] = solution[k];
            }
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
