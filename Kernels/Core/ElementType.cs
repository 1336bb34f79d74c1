using System.Runtime.CompilerServices;

namespace Kernels.Core;

/// <summary>
/// The element types the kernels support: <see cref="float"/> and <see cref="double"/>. A generic public method calls
/// <see cref="Require{T}"/> first, so any other type fails with one clear message.
/// </summary>
public static class ElementType
{
    /// <summary>Throws <see cref="NotSupportedException"/> for any other type; the JIT removes the check for the two supported ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Require<T>()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            Throw(typeof(T));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(Type t) =>
        throw new NotSupportedException($"Element type {t.Name} is not supported; Kernels works on float and double.");
}
