using System.Runtime.Intrinsics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Randomness;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Solvers;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// The regression solve of <see cref="RegressionSolver.Sketched"/> (Algorithm 5 of seed 002, steps 2–4), from the
/// structure of Jᵀ alone: with the changed neurons U = ∪Q_i, P the |U| × n matrix with P[c, i] = a_r/√m when neuron
/// r = U[c] is active for point i (zero otherwise) and X the n × d inputs, Jᵀ restricted to U is the Khatri–Rao product
/// P ⊙ Xᵀ (row (c, k), column i: P[c, i]·x_i[k]). A fresh OSNAP S sketches it directly from P and X
/// (<see cref="KhatriRaoSparseEmbedding{T}"/>: neither S nor Jᵀ is stored), S·Jᵀ = Q·R is factored, and conjugate
/// gradient runs on J·Jᵀ·g = f − y preconditioned by M = RᵀR, with J·Jᵀ applied matrix-free neuron by neuron
/// (z_c = Σ_i P[c, i]·v_i·x_i, the rows of Jᵀ·v for neuron c; then (J·z)_i += P[c, i]·⟨x_i, z_c⟩).
/// </summary>
/// <remarks>
/// <para><b>Algorithm 5's iteration.</b> Its R_alg is R⁻¹ and it iterates on R⁻ᵀ·J·Jᵀ·R⁻¹·z = R⁻ᵀ(f − y), g = R⁻¹z;
/// preconditioned CG with M = RᵀR gives exactly those iterates mapped by g = R⁻¹z (see
/// <see cref="SketchQrPreconditioner{T}"/>), and stops on the unpreconditioned residual ‖J·Jᵀ·g − (f − y)‖.</para>
/// <para><b>Seeds.</b> Iteration t sketches with the seed drawn from
/// <c>CounterRandom(Derive(model seed, Purpose("gnsketch")), stream: t)</c>, so runs repeat bit for bit; S is the
/// OSNAP matrix <c>SparseEmbeddingDistribution(s, |U|·d, t).Sample(that seed)</c>.</para>
/// <para><b>Cost.</b> The sketch costs t·d·nnz(P) multiply-adds and each product with J·Jᵀ 2·d·nnz(P), where
/// nnz(P) = Σ|Q_i|; the QR is of an s × n matrix. Nothing is proportional to m.</para>
/// <para><b>Threads and allocation.</b> Both the sketch and the products cut the neurons into parts fixed by the
/// problem's size and add the parts' sums in order, so g is the same bits for any thread count. P's arrays grow
/// geometrically with Σ|Q_i| and everything else is sized once, so after warm-up a step allocates nothing.</para>
/// </remarks>
internal sealed class SketchedRegression
{
    /// <summary>The purpose the per-iteration sketches derive their seed with.</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("gnsketch");

    /// <summary>Most parts of a product with J·Jᵀ, each with its own partial sum of n elements.</summary>
    private const int MaxParts = 8;

    /// <summary>Multiply-adds (d·nnz(P)) per part of a product, at least.</summary>
    private const long PartWork = 1 << 16;

    private readonly int _n;
    private readonly int _d;
    private readonly ulong _seed;
    private readonly double[] _inputs;       // X, n × d, in double
    private readonly KhatriRaoSparseEmbedding<double> _sketch;
    private readonly double[] _sketched;     // S·Jᵀ, s × n
    private readonly SketchQrPreconditioner<double> _preconditioner;
    private readonly DelegateOperator<double> _gram;
    private readonly ConjugateGradientOptions _stopping;
    private readonly ConjugateGradientWorkspace<double> _workspace;
    private readonly double[] _direction;    // the vector J·Jᵀ is applied to
    private readonly double[] _partialSums;  // MaxParts × n
    private readonly double[] _rowsOfJt;     // MaxParts × d: z_c of the neuron a part is on
    private int[] _rowPointers = [0];
    private int[] _points = [];
    private double[] _weights = [];
    private int _neurons;
    private BlasOptions _blas = BlasOptions.Default;

