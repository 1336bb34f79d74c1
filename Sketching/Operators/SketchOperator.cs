using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;
using Kernels.Solvers;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// The argument checks every <see cref="ISketch{T}"/> shares: each public method validates shapes and aliasing, then
/// calls the operator's own kernel, which may rely on them.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class SketchOperator<T> : ISketch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements of the scratch blocks a general map is sketched through (256 KiB of doubles): they stay in L2.</summary>
    private const int MapBlockElements = 1 << 15;

    private protected SketchOperator(int rows, int columns, ulong seed)
    {
        ElementType.Require<T>();
        Rows = rows;
        Columns = columns;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int Rows { get; }

    /// <inheritdoc/>
    public int Columns { get; }

    /// <inheritdoc/>
    public ulong Seed { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="x"/> is not of length N, <paramref name="destination"/> not of length s, or they share memory.</exception>
    public void Apply(ReadOnlySpan<T> x, Span<T> destination)
    {
        Guard.RequireMatrixDimension(x.Length, Columns, nameof(x), "column", "S", Rows, Columns);
        Guard.RequireMatrixDimension(destination.Length, Rows, nameof(destination), "row", "S", Rows, Columns);
        Guard.RequireDisjoint(x, nameof(x), destination, nameof(destination));
        ApplyVector(x, destination);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A is not N × d, the destination is not s × d, or they share memory.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Apply(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions? options = null)
    {
        RequireProduct(a.Rows, a.Columns, nameof(a), destination);
        Guard.RequireDisjoint<T>(a, nameof(a), destination, nameof(destination));
        options ??= BlasOptions.Default;
        options.Validate();
        ApplyDense(a, destination, options);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">A is not N × d, or the destination is not s × d.</exception>
    public void Apply(CsrMatrix<T> a, MatrixView<T> destination)
    {
        ArgumentNullException.ThrowIfNull(a);
        RequireProduct(a.Rows, a.Columns, nameof(a), destination);
        ApplySparse(a, destination);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> is null.</exception>
    /// <exception cref="ArgumentException">A is not N × d, the destination is not s × d, or a dense A shares memory with it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Apply(ILinearMap<T> a, MatrixView<T> destination, BlasOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        switch (a)
        {
            case DenseMap<T> dense:
                Apply(dense.Matrix, destination, options);
                return;
            case CsrMap<T> sparse:
                options?.Validate();
                Apply(sparse.Matrix, destination);
                return;
        }
        RequireProduct(a.Rows, a.Columns, nameof(a), destination);
        options ??= BlasOptions.Default;
        options.Validate();
        ApplyMap(a, destination);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="y"/> is not of length s, <paramref name="destination"/> not of length N, or they share memory.</exception>
    public void ApplyTranspose(ReadOnlySpan<T> y, Span<T> destination)
    {
        Guard.RequireMatrixDimension(y.Length, Rows, nameof(y), "row", "S", Rows, Columns);
        Guard.RequireMatrixDimension(destination.Length, Columns, nameof(destination), "column", "S", Rows, Columns);
        Guard.RequireDisjoint(y, nameof(y), destination, nameof(destination));
        ApplyTransposeVector(y, destination);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Y is not s × d, the destination is not N × d, or they share memory.</exception>
    public void ApplyTranspose(ReadOnlyMatrixView<T> y, MatrixView<T> destination)
    {
        if (y.Rows != Rows)
        {
            throw new ArgumentException($"y is {y.Rows}×{y.Columns}; expected {Rows} rows to match the {Rows}×{Columns} S.", nameof(y));
        }
        if (destination.Rows != Columns || destination.Columns != y.Columns)
        {
            throw new ArgumentException($"destination is {destination.Rows}×{destination.Columns}; expected {Columns}×{y.Columns} (Sᵀ·Y).", nameof(destination));
        }
        Guard.RequireDisjoint<T>(y, nameof(y), destination, nameof(destination));
        ApplyTransposeDense(y, destination);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The destination is not s × N.</exception>
    public void ToDense(MatrixView<T> destination)
    {
        if (destination.Rows != Rows || destination.Columns != Columns)
        {
            throw new ArgumentException($"destination is {destination.Rows}×{destination.Columns}; expected the {Rows}×{Columns} S.", nameof(destination));
        }
        WriteRows(0, destination);
    }

    /// <summary>
    /// S·A for a map A that is neither dense nor CSR, as (Aᵀ·Sᵀ)ᵀ: rows i₀ … i₀ + b − 1 of S are written out, transposed
    /// into an N × b block, multiplied by Aᵀ into a d × b block, and transposed into the destination's rows. The scratch
    /// comes from the array pool and b is chosen to keep it near <see cref="MapBlockElements"/> elements.
    /// </summary>
    private void ApplyMap(ILinearMap<T> a, MatrixView<T> destination)
    {
        int n = Columns, d = a.Columns;
        if (d == 0)
        {
            return;
        }
        int block = Math.Clamp(MapBlockElements / Math.Max(n, d), 1, Rows);
        T[] buffer = ArrayPool<T>.Shared.Rent(block * (2 * n + d));
        try
        {
            for (int i0 = 0; i0 < Rows; i0 += block)
            {
                int b = Math.Min(block, Rows - i0);
                var rows = new MatrixView<T>(buffer.AsSpan(0, b * n), b, n);
                var transposed = new MatrixView<T>(buffer.AsSpan(b * n, n * b), n, b);
                var product = new MatrixView<T>(buffer.AsSpan(2 * b * n, d * b), d, b);
                WriteRows(i0, rows);
                Transposed(rows, transposed);
                a.ApplyTranspose(T.One, transposed, T.Zero, product);
                Transposed(product, destination.Slice(i0, 0, b, d));
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    /// <summary>destination ← sourceᵀ.</summary>
    private static void Transposed(ReadOnlyMatrixView<T> source, MatrixView<T> destination)
    {
        for (int r = 0; r < source.Rows; r++)
        {
            ReadOnlySpan<T> row = source.Row(r);
            for (int c = 0; c < row.Length; c++)
            {
                destination[c, r] = row[c];
            }
        }
    }

    /// <summary>S·x on validated arguments.</summary>
    private protected abstract void ApplyVector(ReadOnlySpan<T> x, Span<T> destination);

    /// <summary>S·A for dense A on validated arguments.</summary>
    private protected abstract void ApplyDense(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions options);

    /// <summary>S·A for CSR A on validated arguments.</summary>
    private protected abstract void ApplySparse(CsrMatrix<T> a, MatrixView<T> destination);

    /// <summary>Sᵀ·y on validated arguments.</summary>
    private protected abstract void ApplyTransposeVector(ReadOnlySpan<T> y, Span<T> destination);

    /// <summary>Sᵀ·Y on validated arguments.</summary>
    private protected abstract void ApplyTransposeDense(ReadOnlyMatrixView<T> y, MatrixView<T> destination);

    /// <summary>Rows <paramref name="firstRow"/> … firstRow + destination.Rows − 1 of S into a destination of N columns.</summary>
    private protected abstract void WriteRows(int firstRow, MatrixView<T> destination);

    private void RequireProduct(int aRows, int aCols, string aName, MatrixView<T> destination)
    {
        if (aRows != Columns)
        {
            throw new ArgumentException($"{aName} is {aRows}×{aCols}; expected {Columns} rows to match the {Rows}×{Columns} S.", aName);
        }
        if (destination.Rows != Rows || destination.Columns != aCols)
        {
            throw new ArgumentException($"destination is {destination.Rows}×{destination.Columns}; expected {Rows}×{aCols} (S·A).", nameof(destination));
        }
    }
}
