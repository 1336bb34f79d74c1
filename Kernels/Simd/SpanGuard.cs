using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kernels.Simd;

/// <summary>
/// Argument checks shared by every span-based kernel, with messages that name the argument and the expected shape.
/// The checks inline; the throws do not, so that message formatting never enlarges a hot caller (a large caller
/// exhausts the JIT's inlining budget and leaves vector helpers as calls).
/// </summary>
internal static class SpanGuard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
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
    /// 3×4 op(A)") is formatted only on failure, so a passing check does not allocate.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireMatrixDimension(int actual, int expected, string name, string dimension, string matrix, int rows, int cols)
    {
        if (actual != expected)
        {
            ThrowMatrixDimension(actual, expected, name, dimension, matrix, rows, cols);
        }
    }

    /// <summary>Throws unless a destination of length <paramref name="actual"/> can hold <paramref name="required"/> elements.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireDestination(int actual, int required, string name)
    {
        if (actual < required)
        {
            ThrowDestination(actual, required, name);
        }
    }

    /// <summary>
    /// Throws when an output span partly overlaps an input span. Exact aliasing (the same start) is allowed:
    /// every kernel reads an element before it writes it, so in-place use is safe; a shifted overlap is not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireNoPartialOverlap<T>(ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            ThrowOverlap(offset, inputName, outputName);
        }
    }

    /// <summary>
    /// Throws when an output span shares any element with an input span, exact aliasing included: for kernels
    /// whose outputs are not a lane-by-lane function of the same position in the input (gathers, scatters, products).
    /// </summary>
    public static void RequireDisjoint<T>(ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        if (input.Overlaps(output))
        {
            throw new ArgumentException($"{outputName} shares memory with {inputName}; the output must not alias an input.", outputName);
        }
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is finite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RequireFinite<T>(T value, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            ThrowNotFinite(value, name);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowLength(int actual, int expected, string name, string expectedDescription) =>
        throw new ArgumentException($"{name} has length {actual}; expected {expected} ({expectedDescription}).", name);

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowMatrixDimension(int actual, int expected, string name, string dimension, string matrix, int rows, int cols) =>
        ThrowLength(actual, expected, name, $"the {dimension} count of the {rows}×{cols} {matrix}");

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
    private static void ThrowNotFinite<T>(T value, string name) =>
        throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite.");
}
