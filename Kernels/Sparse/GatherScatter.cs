using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Sparse;

/// <summary>
/// Indexed transfers between a dense vector and a list of positions (sparse BLAS level 1):
/// <see cref="Gather{T}"/> reads <c>x[indices[k]]</c>, <see cref="ScatterAdd{T}"/> accumulates into <c>y[indices[k]]</c>.
/// </summary>
/// <remarks>
/// <para>Every index is checked before anything is written, so a call that throws leaves its output untouched.</para>
/// <para>Outputs must not share memory with an input, not even exactly: a gather in place would read elements it has
/// already overwritten.</para>
/// </remarks>
public static class GatherScatter
{
    /// <summary>
    /// Writes <c>x[indices[k]]</c> to <c>destination[k]</c> for every <c>k &lt; indices.Length</c>. Indices may repeat
    /// and come in any order. Values are copied bit for bit (NaN payloads and −0 included).
    /// </summary>
    /// <remarks>Uses the 256-bit AVX2 gather instructions where available, with an overlapping last vector for the
    /// tail, and a scalar loop elsewhere. .NET 10 exposes no 512-bit gather, so AVX-512 machines take the AVX2 path.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="indices"/>, or shares memory with <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or ≥ <c>x.Length</c>; the message gives the first such position.</exception>
    public static unsafe void Gather<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> indices, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireDestination(destination.Length, indices.Length, nameof(destination));
        Guard.RequireDisjoint(x, nameof(x), destination, nameof(destination));
        Guard.RequireAllBelow(indices, x.Length, nameof(indices));
        fixed (T* px = x)
        {
            GatherValidated(px, ref MemoryMarshal.GetReference(indices), ref MemoryMarshal.GetReference(destination), (nuint)indices.Length);
        }
    }

    /// <summary>
    /// Computes <c>y[indices[k]] ← y[indices[k]] + alpha·x[k]</c> for k = 0, 1, 2, … in that order, each update one
    /// fused multiply-add where the hardware has it. Repeated indices accumulate in index order, so the result is
    /// deterministic; IEEE arithmetic applies (NaN and infinity propagate as the scalar formula says).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="indices"/> differs in length from <paramref name="x"/>, or <paramref name="y"/> shares memory with <paramref name="x"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not finite, or an index is negative or ≥ <c>y.Length</c>; the message gives the first such position.</exception>
    public static void ScatterAdd<T>(T alpha, ReadOnlySpan<T> x, ReadOnlySpan<int> indices, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireFinite(alpha, nameof(alpha));
        Guard.RequireLength(indices.Length, x.Length, nameof(indices), "one index per element of x");
        Guard.RequireDisjoint(x, nameof(x), y, nameof(y));
        Guard.RequireAllBelow(indices, y.Length, nameof(indices));
        ScatterAddValidated(alpha, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(indices),
            ref MemoryMarshal.GetReference(y), (nuint)x.Length);
    }

    /// <summary>The loop of <see cref="ScatterAdd{T}"/>, for callers whose indices are known to be in range (CSR columns).</summary>
    internal static void ScatterAddValidated<T>(T alpha, ref T xs, ref int indices, ref T ys, nuint n)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (nuint k = 0; k < n; k++)
        {
            ref T target = ref Unsafe.Add(ref ys, (nuint)(uint)Unsafe.Add(ref indices, k));
            target = VectorMath.MultiplyAdd(alpha, Unsafe.Add(ref xs, k), target);
        }
    }

    /// <summary>The loop of <see cref="Gather{T}"/>, for callers whose indices are known to be in range (hashed buckets).</summary>
    internal static unsafe void GatherValidated<T>(T* x, ref int indices, ref T destination, nuint n) where T : unmanaged
    {
        if (HardwareGather.IsSupported && n >= (nuint)Vector256<T>.Count)
        {
            nuint w = (nuint)Vector256<T>.Count;
            nuint i = 0;
            // Two gathers in flight per iteration hide part of their latency.
            for (; i + 2 * w <= n; i += 2 * w)
            {
                Vector256<T> g0 = HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, i));
                Vector256<T> g1 = HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, i + w));
                g0.StoreUnsafe(ref destination, i);
                g1.StoreUnsafe(ref destination, i + w);
            }
            if (i + w <= n)
            {
                HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, i)).StoreUnsafe(ref destination, i);
                i += w;
            }
            if (i < n)
            {
                // Overlapping last vector: rewriting a few elements with the same values is harmless.
                HardwareGather.Gather256(x, ref Unsafe.Add(ref indices, n - w)).StoreUnsafe(ref destination, n - w);
            }
            return;
        }
        if (HardwareGather.IsSupported && n >= (nuint)Vector128<T>.Count)
        {
            // Here n < 2·w, so a first and an overlapping last vector cover everything.
            nuint w = (nuint)Vector128<T>.Count;
            HardwareGather.Gather128(x, ref indices).StoreUnsafe(ref destination, 0);
            HardwareGather.Gather128(x, ref Unsafe.Add(ref indices, n - w)).StoreUnsafe(ref destination, n - w);
            return;
        }
        for (nuint k = 0; k < n; k++)
        {
            Unsafe.Add(ref destination, k) = x[(uint)Unsafe.Add(ref indices, k)];
        }
    }
}
