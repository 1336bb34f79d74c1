using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kernels.Core;

/// <summary>
/// The argument checks of every layer: lengths, matrix shapes and strides, overlap and aliasing, finite scalars,
/// defined enum values and index ranges. Each throws <see cref="ArgumentException"/> or
/// <see cref="ArgumentOutOfRangeException"/> whose message names the argument and the expected shape, so an
/// operator written outside the library reports bad input exactly as the library's own kernels do.
/// </summary>
/// <remarks>
/// The checks inline; the throws do not, so that message formatting never enlarges a hot caller (a large caller
/// exhausts the JIT's inlining budget and leaves vector helpers as calls), and a passing check allocates nothing.
/// </remarks>
public static class Guard
{
    /// <summary>Throws unless a span's length <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    /// <param name="actual">The length found.</param>
    /// <param name="expected">The length required.</param>
    /// <param name="name">The argument's name, as the caller's documentation spells it.</param>
    /// <param name="expectedDescription">Where the expected length comes from, e.g. "the length of x".</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireLength(int actual, int expected, string name, string expectedDescription)
    {
        if (actual != expected)
        {
            ThrowLength(actual, expected, name, expectedDescription);
        }
    }

    /// <summary>
    /// Throws unless a vector's length matches one dimension of a matrix; the message ("the column count of the
    /// 3×4 op(A)") is formatted only on failure.
    /// </summary>
    /// <param name="actual">The vector's length.</param>
    /// <param name="expected">The matrix dimension it must equal.</param>
    /// <param name="name">The vector's name.</param>
    /// <param name="dimension">"row" or "column".</param>
    /// <param name="matrix">The matrix's name, e.g. "op(A)".</param>
    /// <param name="rows">The matrix's row count, for the message.</param>
    /// <param name="columns">The matrix's column count, for the message.</param>
    /// <exception cref="ArgumentException">The length differs from the dimension.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireMatrixDimension(int actual, int expected, string name, string dimension, string matrix, int rows, int columns)
    {
        if (actual != expected)
        {
            ThrowMatrixDimension(actual, expected, name, dimension, matrix, rows, columns);
        }
    }

    /// <summary>Throws unless a destination of length <paramref name="actual"/> can hold <paramref name="required"/> elements.</summary>
    /// <exception cref="ArgumentException"><paramref name="actual"/> &lt; <paramref name="required"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireDestination(int actual, int required, string name)
    {
        if (actual < required)
        {
            ThrowDestination(actual, required, name);
        }
    }

