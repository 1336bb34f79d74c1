using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Solvers;
using Kernels.Sparse;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// The regression solve of <see cref="RegressionSolver.Sketched"/> (Algorithm 5 of seed 002, steps 2–4): given Jᵀ
/// restricted to the changed neurons U = ∪Q_i as a sparse |U|·d × n matrix, sketch it with a fresh OSNAP S, factor
/// S·Jᵀ = Q·R, and run conjugate gradient on J·Jᵀ·g = f − y preconditioned by M = RᵀR, with J·Jᵀ applied as
/// Jᵀ's transpose after Jᵀ (a <see cref="GramOperator{T}"/> of the sparse Jᵀ, never formed).
/// </summary>
/// <remarks>
/// <para><b>Algorithm 5's iteration.</b> Its R_alg is R⁻¹ and it iterates on R⁻ᵀ·J·Jᵀ·R⁻¹·z = R⁻ᵀ(f − y), g = R⁻¹z;
/// preconditioned CG with M = RᵀR gives exactly those iterates mapped by g = R⁻¹z (see
/// <see cref="SketchQrPreconditioner{T}"/>), and stops on the unpreconditioned residual ‖J·Jᵀ·g − (f − y)‖.</para>
/// <para><b>Seeds.</b> Iteration t samples S with the seed drawn from
/// <c>CounterRandom(Derive(model seed, Purpose("gnsketch")), stream: t)</c>, so runs repeat bit for bit.</para>
/// <para><b>Allocation.</b> The CSR arrays are kept and grown geometrically, but each step still allocates: the
/// public <see cref="CsrMatrix{T}"/> constructor copies its arrays (about 12 bytes per stored entry, Σ|Q_i|·d entries),
/// and a <see cref="SketchQrPreconditioner{T}"/> binds its sketch, whose column count |U|·d changes every iteration, at
/// construction (s·n doubles for S·Jᵀ and its QR). Removing this needs a CSR view over caller-owned arrays and a
/// preconditioner that takes the sketch per factorization, both in the lower layers.</para>
/// </remarks>
internal sealed class SketchedRegression
{
    /// <summary>The purpose the per-iteration sketches derive their seed with.</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("gnsketch");

    private readonly SketchedSolverOptions _options;
    private readonly int _n;
    private readonly ulong _seed;
    private readonly ConjugateGradientOptions _stopping;
    private readonly ConjugateGradientWorkspace<double> _workspace;
    private int[] _rowPointers = [];
    private int[] _columnIndices = [];
    private double[] _values = [];
    private GramOperator<double>? _gram;
    private SketchQrPreconditioner<double>? _preconditioner;

    /// <param name="options">Validated options.</param>
    /// <param name="n">The data points: columns of Jᵀ.</param>
    /// <param name="modelSeed">The model's seed, from which the sketches' seed is derived.</param>
    public SketchedRegression(SketchedSolverOptions options, int n, ulong modelSeed)
    {
        _options = options;
        _n = n;
        _seed = CounterRandom.Derive(modelSeed, SeedPurpose);
        _stopping = new ConjugateGradientOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations };
        _workspace = new ConjugateGradientWorkspace<double>(n);
    }

    /// <summary>s: rows of each sketch.</summary>
    public int SketchRows => _options.SketchRowsPerPoint * _n;

    /// <summary>Row pointers (rows + 1), column indices and values (entries each) for Jᵀ, to be filled by the caller.</summary>
    public void Reserve(int rows, int entries, out Span<int> rowPointers, out Span<int> columnIndices, out Span<double> values)
    {
        if (_rowPointers.Length < rows + 1)
        {
            _rowPointers = new int[Math.Max(rows + 1, _rowPointers.Length + _rowPointers.Length / 2)];
        }
        if (_values.Length < entries)
        {
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max(entries, _values.Length + (long)_values.Length / 2));
            _columnIndices = new int[capacity];
            _values = new double[capacity];
        }
        rowPointers = _rowPointers.AsSpan(0, rows + 1);
        columnIndices = _columnIndices.AsSpan(0, entries);
        values = _values.AsSpan(0, entries);
    }

    /// <summary>Sketches and factors the Jᵀ filled after <see cref="Reserve"/>: <see cref="RegressionStatus.Solved"/> when R exists.</summary>
    public RegressionStatus Factor(int rows, int entries, int iteration, BlasOptions? options)
    {
        _gram = null;
        _preconditioner = null;
        if (rows < _n)
        {
            return RegressionStatus.RankDeficient;
        }
        var transposed = new CsrMatrix<double>(rows, _n, _rowPointers.AsSpan(0, rows + 1), _columnIndices.AsSpan(0, entries), _values.AsSpan(0, entries));
        Span<uint> words = stackalloc uint[2];
        new CounterRandom(_seed, (ulong)iteration).FillUInt32(words);
        var sketch = new SparseEmbeddingDistribution(SketchRows, rows, _options.NonzerosPerColumn).Sample<double>((ulong)words[1] << 32 | words[0]);
        var preconditioner = new SketchQrPreconditioner<double>(sketch, _n);
        try
        {
            preconditioner.Factor(transposed, options);
        }
        catch (ArgumentException)
        {
            // The shapes hold by construction and the CSR constructor has checked the values are finite, so the only
            // ArgumentException left is the rank test on R.
            return RegressionStatus.RankDeficient;
        }
        _gram = new GramOperator<double>(new CsrMap<double>(transposed, options), GramForm.AtA);
        _preconditioner = preconditioner;
        return RegressionStatus.Solved;
    }

    /// <summary>PCG on J·Jᵀ·g = <paramref name="residual"/> after a successful <see cref="Factor"/>; g goes to <paramref name="solution"/>.</summary>
    public RegressionStatus Solve(ReadOnlySpan<double> residual, Span<double> solution, out int iterations)
    {
        var result = ConjugateGradient.Solve(_gram!, residual, solution, _preconditioner, _stopping, _workspace);
        iterations = result.Iterations;
        switch (result.Status)
        {
            case SolverStatus.NonFinite:
                return RegressionStatus.NonFinite;
            case SolverStatus.Converged:
                foreach (double g in solution)
                {
                    if (!double.IsFinite(g))
                    {
                        return RegressionStatus.NonFinite;
                    }
                }
                return RegressionStatus.Solved;
            default:
                return RegressionStatus.NotConverged;
        }
    }
}
