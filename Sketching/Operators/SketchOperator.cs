using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// The argument checks every <see cref="ISketch{T}"/> shares: each public method validates shapes and aliasing, then
/// calls the operator's own kernel, which may rely on them.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class SketchOperator<T> : ISketch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
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
    /// <exception cref="ArgumentException">A is not N × d, or the destination is not s × d.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Apply<TSource>(TSource a, MatrixView<T> destination, BlasOptions? options = null) where TSource : IRowBlockSource<T>
    {
        // Not ThrowIfNull(object): that would box a struct source on every call.
        if (a is null)
        {
            throw new ArgumentNullException(nameof(a));
        }
        RequireProduct(a.Rows, a.Columns, nameof(a), destination);
        options ??= BlasOptions.Default;
        options.Validate();
        ApplySource(a, destination, options);
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
        WriteDense(destination);
    }

    /// <summary>S·x on validated arguments.</summary>
    private protected abstract void ApplyVector(ReadOnlySpan<T> x, Span<T> destination);

    /// <summary>S·A for dense A on validated arguments.</summary>
    private protected abstract void ApplyDense(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions options);

    /// <summary>S·A for CSR A on validated arguments.</summary>
    private protected abstract void ApplySparse(CsrMatrix<T> a, MatrixView<T> destination);

    /// <summary>S·A for an implicit A on validated arguments.</summary>
    private protected abstract void ApplySource<TSource>(TSource a, MatrixView<T> destination, BlasOptions options) where TSource : IRowBlockSource<T>;

    /// <summary>Sᵀ·y on validated arguments.</summary>
    private protected abstract void ApplyTransposeVector(ReadOnlySpan<T> y, Span<T> destination);

    /// <summary>Sᵀ·Y on validated arguments.</summary>
    private protected abstract void ApplyTransposeDense(ReadOnlyMatrixView<T> y, MatrixView<T> destination);

    /// <summary>S into an s × N destination.</summary>
    private protected abstract void WriteDense(MatrixView<T> destination);

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