    /// <summary>
    /// Throws when an output span partly overlaps an input span. Exact aliasing (the same start) is allowed, for
    /// kernels that read each element before they write it (in-place use); a shifted overlap is not.
    /// </summary>
    /// <exception cref="ArgumentException">The spans overlap with different starts.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireNoPartialOverlap<T>(ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            ThrowOverlap(offset, inputName, outputName);
        }
    }

    /// <summary>
    /// Throws when an output span shares any element with an input span (or with another output), exact aliasing
    /// included: for kernels whose outputs are not a lane-by-lane function of the same position in the input
    /// (gathers, scatters, products).
    /// </summary>
    /// <exception cref="ArgumentException">The spans share an element.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireDisjoint<T>(ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        if (input.Overlaps(output))
        {
            ThrowAliased(inputName, outputName);
        }
    }

    /// <summary>
    /// Throws when two row-major blocks share an element. Blocks of one parent matrix (same stride) may interleave
    /// in memory without sharing an element (a panel and the trailing block in a blocked factorization); they are
    /// compared as rectangles in the parent's coordinates. Blocks with different strides are rejected whenever
    /// their memory ranges overlap.
    /// </summary>
    /// <exception cref="ArgumentException">The blocks share an element (or, with different strides, a memory range).</exception>
    public static void RequireDisjoint<T>(ReadOnlyMatrixView<T> input, string inputName, ReadOnlyMatrixView<T> output, string outputName)
    {
        long inLength = RequiredLength(input.Rows, input.Columns, input.Stride);
        long outLength = RequiredLength(output.Rows, output.Columns, output.Stride);
        if (inLength == 0 || outLength == 0 || !input.Data[..(int)inLength].Overlaps(output.Data[..(int)outLength], out int offset))
        {
            return;
        }
        // offset: position of the output's first element relative to the input's (negative if before it).
        if (input.Stride == output.Stride && input.Stride > 0
            && !BlocksShareAnElement(offset, input.Stride, input.Rows, input.Columns, output.Rows, output.Columns))
        {
            return;
        }
        ThrowAliased(inputName, outputName);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is finite (neither NaN nor ±∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireFinite<T>(T value, string name) where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            ThrowNotFinite(value, name);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> if <paramref name="value"/> is NaN, e.g. a threshold that every
    /// comparison would fail; infinities pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireNotNaN<T>(T value, string name) where T : IFloatingPointIeee754<T>
    {
        if (T.IsNaN(value))
        {
            ThrowNaN(value, name);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> ≥ <paramref name="minimum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            ThrowBelow(value, minimum, name);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 ≤ <paramref name="index"/> &lt; <paramref name="count"/>.</summary>
    /// <param name="index">The index to check.</param>
    /// <param name="count">The number of valid indices.</param>
    /// <param name="name">The argument's name.</param>
    /// <param name="what">What the index counts, e.g. "data point", for the message.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireIndex(int index, int count, string name, string what)
    {
        if ((uint)index >= (uint)count)
        {
            ThrowIndex(index, count, name, what);
        }
    }

    /// <summary>
    /// Throws unless every index is in [0, <paramref name="bound"/>); the whole span is checked before the caller
    /// writes anything, with one vectorized search, and the message names the first offending position.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or ≥ <paramref name="bound"/>.</exception>
    public static void RequireAllBelow(ReadOnlySpan<int> indices, int bound, string name)
    {
        int bad = bound > 0 ? indices.IndexOfAnyExceptInRange(0, bound - 1) : (indices.IsEmpty ? -1 : 0);
        if (bad >= 0)
        {
            throw new ArgumentOutOfRangeException(name, $"{name}[{bad}] is {indices[bad]}; every index must be in [0, {bound}).");
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="value"/> is not one of the values
    /// <typeparamref name="TEnum"/> declares (an out-of-range integer cast to the enum). Allocation-free: an enum whose
    /// values form one run costs a range compare, any other a binary search.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireDefined<TEnum>(TEnum value, string name) where TEnum : struct, Enum
    {
        if (!DefinedValues<TEnum>.Contains(value))
        {
            ThrowUndefined(value, name);
        }
    }

    /// <summary>
    /// Throws unless <paramref name="length"/> elements hold a row-major <paramref name="rows"/> × <paramref name="columns"/>
    /// matrix with row stride <paramref name="stride"/>: that needs <see cref="RequiredLength"/> elements.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, or <paramref name="stride"/> &lt; <paramref name="columns"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="length"/> is too short for the shape.</exception>
    public static void RequireMatrix(int length, int rows, int columns, int stride, string dataName)
    {
        RequireAtLeast(rows, 0, nameof(rows));
        RequireAtLeast(columns, 0, nameof(columns));
        if (stride < columns)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"stride must be at least the column count {columns}.");
        }
        long required = RequiredLength(rows, columns, stride);
        if (length < required)
        {
            throw new ArgumentException(
                $"{dataName} has length {length}; a {rows}×{columns} matrix with stride {stride} needs at least {required}.", dataName);
        }
    }

    /// <summary>Elements a row-major matrix of this shape spans: <c>(rows − 1)·stride + columns</c>, or 0 when it is empty.</summary>
    public static long RequiredLength(int rows, int columns, int stride) =>
        rows == 0 || columns == 0 ? 0 : (long)(rows - 1) * stride + columns;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="matrix"/> is <paramref name="rows"/> × <paramref name="columns"/>.</summary>
    /// <param name="matrix">The matrix to check.</param>
    /// <param name="rows">The required row count.</param>
    /// <param name="columns">The required column count.</param>
    /// <param name="name">The argument's name.</param>
    /// <param name="expectation">Where the shape comes from, e.g. "batch × inputs".</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireShape<T>(ReadOnlyMatrixView<T> matrix, int rows, int columns, string name, string expectation)
    {
        if (matrix.Rows != rows || matrix.Columns != columns)
        {
            ThrowShape(matrix.Rows, matrix.Columns, rows, columns, name, expectation);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="matrix"/> has <paramref name="columns"/> columns
    /// (any row count, e.g. a batch).</summary>
    /// <param name="matrix">The matrix to check.</param>
    /// <param name="columns">The required column count.</param>
    /// <param name="name">The argument's name.</param>
    /// <param name="expectation">Where the column count comes from, e.g. "batch × inputs".</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireColumns<T>(ReadOnlyMatrixView<T> matrix, int columns, string name, string expectation)
    {
        if (matrix.Columns != columns)
        {
            ThrowColumns(matrix.Rows, matrix.Columns, columns, name, expectation);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="matrix"/> is square.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireSquare<T>(ReadOnlyMatrixView<T> matrix, string name)
    {
        if (matrix.Rows != matrix.Columns)
        {
            ThrowNotSquare(matrix.Rows, matrix.Columns, name);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless (<paramref name="row"/>, <paramref name="column"/>)
    /// lies inside a <paramref name="rows"/> × <paramref name="columns"/> matrix.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireMatrixIndex(int row, int column, int rows, int columns)
    {
        if ((uint)row >= (uint)rows)
        {
            ThrowIndex(row, rows, nameof(row), "row");
        }
        if ((uint)column >= (uint)columns)
        {
            ThrowIndex(column, columns, nameof(column), "column");
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless the <paramref name="rows"/> × <paramref name="columns"/>
    /// block at (<paramref name="row"/>, <paramref name="column"/>) lies inside a <paramref name="totalRows"/> ×
    /// <paramref name="totalColumns"/> matrix.</summary>
    public static void RequireMatrixBlock(int row, int column, int rows, int columns, int totalRows, int totalColumns)
    {
        if (row < 0 || rows < 0 || (long)row + rows > totalRows)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows [{row}, {(long)row + rows}) must lie in [0, {totalRows}].");
        }
        if (column < 0 || columns < 0 || (long)column + columns > totalColumns)
        {
            throw new ArgumentOutOfRangeException(nameof(columns), $"columns [{column}, {(long)column + columns}) must lie in [0, {totalColumns}].");
        }
    }

    /// <summary>The values <typeparamref name="TEnum"/> declares, as 64-bit patterns, sorted once per enum type.</summary>
    private static class DefinedValues<TEnum> where TEnum : struct, Enum
    {
        private static readonly long[] s_sorted = [.. Enum.GetValues<TEnum>().Select(Bits).Distinct().Order()];
        private static readonly bool s_oneRun = s_sorted.Length > 0 && s_sorted[^1] - s_sorted[0] == s_sorted.Length - 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Contains(TEnum value)
        {
            long bits = Bits(value);
            return s_oneRun ? (ulong)(bits - s_sorted[0]) < (ulong)s_sorted.Length : Array.BinarySearch(s_sorted, bits) >= 0;
        }

        /// <summary>The value's underlying integer, sign- or zero-extended as its type says.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static long Bits(TEnum value)
        {
            Type underlying = typeof(TEnum).GetEnumUnderlyingType();
            if (underlying == typeof(int)) { return Unsafe.As<TEnum, int>(ref value); }
            if (underlying == typeof(uint)) { return Unsafe.As<TEnum, uint>(ref value); }
            if (underlying == typeof(long) || underlying == typeof(ulong)) { return Unsafe.As<TEnum, long>(ref value); }
            if (underlying == typeof(short)) { return Unsafe.As<TEnum, short>(ref value); }
            if (underlying == typeof(ushort) || underlying == typeof(char)) { return Unsafe.As<TEnum, ushort>(ref value); }
            if (underlying == typeof(sbyte)) { return Unsafe.As<TEnum, sbyte>(ref value); }
            return Unsafe.As<TEnum, byte>(ref value);
        }
    }

    /// <summary>
    /// In the parent's coordinates (relative to the input's origin) the output starts at row R, column C with
    /// offset = R·s + C, 0 ≤ C &lt; s. Its rows run past the stride when C + columns &gt; s, so it covers columns
    /// [C, min(C + columns, s)) of rows [R, R + rows) and, in that case, columns [0, C + columns − s) of rows [R + 1, R + 1 + rows).
    /// </summary>
    private static bool BlocksShareAnElement(long offset, long stride, int inRows, int inColumns, int outRows, int outColumns)
    {
        long r = Math.DivRem(offset, stride, out long c);
        if (c < 0)
        {
            c += stride;
            r--;
        }
        bool first = r < inRows && r + outRows > 0 && c < inColumns;
        bool wrapped = c + outColumns > stride && r + 1 < inRows && r + 1 + outRows > 0;
        return first || wrapped;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int actual, int expected, string name, string expectedDescription) =>
        throw new ArgumentException($"{name} has length {actual}; expected {expected} ({expectedDescription}).", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMatrixDimension(int actual, int expected, string name, string dimension, string matrix, int rows, int columns) =>
        ThrowLength(actual, expected, name, $"the {dimension} count of the {rows}×{columns} {matrix}");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestination(int actual, int required, string name) =>
        throw new ArgumentException($"Destination {name} is too short: length {actual}, at least {required} required.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOverlap(int offset, string inputName, string outputName) =>
        throw new ArgumentException(
            $"{outputName} overlaps {inputName} at an offset of {offset} elements; outputs may alias an input exactly or not at all.",
            outputName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowAliased(string inputName, string outputName) =>
        throw new ArgumentException($"{outputName} shares memory with {inputName}; the output must not alias an input.", outputName);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotFinite<T>(T value, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNaN<T>(T value, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} is NaN; no value compares with NaN.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowColumns(int actualRows, int actualColumns, int columns, string name, string expectation) =>
        throw new ArgumentException($"{name} is {actualRows}×{actualColumns}; expected {columns} columns ({expectation}).", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotSquare(int rows, int columns, string name) =>
        throw new ArgumentException($"{name} is {rows}×{columns}; expected a square matrix.", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBelow(int value, int minimum, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowIndex(int index, int count, string name, string what) =>
        throw new ArgumentOutOfRangeException(name, index, $"{name} must be a {what} index in [0, {count}).");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowUndefined<TEnum>(TEnum value, string name) where TEnum : struct, Enum =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} is not a defined {typeof(TEnum).Name} value.");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowShape(int actualRows, int actualColumns, int rows, int columns, string name, string expectation) =>
        throw new ArgumentException($"{name} is {actualRows}×{actualColumns}; expected {rows}×{columns} ({expectation}).", name);
}
