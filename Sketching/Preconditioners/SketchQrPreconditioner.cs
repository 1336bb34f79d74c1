using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Simd;
using Kernels.Sketching.Operators;
using Kernels.Solvers;
using Kernels.Sparse;

namespace Kernels.Sketching.Preconditioners;

/// <summary>
/// The sketch-and-QR preconditioner of Blendenpik (Avron, Maymounkov and Toledo 2010), LSRN (Meng, Saunders and Mahoney
/// 2014) and the sketched Gauss–Newton step of [BPSW21] and Algorithm 5 of the papers (§B): for a tall N × n matrix A,
/// sketch it, S·A (s × n, s ≥ n), factor S·A = Q·R, and use M = RᵀR ≈ AᵀA, applied as z = M⁻¹·r = R⁻¹R⁻ᵀ·r by two
/// triangular solves. If S is a (1 ± ε) subspace embedding of the range of A, then A·R⁻¹ has singular values in
/// [√(1 − ε), √(1 + ε)], so κ(M⁻¹AᵀA) ≤ (1 + ε)/(1 − ε) whatever κ(A) is, and conjugate gradient converges in a number
/// of iterations that does not grow with κ(A).
/// </summary>
/// <remarks>
/// <para><b>Least squares</b> (Blendenpik/LSRN): min ‖A·x − b‖ through the normal equations AᵀA·x = Aᵀb, solved by
/// <see cref="ConjugateGradient"/> with the <see cref="GramOperator{T}"/> of A and this preconditioner.</para>
/// <para><b>Gauss–Newton</b> (Algorithm 5): with the Jacobian J (n × md), A = Jᵀ is the tall matrix, usually implicit (an
/// <see cref="ILinearMap{T}"/>, whose products are J's products swapped), and AᵀA = J·Jᵀ. The algorithm's R_alg is
/// the inverse of this R (S·Jᵀ·R⁻¹ has orthonormal columns), and it iterates on R⁻ᵀ·J·Jᵀ·R⁻¹·z = R⁻ᵀ(f − y) with
/// g = R⁻¹·z. Preconditioned CG on J·Jᵀ·g = f − y with M = RᵀR produces exactly those iterates, mapped by g = R⁻¹z, so
/// the trainer passes its J·Jᵀ operator (formed from the active sets, or the <see cref="GramOperator{T}"/> of its Jᵀ map)
/// and this object to <see cref="ConjugateGradient.Solve"/>. <see cref="SolveR"/> and <see cref="SolveRTranspose"/> give
/// the split form for iterations that want it (the paper's Richardson iteration).</para>
/// <para><b>Reuse.</b> One instance holds the s × n sketch, the QR storage and R; each <c>Factor</c> call re-sketches and
/// re-factors a new A of the same shape without allocating (the trainer refactors every iteration).</para>
/// <para><b>Rank.</b> A rank-deficient S·A (A itself rank-deficient, or a sketch too small to embed its range) has a
/// diagonal entry |R[j, j]| ≤ max(s, n)·ε·max |R[k, k]|; <c>Factor</c> then throws and leaves the preconditioner
/// unfactored instead of producing infinities.</para>
/// <para><see cref="Apply"/> allocates nothing and keeps no state between calls, but <c>Factor</c> must not run
/// concurrently with it.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class SketchQrPreconditioner<T> : IPreconditioner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _sketched;
    private readonly T[] _r;
    private readonly HouseholderQr<T> _qr;

    /// <summary>Allocates the storage for matrices A of N = <c>sketch.Columns</c> rows and <paramref name="columns"/> columns.</summary>
    /// <param name="sketch">S, s × N with s ≥ n, which should be a subspace embedding of the n-dimensional range of A: in practice OSNAP, an SRHT or a Gaussian sketch with s ≈ 2n–8n rows (the theorems ask for more).</param>
    /// <param name="columns">n, the columns of A and the dimension of the preconditioner, at least 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sketch"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is below 1.</exception>
    /// <exception cref="ArgumentException">The sketch has fewer rows than <paramref name="columns"/>.</exception>
    public SketchQrPreconditioner(ISketch<T> sketch, int columns)
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(sketch);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (sketch.Rows < columns)
        {
            throw new ArgumentException($"The sketch has {sketch.Rows} rows; S·A must be tall, so at least the {columns} columns of A.", nameof(sketch));
        }
        Sketch = sketch;
        SketchRows = sketch.Rows;
        Dimension = columns;
        _sketched = new T[(long)sketch.Rows * columns];
        _r = new T[(long)columns * columns];
        _qr = new HouseholderQr<T>(sketch.Rows, columns);
    }

    /// <summary>
    /// Allocates the storage for sketches S·A of <paramref name="sketchRows"/> × <paramref name="columns"/> that the caller
    /// computes (an implicit sketch such as <see cref="KhatriRaoSparseEmbedding{T}"/>, or a fresh sketch per factorization,
    /// whose column count may change) and hands to <see cref="FactorSketched"/>.
    /// </summary>
    /// <param name="sketchRows">s, the rows of S·A, at least <paramref name="columns"/>.</param>
    /// <param name="columns">n, the columns of A and the dimension of the preconditioner, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="columns"/> is below 1, or <paramref name="sketchRows"/> below <paramref name="columns"/>.</exception>
    public SketchQrPreconditioner(int sketchRows, int columns)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (sketchRows < columns)
        {
            throw new ArgumentOutOfRangeException(nameof(sketchRows), sketchRows, $"S·A must be tall: at least the {columns} columns of A.");
        }
        SketchRows = sketchRows;
        Dimension = columns;
        _sketched = new T[(long)sketchRows * columns];
        _r = new T[(long)columns * columns];
        _qr = new HouseholderQr<T>(sketchRows, columns);
    }

    /// <summary>S, the sketch applied to A; null when the caller sketches (the constructor without a sketch).</summary>
    public ISketch<T>? Sketch { get; }

    /// <summary>s: the rows of S·A.</summary>
    public int SketchRows { get; }

    /// <summary>n: the columns of A and the dimension of M.</summary>
    public int Dimension { get; }

    /// <summary>Whether a successful <c>Factor</c> call has set R.</summary>
    public bool IsFactored { get; private set; }

    /// <summary>Sketches and factors a dense A (N × n): S·A = Q·R.</summary>
    /// <exception cref="ArgumentException">A is not N × n, holds a NaN or infinity, or S·A is rank-deficient (the preconditioner is then unfactored).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The preconditioner was built without a sketch (use <see cref="FactorSketched"/>).</exception>
    public void Factor(ReadOnlyMatrixView<T> a, BlasOptions? options = null)
    {
        var sketch = RequireSketch();
        RequireShape(sketch, a.Rows, a.Columns, nameof(a));
        IsFactored = false;
        sketch.Apply(a, SketchedView, options);
        Finish(nameof(a), options);
    }

    /// <summary>Sketches and factors a sparse A (N × n) in time proportional to its stored entries (for the hashed sketches).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">A is not N × n, or S·A is rank-deficient (the preconditioner is then unfactored).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The preconditioner was built without a sketch (use <see cref="FactorSketched"/>).</exception>
    public void Factor(CsrMatrix<T> a, BlasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        var sketch = RequireSketch();
        RequireShape(sketch, a.Rows, a.Columns, nameof(a));
        IsFactored = false;
        sketch.Apply(a, SketchedView);
        Finish(nameof(a), options);
    }

    /// <summary>Sketches and factors any N × n <see cref="ILinearMap{T}"/> A, such as Jᵀ, which is never held whole (see <see cref="ISketch{T}.Apply(ILinearMap{T}, MatrixView{T}, BlasOptions?)"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">A is not N × n, its products gave a NaN or infinity, or S·A is rank-deficient (the preconditioner is then unfactored).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The preconditioner was built without a sketch (use <see cref="FactorSketched"/>).</exception>
    public void Factor(ILinearMap<T> a, BlasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        var sketch = RequireSketch();
        RequireShape(sketch, a.Rows, a.Columns, nameof(a));
        IsFactored = false;
        sketch.Apply(a, SketchedView, options);
        Finish(nameof(a), options);
    }

    /// <summary>Factors S·A = Q·R for an S·A (s × n) that the caller has sketched; it is copied, so the caller may reuse it.</summary>
    /// <exception cref="ArgumentException">S·A is not s × n, holds a NaN or infinity, or is rank-deficient (the preconditioner is then unfactored).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void FactorSketched(ReadOnlyMatrixView<T> sketched, BlasOptions? options = null)
    {
        Guard.RequireShape(sketched, SketchRows, Dimension, nameof(sketched), "s × n (the sketch's rows × the preconditioner's dimension)");
        options?.Validate();
        IsFactored = false;
        var view = SketchedView;
        for (int r = 0; r < SketchRows; r++)
        {
            sketched.Row(r).CopyTo(view.Row(r));
        }
        Finish(nameof(sketched), options);
    }

    /// <summary>Computes z ← R⁻¹R⁻ᵀ·r = (RᵀR)⁻¹·r.</summary>
    /// <exception cref="ArgumentException">A length is not n, or z overlaps r.</exception>
    /// <exception cref="InvalidOperationException">No successful <c>Factor</c> call yet.</exception>
    public void Apply(ReadOnlySpan<T> r, Span<T> z)
    {
        Guard.RequireLength(r.Length, Dimension, nameof(r), "the preconditioner's dimension");
        Guard.RequireLength(z.Length, Dimension, nameof(z), "the preconditioner's dimension");
        Guard.RequireDisjoint(r, nameof(r), z, nameof(z));
        RequireFactored();
        r.CopyTo(z);
        TriangularSolve.Solve(Triangle.Upper, Transpose.Transposed, Diagonal.NonUnit, R, z);
        TriangularSolve.Solve(Triangle.Upper, Transpose.None, Diagonal.NonUnit, R, z);
    }

    /// <summary>x ← R⁻¹·x in place: maps the split-preconditioned variable z to the solution g = R⁻¹z (Algorithm 5's g = R_alg·z).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have n elements.</exception>
    /// <exception cref="InvalidOperationException">No successful <c>Factor</c> call yet.</exception>
    public void SolveR(Span<T> x)
    {
        Guard.RequireLength(x.Length, Dimension, nameof(x), "the preconditioner's dimension");
        RequireFactored();
        TriangularSolve.Solve(Triangle.Upper, Transpose.None, Diagonal.NonUnit, R, x);
    }

    /// <summary>x ← R⁻ᵀ·x in place: the split-preconditioned right-hand side R⁻ᵀ(f − y) of Algorithm 5.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have n elements.</exception>
    /// <exception cref="InvalidOperationException">No successful <c>Factor</c> call yet.</exception>
    public void SolveRTranspose(Span<T> x)
    {
        Guard.RequireLength(x.Length, Dimension, nameof(x), "the preconditioner's dimension");
        RequireFactored();
        TriangularSolve.Solve(Triangle.Upper, Transpose.Transposed, Diagonal.NonUnit, R, x);
    }

    /// <summary>Writes R (n × n, upper triangular, zeros below the diagonal).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not n × n.</exception>
    /// <exception cref="InvalidOperationException">No successful <c>Factor</c> call yet.</exception>
    public void CopyR(MatrixView<T> destination)
    {
        if (destination.Rows != Dimension || destination.Columns != Dimension)
        {
            throw new ArgumentException($"destination is {destination.Rows}×{destination.Columns}; expected {Dimension}×{Dimension}.", nameof(destination));
        }
        RequireFactored();
        for (int i = 0; i < Dimension; i++)
        {
            R.Row(i).CopyTo(destination.Row(i));
        }
    }

    private MatrixView<T> SketchedView => new(_sketched, SketchRows, Dimension);

    private ReadOnlyMatrixView<T> R => new(_r, Dimension, Dimension);

    /// <summary>QR of the sketch (which rejects non-finite entries) and the rank test.</summary>
    private void Finish(string name, BlasOptions? options)
    {
        try
        {
            _qr.Refactor(SketchedView, options);
        }
        catch (ArgumentException e) when (e.ParamName == "a")
        {
            throw new ArgumentException($"S·{name} holds a NaN or infinity, so {name} does: {e.Message}", name, e);
        }
        var r = new MatrixView<T>(_r, Dimension, Dimension);
        _qr.CopyR(r);
        T largest = T.Zero;
        for (int j = 0; j < Dimension; j++)
        {
            largest = T.Max(largest, T.Abs(r[j, j]));
        }
        T floor = T.CreateChecked(Math.Max(SketchRows, Dimension)) * (T.BitIncrement(T.One) - T.One) * largest;
        for (int j = 0; j < Dimension; j++)
        {
            if (!(T.Abs(r[j, j]) > floor))
            {
                throw new ArgumentException(
                    $"S·{name} is rank-deficient to working precision: |R[{j}, {j}]| = {T.Abs(r[j, j])} ≤ {floor}. Either {name} is rank-deficient or the sketch is too small to embed its range.", name);
            }
        }
        IsFactored = true;
    }

    private void RequireShape(ISketch<T> sketch, int rows, int columns, string name)
    {
        if (rows != sketch.Columns || columns != Dimension)
        {
            throw new ArgumentException($"{name} is {rows}×{columns}; expected {sketch.Columns}×{Dimension} (the sketch's columns × the preconditioner's dimension).", name);
        }
    }

    private ISketch<T> RequireSketch() => Sketch ??
        throw new InvalidOperationException("This preconditioner was built without a sketch; sketch A yourself and call FactorSketched.");

    private void RequireFactored()
    {
        if (!IsFactored)
        {
            throw new InvalidOperationException("The preconditioner holds no factorization; call Factor first (the last call may have failed).");
        }
    }
}
