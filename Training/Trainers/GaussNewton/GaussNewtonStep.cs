using System.Numerics;
using Kernels.Activations;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Simd;
using Kernels.Sketching.Operators;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Trees;

namespace Kernels.Training.Trainers.GaussNewton;

/// <summary>
/// The part of a Gauss-Newton iteration that dense and sublinear training share, computed from the active sets
/// alone: predictions f_i = (1/√m)·Σ_{r∈Q_i} a_r·(⟨w_r, x_i⟩ − b), the exact G = J·Jᵀ with
/// G_ij = (1/m)·⟨x_i, x_j⟩·|Q_i ∩ Q_j|, its Cholesky solve G·g = f − y (or, for <see cref="RegressionSolver.Sketched"/>,
/// the active sets handed to <see cref="SketchedRegression"/>), and the new rows
/// w_r − (1/√m)·a_r·Σ_{i: r∈Q_i} g_i·x_i of the changed neurons r ∈ ∪Q_i.
/// </summary>
/// <remarks>
/// Both trainers run exactly this code on their active sets, so when the sets and values agree the new weights agree
/// bit for bit. Workspaces are sized once from (n, m, d); after the first iteration an exact step allocates only when
/// an active set outgrows every earlier one, exact or sketched.
/// <para><b>Cost.</b> With P_r = { i : r ∈ Q_i }, forming G costs Σ_r |P_r|² (pairs of points sharing a neuron) and
/// the update Σ_r |P_r|·d: both proportional to the active sets, not to m.</para>
/// <para><b>New rows in place.</b> Each new row is written over its old row of the model's W (the row is read and
/// written while in L1, with no buffer of new rows), by one function of the row and its neuron's points: either
/// <see cref="ComputeNewRows"/> for all changed neurons, or a forest that rewrites each row as it refreshes it
/// (<see cref="NewRows"/>, an <see cref="IRowRewriter"/>), so the two trainers write the same bits.</para>
/// </remarks>
internal sealed class GaussNewtonStep
{
    /// <summary>Parts of <see cref="ComputeNewRows"/>, spread over the threads.</summary>
    private const int RowParts = 8;

    /// <summary>How many changed neurons ahead <see cref="ComputeRows"/> prefetches their rows of W.</summary>
    private const int RowDistance = 16;

    private readonly TwoLayerShiftedRelu _model;
    private readonly RegressionSet _data;
    private readonly int _n;
    private readonly int _maskWords;
    private readonly double[] _inputGram;   // ⟨x_i, x_j⟩, n × n
    private readonly double[] _gram;        // G, n × n, factored in place
    private readonly int[] _pairs;          // |Q_i ∩ Q_j|, n × n (lower triangle used)
    private readonly double[] _residual;    // f − y
    private readonly double[] _solution;    // g
    private readonly float[] _predictions;  // f
    private readonly ulong[] _union;        // m bits: bit r set when r ∈ ∪Q_i (clear between Collects)
    private readonly int[] _unionRanks;     // per word of _union: how many changed neurons lie in the words before it
    private ulong[] _pointMasks;            // per changed neuron (by position in _changed), bit i set when r ∈ Q_i
    private readonly int[] _points;         // scratch: the points of one neuron, for FormGram
    private readonly float[] _coefficients; // g_i/√m of the step being applied
    private readonly double _dataMagnitude; // max |x_ij|
    private double _weightBound;            // an upper bound on max |W|: at the start, plus every applied step's growth
    private int[] _changed;                 // ∪Q_i, ascending
    private readonly SketchedRegression? _sketched;