    /// <param name="options">Validated options.</param>
    /// <param name="inputs">X, n × d: the data points, rows of Jᵀ's blocks.</param>
    /// <param name="modelSeed">The model's seed, from which the sketches' seed is derived.</param>
    public SketchedRegression(SketchedSolverOptions options, ReadOnlyMatrixView<float> inputs, ulong modelSeed)
    {
        _n = inputs.Rows;
        _d = inputs.Columns;
        _seed = CounterRandom.Derive(modelSeed, SeedPurpose);
        _inputs = new double[_n * _d];
        for (int i = 0; i < _n; i++)
        {
            var row = inputs.Row(i);
            for (int k = 0; k < _d; k++)
            {
                _inputs[i * _d + k] = row[k];
            }
        }
        long rows = (long)options.SketchRowsPerPoint * _n;
        if (rows * _n > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The sketch S·Jᵀ of {options.SketchRowsPerPoint}·{_n} rows × {_n} points would take {rows * _n * sizeof(double):N0} bytes, more than one array holds.",
                nameof(options));
        }
        int s = (int)rows;
        _sketch = new KhatriRaoSparseEmbedding<double>(s, options.NonzerosPerColumn);
        _sketched = new double[(long)s * _n];
        _preconditioner = new SketchQrPreconditioner<double>(s, _n);
        _gram = new DelegateOperator<double>(_n, ApplyGram);
        _stopping = new ConjugateGradientOptions { RelativeTolerance = options.RelativeTolerance, MaxIterations = options.MaxIterations };
        _workspace = new ConjugateGradientWorkspace<double>(_n);
        _direction = new double[_n];
        _partialSums = new double[MaxParts * _n];
        _rowsOfJt = new double[MaxParts * _d];
    }

    /// <summary>
    /// Bytes the sketched solver allocates at most for <paramref name="points"/> data points of dimension
    /// <paramref name="dimension"/> and a model of <paramref name="width"/> neurons: X in double (n·d), the sketch S·Jᵀ
    /// (s·n), the preconditioner's copy, QR and R (2·s·n + n² + 32·n), the sketch's partial sums and scratch
    /// (<see cref="KhatriRaoSparseEmbedding{T}.MaxParts"/>·(s·n + d + 2·t·max(512, 8d) + 32·t)), the product's
    /// partial sums (MaxParts·(n + d)), the conjugate-gradient vectors, and P's arrays at their largest: grown by half
    /// past Σ|Q_i| ≤ n·m entries (an int and a double each) and m + 1 row offsets.
    /// </summary>
    public static long Bytes(SketchedSolverOptions options, int points, int dimension, int width)
    {
        long n = points, d = dimension, m = width;
        long s = options.SketchRowsPerPoint * n;
        long t = options.NonzerosPerColumn;
        long window = Math.Max(512, 8 * d);
        long doubles = n * d + s * n + 2 * s * n + n * n + (HouseholderQr<double>.PanelWidth + 1) * n
            + KhatriRaoSparseEmbedding<double>.MaxParts * (s * n + d + t * window + 4 * 8 * t)
            + MaxParts * (n + d) + 6 * n;
        long entries = Math.Min(Array.MaxLength, n * m + n * m / 2);
        long rowPointers = m + 1 + (m + 1) / 2;
        return doubles * sizeof(double) + entries * (sizeof(int) + sizeof(double))
            + (rowPointers + KhatriRaoSparseEmbedding<double>.MaxParts * t * window) * sizeof(int);
    }

    /// <summary>
    /// P's CSR arrays for <paramref name="neurons"/> changed neurons and <paramref name="entries"/> = Σ|Q_i| stored
    /// entries, to be filled by the caller: row c lists the points i whose active set holds the c-th changed neuron r,
    /// with weight a_r/√m.
    /// </summary>
    public void Reserve(int neurons, int entries, out Span<int> rowPointers, out Span<int> points, out Span<double> weights)
    {
        if (_rowPointers.Length < neurons + 1)
        {
            _rowPointers = new int[Math.Max(neurons + 1, _rowPointers.Length + _rowPointers.Length / 2)];
        }
        if (_points.Length < entries)
        {
            int capacity = (int)Math.Min(Array.MaxLength, Math.Max(entries, _points.Length + (long)_points.Length / 2));
            _points = new int[capacity];
            _weights = new double[capacity];
        }
        rowPointers = _rowPointers.AsSpan(0, neurons + 1);
        points = _points.AsSpan(0, entries);
        weights = _weights.AsSpan(0, entries);
    }

    /// <summary>Sketches and factors the Jᵀ given by P (filled after <see cref="Reserve"/>): <see cref="RegressionStatus.Solved"/> when R exists.</summary>
    public RegressionStatus Factor(int neurons, int entries, int iteration, BlasOptions? options)
    {
        _neurons = 0;
        _blas = options ?? BlasOptions.Default;
        if ((long)neurons * _d < _n)
        {
            return RegressionStatus.RankDeficient;
        }
        Span<uint> words = stackalloc uint[2];
        new CounterRandom(_seed, (ulong)iteration).FillUInt32(words);
        var sketched = new MatrixView<double>(_sketched, _preconditioner.SketchRows, _n);
        _sketch.Apply((ulong)words[1] << 32 | words[0], _rowPointers.AsSpan(0, neurons + 1), _points.AsSpan(0, entries), _weights.AsSpan(0, entries),
            new ReadOnlyMatrixView<double>(_inputs, _n, _d), sketched, options);
        try
        {
            _preconditioner.FactorSketched(sketched, options);
        }
        catch (ArgumentException)
        {
            // P's weights ±1/√m and the validated unit-norm inputs are finite, so S·Jᵀ is, and the only ArgumentException
            // left is the rank test on R.
            return RegressionStatus.RankDeficient;
        }
        _neurons = neurons;
        return RegressionStatus.Solved;
    }

    /// <summary>PCG on J·Jᵀ·g = <paramref name="residual"/> after a successful <see cref="Factor"/>; g goes to <paramref name="solution"/>.</summary>
    public RegressionStatus Solve(ReadOnlySpan<double> residual, Span<double> solution, out int iterations)
    {
        var result = ConjugateGradient.Solve(_gram, residual, solution, _preconditioner, _stopping, _workspace);
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

    /// <summary>y ← J·Jᵀ·x over the neurons of the last <see cref="Factor"/>, in parts fixed by the problem's size.</summary>
    private void ApplyGram(ReadOnlySpan<double> x, Span<double> y)
    {
        x.CopyTo(_direction);
        int entries = _rowPointers[_neurons];
        long work = (long)entries * _d;
        int parts = (int)Math.Clamp(work / PartWork, 1, Math.Min(MaxParts, Math.Max(_neurons, 1)));
        ParallelParts.Run(new GramParts(this, parts), parts, _blas.ThreadsFor(2 * work, parts));
        _partialSums.AsSpan(0, _n).CopyTo(y);
        for (int part = 1; part < parts; part++)
        {
            var sums = _partialSums.AsSpan(part * _n, _n);
            for (int i = 0; i < _n; i++)
            {
                y[i] += sums[i];
            }
        }
    }

    /// <summary>Part p of <see cref="ApplyGram"/>: neurons [C·p/parts, C·(p+1)/parts) into partial sum p.</summary>
    private readonly struct GramParts(SketchedRegression owner, int parts) : IParts
    {
        public void Run(int part) => owner.ApplyGramPart((int)((long)owner._neurons * part / parts), (int)((long)owner._neurons * (part + 1) / parts), part);
    }

    /// <summary>
    /// For each neuron c in [first, last): z = Σ_i P[c, i]·x_i·X_i (its rows of Jᵀ·x), then sums_i += P[c, i]·⟨X_i, z⟩.
    /// A neuron of one point (most of them) computes z lane by lane inside the dot product instead of storing it.
    /// </summary>
    private unsafe void ApplyGramPart(int first, int last, int part)
    {
        int d = _d;
        fixed (double* inputs = _inputs, direction = _direction, weights = _weights, sums = &_partialSums[part * _n], z = &_rowsOfJt[part * d])
        fixed (int* points = _points, pointers = _rowPointers)
        {
            new Span<double>(sums, _n).Clear();
            for (int c = first; c < last; c++)
            {
                int start = pointers[c], end = pointers[c + 1];
                if (end - start == 1)
                {
                    int i = points[start];
                    double* xi = inputs + (nint)i * d;
                    sums[i] += weights[start] * DotScaled(xi, weights[start] * direction[i], xi, d);
                    continue;
                }
                if (start == end)
                {
                    continue;
                }
                Scale(weights[start] * direction[points[start]], inputs + (nint)points[start] * d, z, d);
                for (int e = start + 1; e < end; e++)
                {
                    AddScaled(weights[e] * direction[points[e]], inputs + (nint)points[e] * d, z, d);
                }
                for (int e = start; e < end; e++)
                {
                    sums[points[e]] += weights[e] * DotScaled(inputs + (nint)points[e] * d, 1, z, d);
                }
            }
        }
    }

    // The row kernels below run once per stored entry of P on rows of d elements, where the public Level1 calls' checks
    // (lengths, overlap, finite α) cost as much as the arithmetic; their arguments hold by construction.

    /// <summary>z ← α·x.</summary>
    private static unsafe void Scale(double alpha, double* x, double* z, int d)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k + 8 <= d; k += 8)
            {
                (alpha * Vector512.Load(x + k)).Store(z + k);
            }
        }
        for (; k < d; k++)
        {
            z[k] = alpha * x[k];
        }
    }

    /// <summary>z ← α·x + z.</summary>
    private static unsafe void AddScaled(double alpha, double* x, double* z, int d)
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(alpha);
            for (; k + 8 <= d; k += 8)
            {
                VectorMath.MultiplyAdd(a, Vector512.Load(x + k), Vector512.Load(z + k)).Store(z + k);
            }
        }
        for (; k < d; k++)
        {
            z[k] = VectorMath.MultiplyAdd(alpha, x[k], z[k]);
        }
    }

    /// <summary>⟨x, α·z⟩, each α·z[k] rounded before its multiply-add, as if α·z had been stored; two accumulators, a fixed order for a given d and vector width.</summary>
    private static unsafe double DotScaled(double* x, double alpha, double* z, int d)
    {
        int k = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> even = Vector512<double>.Zero, odd = Vector512<double>.Zero, a = Vector512.Create(alpha);
            for (; k + 16 <= d; k += 16)
            {
                even = VectorMath.MultiplyAdd(Vector512.Load(x + k), a * Vector512.Load(z + k), even);
                odd = VectorMath.MultiplyAdd(Vector512.Load(x + k + 8), a * Vector512.Load(z + k + 8), odd);
            }
            sum = Vector512.Sum(even + odd);
        }
        for (; k < d; k++)
        {
            sum = VectorMath.MultiplyAdd(x[k], alpha * z[k], sum);
        }
        return sum;
    }
}
