using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>
/// Householder QR factorization A = Q·R of an m × n matrix with m ≥ n (tall or square), built for tall-skinny
/// problems: R (n × n upper triangular), Q applied implicitly from the stored reflectors (Qᵀ·b, Q·x, the thin Q), and
/// least-squares solves.
/// </summary>
/// <remarks>
/// <para><b>Storage.</b> The factorization copies A, transposed: column j of A becomes a contiguous row of m elements,
/// so reflectors, norms and updates all run along unit stride. The caller's matrix is never modified. The object owns
/// O(m·n) storage; <see cref="Refactor"/> reuses it for another matrix of the same shape without allocating.</para>
/// <para><b>Algorithm.</b> Blocked Householder QR in compact-WY form: panels of <see cref="PanelWidth"/> columns are
/// factored recursively (<c>HouseholderPanel</c>, after Elmroth and Gustavson) and each panel's block reflector
/// I − V·T·Vᵀ updates the remaining columns with three Gemm calls, so nearly all of the 2mn² − 2n³/3 flops run in
/// <see cref="Level3.Gemm{T}"/>. Q·x and Qᵀ·b apply the same blocks. Results are bitwise independent of the thread
/// count.</para>
/// <para><b>Conventions.</b> Reflectors follow LAPACK's <c>geqrf</c>: H = I − τ·v·vᵀ with v[0] = 1, and R's diagonal may
/// have either sign. Q is m × m orthogonal; its first n columns span the range of A when A has full rank.</para>
/// <para><b>Rank deficiency.</b> A zero column (exactly zero below the diagonal after the earlier reflections) gets the
/// identity as its reflector (τ = 0), so the factorization never divides by zero and never produces NaN: R simply
/// has a zero (or tiny) diagonal entry and Q stays orthogonal, with Q·R = A still holding.
/// <see cref="SolveLeastSquares(Span{T}, Span{T})"/> refuses such a factor: it throws
/// <see cref="InvalidOperationException"/> naming the first column whose |R[j, j]| is at most
/// max(m, n)·ε·max_k |R[k, k]|, instead of returning infinities or NaN.</para>
/// <para><b>Accuracy.</b> Householder QR is backward stable: the computed Q is orthonormal to O(m·ε) and Q·R equals
/// A + ΔA with ‖ΔA‖ = O(m·n·ε)·‖A‖, independently of κ(A); least-squares solutions are accurate to O(ε·κ) for
/// consistent systems and O(ε·κ²) otherwise (Higham, ch. 19–20).</para>
/// <para>Input must be finite; <see cref="Factor"/> and <see cref="Refactor"/> reject NaN and infinity with the position.
/// One instance is not safe for concurrent use.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class HouseholderQr<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Columns per panel: the inner dimension of the trailing Gemm updates.</summary>
    public const int PanelWidth = 32;

    private readonly T[] _reflectors;
    private readonly T[] _tau;
    private readonly T[] _blockFactors;
    private BlasOptions _options = BlasOptions.Default;

    /// <summary>Allocates storage for an m × n factorization; fill it with <see cref="Refactor"/>.</summary>
    /// <param name="rows">m, the number of rows (at least <paramref name="columns"/>).</param>
    /// <param name="columns">n, the number of columns (at least 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or <paramref name="rows"/> &lt; <paramref name="columns"/>.</exception>
    public HouseholderQr(int rows, int columns)
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        if (rows < columns)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows,
                $"A {rows}×{columns} matrix is wide; this QR needs rows ≥ columns (factor the transpose of a wide matrix).");
        }
        Rows = rows;
        Columns = columns;
        _reflectors = new T[(long)rows * columns];
        _tau = new T[columns];
        _blockFactors = new T[columns * PanelWidth];
    }

    /// <summary>m, the number of rows of the factored matrix.</summary>
    public int Rows { get; }

    /// <summary>n, the number of columns of the factored matrix.</summary>
    public int Columns { get; }

    /// <summary>Factors a new copy of <paramref name="a"/>.</summary>
    /// <param name="a">The m × n matrix, m ≥ n, all entries finite. It is read, never written.</param>
    /// <param name="options">Threads for the Gemm calls of this and every later call on the factorization; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> is wide or holds a NaN or infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static HouseholderQr<T> Factor(ReadOnlyMatrixView<T> a, BlasOptions? options = null)
    {
        if (a.Rows < a.Columns)
        {
            throw new ArgumentException($"a is {a.Rows}×{a.Columns}; this QR needs rows ≥ columns (factor the transpose of a wide matrix).", nameof(a));
        }
        var qr = new HouseholderQr<T>(a.Rows, a.Columns);
        qr.Refactor(a, options);
        return qr;
    }

    /// <summary>Factors <paramref name="a"/> into this instance's storage, replacing the previous factorization; allocates nothing.</summary>
    /// <param name="a">An m × n matrix of this instance's shape, all entries finite. It is read, never written.</param>
    /// <param name="options">Threads for the Gemm calls of this and every later call; <c>null</c> means <see cref="BlasOptions.Default"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="a"/> has another shape or holds a NaN or infinity (nothing is changed then).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Refactor(ReadOnlyMatrixView<T> a, BlasOptions? options = null)
    {
        if (a.Rows != Rows || a.Columns != Columns)
        {
            throw new ArgumentException($"a is {a.Rows}×{a.Columns}; this factorization holds {Rows}×{Columns} matrices.", nameof(a));
        }
        options ??= BlasOptions.Default;
        options.Validate();
        for (int i = 0; i < Rows; i++)
        {
            ReadOnlySpan<T> row = a.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!T.IsFinite(row[j]))
                {
                    throw new ArgumentException($"a[{i}, {j}] is {row[j]}; QR needs finite entries.", nameof(a));
                }
            }
        }
        _options = options;
        MatrixView<T> at = Transposed();
        MatrixTranspose.Copy(a, at);

        T[] scratch = ArrayPool<T>.Shared.Rent(Math.Max(HouseholderPanel.ScratchLength(PanelWidth), CompactWY.ApplyFromRightScratch(Columns, PanelWidth)));
        try
        {
            for (int j0 = 0; j0 < Columns; j0 += PanelWidth)
            {
                int w = Math.Min(PanelWidth, Columns - j0);
                MatrixView<T> panel = at.Slice(j0, j0, w, Rows - j0);
                MatrixView<T> t = BlockFactor(j0, w);
                HouseholderPanel.Factor(panel, _tau.AsSpan(j0, w), t, scratch, options);
                int rest = Columns - j0 - w;
                if (rest > 0)
                {
                    CompactWY.ApplyFromRight(at.Slice(j0 + w, j0, rest, Rows - j0), panel, t, Transpose.None, scratch, options);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>Writes R (n × n, upper triangular, zeros below the diagonal) to <paramref name="r"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="r"/> is not n × n.</exception>
    public void CopyR(MatrixView<T> r)
    {
        if (r.Rows != Columns || r.Columns != Columns)
        {
            throw new ArgumentException($"r is {r.Rows}×{r.Columns}; expected {Columns}×{Columns}.", nameof(r));
        }
        ReadOnlyMatrixView<T> at = Transposed();
        for (int i = 0; i < Columns; i++)
        {
            Span<T> row = r.Row(i);
            row[..i].Clear();
            for (int j = i; j < Columns; j++)
            {
                row[j] = at[j, i];
            }
        }
    }

    /// <summary>Computes Qᵀ·b in place (b has m elements). Its first n entries are the coordinates of b in the range of A; the norm of the rest is the distance of b from that range.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have m elements.</exception>
    public void ApplyQTranspose(Span<T> b)
    {
        Guard.RequireMatrixDimension(b.Length, Rows, nameof(b), "row", "A", Rows, Columns);
        ApplyVector(b, transpose: true);
    }

    /// <summary>Computes Q·x in place (x has m elements).</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have m elements.</exception>
    public void ApplyQ(Span<T> x)
    {
        Guard.RequireMatrixDimension(x.Length, Rows, nameof(x), "row", "A", Rows, Columns);
        ApplyVector(x, transpose: false);
    }

    /// <summary>Computes Qᵀ·B in place for B of m rows (each column a right-hand side).</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have m rows, or shares memory with the factorization.</exception>
    public void ApplyQTranspose(MatrixView<T> b)
    {
        RequireRows(b, nameof(b));
        ApplyMatrix(b, transpose: true);
    }

    /// <summary>Computes Q·X in place for X of m rows.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have m rows, or shares memory with the factorization.</exception>
    public void ApplyQ(MatrixView<T> x)
    {
        RequireRows(x, nameof(x));
        ApplyMatrix(x, transpose: false);
    }

    /// <summary>
    /// Writes the thin Q (the first n columns of Q, m × n, orthonormal columns) to <paramref name="q"/>: Q applied to the
    /// first n columns of the identity, skipping the blocks of zeros that Q's structure guarantees.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="q"/> is not m × n.</exception>
    public void FormThinQ(MatrixView<T> q)
    {
        if (q.Rows != Rows || q.Columns != Columns)
        {
            throw new ArgumentException($"q is {q.Rows}×{q.Columns}; expected {Rows}×{Columns}.", nameof(q));
        }
        for (int i = 0; i < Rows; i++)
        {
            Span<T> row = q.Row(i);
            row.Clear();
            if (i < Columns)
            {
                row[i] = T.One;
            }
        }
        // Block p touches rows j0.. only; columns before j0 of [I; 0] are unit vectors above row j0, so they are left alone.
        T[] scratch = ArrayPool<T>.Shared.Rent(CompactWY.ApplyFromLeftScratch(PanelWidth, Columns));
        try
        {
            for (int j0 = LastPanelStart(); j0 >= 0; j0 -= PanelWidth)
            {
                int w = Math.Min(PanelWidth, Columns - j0);
                CompactWY.ApplyFromLeft(q.Slice(j0, j0, Rows - j0, Columns - j0), Reflectors(j0, w), BlockFactor(j0, w), Transpose.None, scratch, _options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Solves the least-squares problem min ‖A·x − b‖₂: b ← Qᵀ·b, then R·x = (Qᵀ·b)[..n]. On return b holds Qᵀ·b, so
    /// the norm of b[n..] is the residual norm ‖A·x − b‖₂.
    /// </summary>
    /// <param name="b">The right-hand side (m elements), overwritten with Qᵀ·b.</param>
    /// <param name="x">The solution (n elements).</param>
    /// <exception cref="ArgumentException">A length is wrong, or x shares memory with b.</exception>
    /// <exception cref="InvalidOperationException">A is rank-deficient to working precision; the message names the first such column. Nothing is written then.</exception>
    public void SolveLeastSquares(Span<T> b, Span<T> x)
    {
        Guard.RequireMatrixDimension(b.Length, Rows, nameof(b), "row", "A", Rows, Columns);
        Guard.RequireMatrixDimension(x.Length, Columns, nameof(x), "column", "A", Rows, Columns);
        Guard.RequireDisjoint<T>(b, nameof(b), x, nameof(x));
        RequireFullRank();
        ApplyVector(b, transpose: true);
        b[..Columns].CopyTo(x);
        TriangularSolve.Solve(Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, UpperLeft(), x);
    }

    /// <summary>
    /// Solves min ‖A·X − B‖ column by column for B of m rows: B ← Qᵀ·B, then R·X = (Qᵀ·B)[..n, :].
    /// </summary>
    /// <param name="b">The right-hand sides (m × k), overwritten with Qᵀ·B.</param>
    /// <param name="x">The solutions (n × k).</param>
    /// <exception cref="ArgumentException">A shape is wrong, or X shares an element with B.</exception>
    /// <exception cref="InvalidOperationException">A is rank-deficient to working precision; the message names the first such column. Nothing is written then.</exception>
    public void SolveLeastSquares(MatrixView<T> b, MatrixView<T> x)
    {
        RequireRows(b, nameof(b));
        if (x.Rows != Columns || x.Columns != b.Columns)
        {
            throw new ArgumentException($"x is {x.Rows}×{x.Columns}; expected {Columns}×{b.Columns} (columns of A × right-hand sides).", nameof(x));
        }
        Guard.RequireDisjoint<T>(b, nameof(b), x, nameof(x));
        RequireFullRank();
        ApplyMatrix(b, transpose: true);
        for (int i = 0; i < Columns; i++)
        {
            b.Row(i).CopyTo(x.Row(i));
        }
        TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, UpperLeft(), x, _options);
    }

    /// <summary>Aᵀ as stored: row j holds R[..j+1, j] followed by the tail of reflector j.</summary>
    private MatrixView<T> Transposed() => new(_reflectors, Columns, Rows);

    /// <summary>The leading n × n block of the stored Aᵀ, whose lower triangle is Rᵀ.</summary>
    private ReadOnlyMatrixView<T> UpperLeft() => Transposed().Slice(0, 0, Columns, Columns);

    /// <summary>The w reflectors of the panel starting at column j0, as rows from column j0 on.</summary>
    private ReadOnlyMatrixView<T> Reflectors(int j0, int w) => Transposed().Slice(j0, j0, w, Rows - j0);

    /// <summary>The w × w compact-WY factor of the panel starting at column j0.</summary>
    private MatrixView<T> BlockFactor(int j0, int w) => new MatrixView<T>(_blockFactors, Columns, PanelWidth).Slice(j0, 0, w, w);

    private int LastPanelStart() => Columns == 0 ? -1 : (Columns - 1) / PanelWidth * PanelWidth;

    /// <summary>Qᵀ·b applies the blocks first to last with Tᵀ; Q·b applies them last to first with T.</summary>
    private void ApplyVector(Span<T> b, bool transpose)
    {
        T[] scratch = ArrayPool<T>.Shared.Rent(CompactWY.ApplyVectorScratch(PanelWidth));
        try
        {
            for (int p = 0; p * PanelWidth < Columns; p++)
            {
                int j0 = transpose ? p * PanelWidth : LastPanelStart() - p * PanelWidth;
                int w = Math.Min(PanelWidth, Columns - j0);
                CompactWY.ApplyFromLeft(b[j0..], Reflectors(j0, w), BlockFactor(j0, w), transpose ? Transpose.Transposed : Transpose.None, scratch, _options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private void ApplyMatrix(MatrixView<T> b, bool transpose)
    {
        T[] scratch = ArrayPool<T>.Shared.Rent(CompactWY.ApplyFromLeftScratch(PanelWidth, b.Columns));
        try
        {
            for (int p = 0; p * PanelWidth < Columns; p++)
            {
                int j0 = transpose ? p * PanelWidth : LastPanelStart() - p * PanelWidth;
                int w = Math.Min(PanelWidth, Columns - j0);
                CompactWY.ApplyFromLeft(b.Slice(j0, 0, Rows - j0, b.Columns), Reflectors(j0, w), BlockFactor(j0, w),
                    transpose ? Transpose.Transposed : Transpose.None, scratch, _options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(scratch);
        }
    }

    private void RequireRows(MatrixView<T> b, string name)
    {
        if (b.Rows != Rows)
        {
            throw new ArgumentException($"{name} is {b.Rows}×{b.Columns}; expected {Rows} rows to match the {Rows}×{Columns} A.", name);
        }
    }

    /// <summary>
    /// Throws unless every |R[j, j]| exceeds max(m, n)·ε·max_k |R[k, k]|, the level below which a diagonal entry is
    /// indistinguishable from rounding noise and the triangular solve would amplify noise (or divide by zero).
    /// </summary>
    private void RequireFullRank()
    {
        ReadOnlyMatrixView<T> at = Transposed();
        T largest = T.Zero;
        for (int j = 0; j < Columns; j++)
        {
            largest = T.Max(largest, T.Abs(at[j, j]));
        }
        // T.Epsilon is the smallest subnormal in .NET; the machine epsilon is the gap above one.
        T threshold = T.CreateChecked(Math.Max(Rows, Columns)) * (T.BitIncrement(T.One) - T.One) * largest;
        for (int j = 0; j < Columns; j++)
        {
            T d = T.Abs(at[j, j]);
            if (!(d > threshold))
            {
                throw new InvalidOperationException(
                    $"A is rank-deficient to working precision: |R[{j}, {j}]| = {d} is at most {threshold} (max(m, n)·ε·max|R[k, k]|), " +
                    $"so column {j} is (nearly) a combination of the columns before it. Least squares has no unique solution; " +
                    "drop or regularize that column (e.g. solve the ridge problem).");
            }
        }
    }
}