    /// <param name="model">The model being trained.</param>
    /// <param name="data">The training set.</param>
    /// <param name="sketched">The options of <see cref="RegressionSolver.Sketched"/>, or null when steps solve exactly (or take gradient steps).</param>
    public GaussNewtonStep(TwoLayerShiftedRelu model, RegressionSet data, SketchedSolverOptions? sketched = null)
    {
        _model = model;
        _data = data;
        _n = data.Count;
        _maskWords = (_n + 63) / 64;
        _inputGram = new double[_n * _n];
        for (int i = 0; i < _n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double dot = 0;
                var xi = data.Inputs.Row(i);
                var xj = data.Inputs.Row(j);
                for (int k = 0; k < xi.Length; k++)
                {
                    dot += (double)xi[k] * xj[k];
                }
                _inputGram[i * _n + j] = _inputGram[j * _n + i] = dot;
            }
        }
        _gram = new double[_n * _n];
        _pairs = new int[_n * _n];
        _residual = new double[_n];
        _solution = new double[_n];
        _predictions = new float[_n];
        _union = new ulong[(model.Width + 63) / 64];
        _unionRanks = new int[_union.Length];
        _pointMasks = [];
        _points = new int[_n];
        _coefficients = new float[_n];
        _dataMagnitude = Level1.MaxMagnitude<float>(data.Inputs.Data);
        _weightBound = Level1.MaxMagnitude<float>(model.Weights.Data);
        _changed = [];
        _sketched = sketched is null ? null : new SketchedRegression(sketched, data.Inputs, model.Seed);
    }

    /// <summary>The predictions f of the last <see cref="Evaluate"/>.</summary>
    public ReadOnlySpan<float> Predictions => _predictions;

    /// <summary>The changed neurons ∪Q_i of the last <see cref="Collect"/>, ascending.</summary>
    public ReadOnlySpan<int> Changed => _changed.AsSpan(0, ChangedCount);

    public int ChangedCount { get; private set; }

    /// <summary>g from the last solve (or gradient step).</summary>
    public ReadOnlySpan<double> Solution => _solution;

    /// <summary>Bytes a step allocates for <paramref name="model"/> on <paramref name="data"/> at most: the point masks
    /// of the changed neurons (up to m·⌈n/64⌉ words), the list of changed neurons (up to m), the bitmap of their union
    /// with its word ranks (m/8 + m/16 bytes), the n × n input Gram matrix, G and the pair counts
    /// (20·n² bytes) and the per-point vectors; and, when <paramref name="sketched"/> is given, the sketched solver's
    /// storage (<see cref="SketchedRegression.Bytes"/>).</summary>
    public static long Bytes(TwoLayerShiftedRelu model, RegressionSet data, SketchedSolverOptions? sketched = null)
    {
        long n = data.Count;
        long squares = n * n * (2 * sizeof(double) + sizeof(int));
        long vectors = n * (2 * sizeof(double) + 2 * sizeof(float) + sizeof(int));
        return (long)model.Width * ((data.Count + 63) / 64) * sizeof(ulong) + (long)model.Width * sizeof(int)
            + ((long)model.Width + 63) / 64 * (sizeof(ulong) + sizeof(int))
            + squares + vectors
            + (sketched is null ? 0 : SketchedRegression.Bytes(sketched, data.Count, data.Dimension, model.Width));
    }

    /// <summary>
    /// Predictions from the active sets and values, and the residual norm ‖f − y‖. Each term of f_i reads a_r at a
    /// scattered r (a cache miss, mostly, once m·4 bytes of signs outgrow the cache), so the sums are bound by the
    /// latency of those misses: the points run on the threads, each point's sum on one thread in the order of its set,
    /// so the bits do not depend on the thread count.
    /// </summary>
    public double Evaluate(ActiveSets sets, BlasOptions? options = null)
    {
        // A term costs a miss, tens of multiply-adds' time: each counts as 64 against the threshold for threads.
        ParallelParts.Run(new OutputParts(this, sets), _n, (options ?? BlasOptions.Default).ThreadsFor(sets.TotalCount * 64, _n));
        double squared = 0;
        foreach (double r in _residual)
        {
            squared += r * r;
        }
        return Math.Sqrt(squared);
    }

    /// <summary>Part i of <see cref="Evaluate"/>: f_i and its residual f_i − y_i.</summary>
    private readonly struct OutputParts(GaussNewtonStep step, ActiveSets sets) : IParts
    {
        public void Run(int i)
        {
            double f = step._model.Output(sets.Indices(i), sets.Values(i));
            step._predictions[i] = (float)f;
            step._residual[i] = f - step._data.Labels[i];
        }
    }

    /// <summary>
    /// Collects ∪Q_i, ascending, and marks which points activate each of its neurons. The union is a bitmap of m bits
    /// (m/8 bytes, which stays in cache): each Q_i sets its bits, one scan of the bitmap lists the union in ascending
    /// order (no sort), and a neuron's position in that list is the count of set bits before it (a rank per word and
    /// a popcount), so each point's marks go to a compact mask per changed neuron rather than to one per neuron.
    /// </summary>
    public void Collect(ActiveSets sets)
    {
        // |∪Q_i| ≤ min(Σ|Q_i|, m): room for that many changed neurons and their masks.
        long needed = Math.Min(sets.TotalCount, _model.Width);
        if (_changed.Length < needed)
        {
            long length = Math.Min(_model.Width, Math.Max(needed, _changed.Length + _changed.Length / 2));
            _changed = new int[length];
            _pointMasks = new ulong[length * _maskWords];
        }
        ulong[] union = _union;
        for (int i = 0; i < _n; i++)
        {
            foreach (int r in sets.Indices(i))
            {
                union[r >> 6] |= 1UL << (r & 63);
            }
        }
        int changed = 0;
        for (int word = 0; word < union.Length; word++)
        {
            _unionRanks[word] = changed;
            foreach (int bit in new SetBits(union[word]))
            {
                _changed[changed++] = (word << 6) + bit;
            }
        }
        ChangedCount = changed;
        var masks = _pointMasks.AsSpan(0, changed * _maskWords);
        masks.Clear();
        for (int i = 0; i < _n; i++)
        {
            int word = i >> 6;
            ulong bit = 1UL << (i & 63);
            foreach (int r in sets.Indices(i))
            {
                int position = _unionRanks[r >> 6] + (int)ulong.PopCount(union[r >> 6] & ((1UL << (r & 63)) - 1));
                masks[position * _maskWords + word] |= bit;
            }
        }
        foreach (int r in Changed)
        {
            union[r >> 6] = 0;
        }
    }

    /// <summary>Forms G from the marks of <see cref="Collect"/>: G_ij = (1/m)·⟨x_i, x_j⟩·|Q_i ∩ Q_j| (lower triangle).</summary>
    public void FormGram()
    {
        Array.Clear(_pairs);
        var points = _points.AsSpan(0, _n);
        for (int c = 0; c < ChangedCount; c++)
        {
            int count = PointsOf(c, points);
            for (int p = 0; p < count; p++)
            {
                int row = points[p] * _n;
                for (int q = 0; q <= p; q++)
                {
                    _pairs[row + points[q]]++;
                }
            }
        }
        double inverseWidth = 1.0 / _model.Width;
        for (int i = 0; i < _n; i++)
        {
            for (int j = 0; j < _n; j++)
            {
                _gram[i * _n + j] = j <= i ? _inputGram[i * _n + j] * _pairs[i * _n + j] * inverseWidth : 0;
            }
        }
    }

    /// <summary>Solves G·g = f − y by Cholesky; g stays in the workspace.</summary>
    public RegressionStatus Solve(BlasOptions? options)
    {
        var gram = new MatrixView<double>(_gram, _n, _n);
        if (!Cholesky.TryFactor(gram, out _, options))
        {
            return RegressionStatus.NotPositiveDefinite;
        }
        _residual.CopyTo(_solution, 0);
        Cholesky.Solve(gram, _solution.AsSpan());
        foreach (double g in _solution)
        {
            if (!double.IsFinite(g))
            {
                return RegressionStatus.NonFinite;
            }
        }
        return RegressionStatus.Solved;
    }

    /// <summary>
    /// <see cref="RegressionSolver.Sketched"/>, first half: from the marks of <see cref="Collect"/>, lists for each changed
    /// neuron r the points i with r ∈ Q_i and its weight (1/√m)·a_r (the sparse P whose Khatri–Rao product with the
    /// inputs is Jᵀ on the changed neurons, see <see cref="SketchedRegression"/>); then sketches Jᵀ with iteration
    /// <paramref name="iteration"/>'s OSNAP S and factors S·Jᵀ = Q·R.
    /// </summary>
    /// <exception cref="InvalidOperationException">Jᵀ has more rows than the sketch can hash, or Σ|Q_i| is more than an array holds.</exception>
    public RegressionStatus FormSketched(int iteration, BlasOptions? options)
    {
        var sketched = _sketched ?? throw new InvalidOperationException("This step was built without the sketched solver's options.");
        if ((long)ChangedCount * _data.Dimension > KhatriRaoSparseEmbedding<double>.MaxProductRows)
        {
            throw new InvalidOperationException(
                $"Jᵀ of this step has {(long)ChangedCount * _data.Dimension} rows, more than the {KhatriRaoSparseEmbedding<double>.MaxProductRows} a sketch can hash; use RegressionSolver.Exact.");
        }
        long entries = 0;
        foreach (ulong word in _pointMasks.AsSpan(0, ChangedCount * _maskWords))
        {
            entries += (long)ulong.PopCount(word);
        }
        if (entries > Array.MaxLength)
        {
            throw new InvalidOperationException($"The active sets of this step hold {entries} entries, more than an array holds; use RegressionSolver.Exact.");
        }
        sketched.Reserve(ChangedCount, (int)entries, out var pointers, out var points, out var weights);
        var signs = _model.Signs;
        int stored = 0;
        for (int c = 0; c < ChangedCount; c++)
        {
            int r = _changed[c];
            pointers[c] = stored;
            int count = PointsOf(c, points[stored..]);
            weights.Slice(stored, count).Fill(_model.OutputScale * signs[r]);
            stored += count;
        }
        pointers[ChangedCount] = stored;
        return sketched.Factor(ChangedCount, (int)entries, iteration, options);
    }

    /// <summary>
    /// <see cref="RegressionSolver.Sketched"/>, second half, after <see cref="FormSketched"/> succeeded: preconditioned
    /// conjugate gradient on J·Jᵀ·g = f − y; g stays in the workspace.
    /// </summary>
    public RegressionStatus SolveSketched(out int iterations) => _sketched!.Solve(_residual, _solution, out iterations);

    /// <summary>
    /// Uses g = <paramref name="stepSize"/>·(f − y) instead of a solve: the gradient-descent step W ← W − η·Jᵀ(f − y).
    /// </summary>
    public void UseGradient(double stepSize)
    {
        for (int i = 0; i < _n; i++)
        {
            _solution[i] = stepSize * _residual[i];
        }
    }

    /// <summary>
    /// The float coefficients g_i/√m of the solved step, and whether its new rows stay in the range the products need:
    /// a new row moves by at most Σ_i |g_i/√m|·max|x| in any entry, and its float updates (up to n multiply-adds, each
    /// rounding by at most 2⁻²⁴ relative) by at most a factor 1 + (2n + 2)·2⁻²⁴ more, so with the bound on max|W| kept so
    /// far the step passes only if d·(that bound)·max|x| stays within <see cref="ThresholdForest.InnerProductLimit"/>,
    /// the forest's rule for its rows. Otherwise it returns <see cref="RegressionStatus.Overflow"/> and nothing is
    /// written: the bound is checked before any row changes, since a row overwritten in place cannot be restored
    /// exactly. A step that passes advances the bound, so the caller must apply it (<see cref="ComputeNewRows"/> or <see cref="NewRows"/>).
    /// </summary>
    public RegressionStatus PrepareUpdate()
    {
        double growth = 0;
        for (int i = 0; i < _n; i++)
        {
            _coefficients[i] = (float)(_solution[i] * _model.OutputScale);
            growth += Math.Abs((double)_coefficients[i]);
        }
        double bound = (_weightBound + growth * _dataMagnitude) * (1 + (2.0 * _n + 2) * RoundingUnit);
        if (!(_data.Dimension * bound * _dataMagnitude <= ThresholdForest.InnerProductLimit))
        {
            return RegressionStatus.Overflow;
        }
        _weightBound = bound;
        return RegressionStatus.Solved;
    }

    /// <summary>The largest relative rounding error of one float operation, 2⁻²⁴.</summary>
    private const double RoundingUnit = 1.0 / (1 << 24);

    /// <summary>
    /// Replaces row r of the model's W by w_r − (1/√m)·a_r·Σ_{i: r∈Q_i} g_i·x_i for every changed neuron r (<see cref="Changed"/>),
    /// in place, with the coefficients of <see cref="PrepareUpdate"/>. The rows are independent and each is computed the
    /// same way on any thread (<see cref="WriteNewRow"/>), so the result does not depend on <paramref name="options"/>'
    /// thread count.
    /// </summary>
    public void ComputeNewRows(BlasOptions? options)
    {
        ParallelParts.Run(new NewRowParts(this), RowParts,
            (options ?? BlasOptions.Default).ThreadsFor((long)ChangedCount * _data.Dimension * 4, RowParts));
    }

    /// <summary>
    /// The new rows of <see cref="ComputeNewRows"/> as an <see cref="IRowRewriter"/> for the changed neurons in the order
    /// of <see cref="Changed"/> (position c is neuron <see cref="Changed"/>[c]), for a forest to write as it refreshes them
    /// (<see cref="ThresholdForest.Rewrite{TRewriter}"/>): the same bits as <see cref="ComputeNewRows"/>.
    /// </summary>
    public NewRowWriter NewRows => new(this);

    /// <summary>The rewriter of <see cref="NewRows"/>.</summary>
    public readonly struct NewRowWriter(GaussNewtonStep step) : IRowRewriter
    {
        /// <inheritdoc/>
        public void Rewrite(int position, int neuron, Span<float> row) => step.WriteNewRow(position, neuron, row);
    }

    /// <summary>Part p of <see cref="ComputeNewRows"/>: the p-th slice of the changed rows.</summary>
    private readonly struct NewRowParts(GaussNewtonStep step) : IParts
    {
        public void Run(int part) => step.ComputeRows((int)((long)step.ChangedCount * part / RowParts), (int)((long)step.ChangedCount * (part + 1) / RowParts));
    }

    /// <summary>New rows, in place in W, for the changed neurons at positions [<paramref name="from"/>, <paramref name="to"/>) of
    /// <see cref="Changed"/>.</summary>
    /// <remarks>The changed rows lie scattered (ascending) over W, a few percent of its rows, too sparse for the
    /// hardware prefetcher: each is fetched <see cref="RowDistance"/> neurons ahead, into L2 (<see cref="Prefetch.TileIntoL2"/>), so that the misses overlap.</remarks>
    private unsafe void ComputeRows(int from, int to)
    {
        int d = _data.Dimension;
        var weights = _model.MutableWeights;
        fixed (float* w = weights.Data)
        {
            for (int c = from; c < to; c++)
            {
                if (c + RowDistance < to)
                {
                    Prefetch.TileIntoL2(w + (nint)_changed[c + RowDistance] * d, d * sizeof(float));
                }
                WriteNewRow(c, _changed[c], weights.Row(_changed[c]));
            }
        }
    }

    /// <summary>
    /// Row <paramref name="neuron"/>'s new row, written over <paramref name="row"/> (its current row): one Axpy of
    /// −a_r·g_i/√m·x_i per point i with r ∈ Q_i, in ascending i, read from the point mask at <paramref name="position"/>
    /// of <see cref="Changed"/>. Reads only the step's coefficients, masks and inputs, so calls for different rows may run at once.
    /// </summary>
    private void WriteNewRow(int position, int neuron, Span<float> row)
    {
        float sign = _model.Signs[neuron];
        var inputs = _data.Inputs;
        foreach (int i in PointsOf(position))
        {
            Level1.Axpy(-sign * _coefficients[i], inputs.Row(i), row);
        }
    }

    /// <summary>Writes the points of <see cref="PointsOf(int)"/> into <paramref name="points"/>; returns how many.</summary>
    private int PointsOf(int position, Span<int> points)
    {
        int count = 0;
        foreach (int i in PointsOf(position))
        {
            points[count++] = i;
        }
        return count;
    }

    /// <summary>The points i with r ∈ Q_i, r the changed neuron at <paramref name="position"/> of <see cref="Changed"/>,
    /// ascending: the set bits of its point mask.</summary>
    private MaskPoints PointsOf(int position) => new(_pointMasks.AsSpan(position * _maskWords, _maskWords));

    /// <summary>Enumerates the set bits of a point mask (bit i of word w is point 64·w + i) in ascending order, without allocating.</summary>
    private ref struct MaskPoints(ReadOnlySpan<ulong> mask)
    {
        private readonly ReadOnlySpan<ulong> _mask = mask;
        private int _word = -1;
        private ulong _bits;

        public readonly MaskPoints GetEnumerator() => this;

        public int Current { get; private set; }

        public bool MoveNext()
        {
            while (_bits == 0)
            {
                if (++_word >= _mask.Length)
                {
                    return false;
                }
                _bits = _mask[_word];
            }
            Current = (_word << 6) + BitOperations.TrailingZeroCount(_bits);
            _bits &= _bits - 1;
            return true;
        }
    }
}
