namespace Kernels.Simd;

/// <summary>Argument checks shared by every span-based kernel, with messages that name the argument and the expected shape.</summary>
internal static class SpanGuard
{
    /// <summary>Throws unless <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public static void RequireLength(int actual, int expected, string name, string expectedDescription)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual}; expected {expected} ({expectedDescription}).", name);
        }
    }

    /// <summary>Throws unless a destination of length <paramref name="actual"/> can hold <paramref name="required"/> elements.</summary>
    public static void RequireDestination(int actual, int required, string name)
    {
        if (actual < required)
        {
            throw new ArgumentException($"Destination {name} is too short: length {actual}, at least {required} required.", name);
        }
    }

    /// <summary>
    /// Throws when an output span partly overlaps an input span. Exact aliasing (the same start) is allowed:
    /// every kernel reads an element before it writes it, so in-place use is safe; a shifted overlap is not.
    /// </summary>
    public static void RequireNoPartialOverlap<T>(ReadOnlySpan<T> input, string inputName, ReadOnlySpan<T> output, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                $"{outputName} overlaps {inputName} at an offset of {offset} elements; outputs may alias an input exactly or not at all.",
                outputName);
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
    public static void RequireFinite<T>(T value, string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite.");
        }
    }
}
