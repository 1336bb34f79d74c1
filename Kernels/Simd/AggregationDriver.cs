using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// The loop for reductions: four independent vector accumulators, an overlapping last vector whose
/// already-counted lanes are masked out (they keep the accumulator's value, which is the identity's role),
/// then a fixed-order tree combine and horizontal reduction.
/// </summary>
/// <remarks>
/// The order of every operation depends only on the length and the vector width chosen, never on timing or
/// threads, so a float reduction returns the same bits on every run. Inputs shorter than one vector of the
/// widest accelerated size fall to the next width, and finally to a sequential scalar loop.
/// </remarks>
public static class AggregationDriver
{
    /// <summary>Reduces <paramref name="x"/> with <paramref name="accumulator"/>; returns its identity when <paramref name="x"/> is empty.</summary>
    public static T Run<T, TAcc>(ReadOnlySpan<T> x, TAcc accumulator)
        where T : unmanaged
        where TAcc : struct, IUnaryAccumulator<T>
    {
        ref T xs = ref MemoryMarshal.GetReference(x);
        nuint n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            return Run512(ref xs, n, accumulator);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            return Run256(ref xs, n, accumulator);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            return Run128(ref xs, n, accumulator);
        }
        T a = accumulator.Identity;
        for (nuint i = 0; i < n; i++)
        {
            a = accumulator.Accumulate(a, Unsafe.Add(ref xs, i));
        }
        return a;
    }

    /// <summary>Reduces the pairs <c>(x[i], y[i])</c> with <paramref name="accumulator"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="y"/> differs in length from <paramref name="x"/>.</exception>
    public static T Run<T, TAcc>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, TAcc accumulator)
        where T : unmanaged
        where TAcc : struct, IBinaryAccumulator<T>
    {
        Guard.RequireLength(y.Length, x.Length, nameof(y), "the length of x");
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        nuint n = (nuint)x.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            return Run512(ref xs, ref ys, n, accumulator);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            return Run256(ref xs, ref ys, n, accumulator);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            return Run128(ref xs, ref ys, n, accumulator);
        }
        T a = accumulator.Identity;
        for (nuint i = 0; i < n; i++)
        {
            a = accumulator.Accumulate(a, Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
        }
        return a;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Run512<T, TAcc>(ref T xs, nuint n, TAcc acc) where T : unmanaged where TAcc : struct, IUnaryAccumulator<T>
    {
        nuint w = (nuint)Vector512<T>.Count;
        Vector512<T> a0 = Vector512.Create(acc.Identity), a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = acc.Accumulate(a0, Vector512.LoadUnsafe(ref xs, i));
            a1 = acc.Accumulate(a1, Vector512.LoadUnsafe(ref xs, i + w));
            a2 = acc.Accumulate(a2, Vector512.LoadUnsafe(ref xs, i + 2 * w));
            a3 = acc.Accumulate(a3, Vector512.LoadUnsafe(ref xs, i + 3 * w));
        }
        if (i + w <= n)
        {
            a0 = acc.Accumulate(a0, Vector512.LoadUnsafe(ref xs, i));
            i += w;
            if (i + w <= n)
            {
                a1 = acc.Accumulate(a1, Vector512.LoadUnsafe(ref xs, i));
                i += w;
                if (i + w <= n)
                {
                    a2 = acc.Accumulate(a2, Vector512.LoadUnsafe(ref xs, i));
                    i += w;
                }
            }
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector512<T> fresh = VectorMath.LanesFrom512<T>((int)(w - (n - i)));
            a3 = Vector512.ConditionalSelect(fresh, acc.Accumulate(a3, Vector512.LoadUnsafe(ref xs, n - w)), a3);
        }
        return Horizontal.Reduce(acc.Combine(acc.Combine(a0, a1), acc.Combine(a2, a3)), acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Run256<T, TAcc>(ref T xs, nuint n, TAcc acc) where T : unmanaged where TAcc : struct, IUnaryAccumulator<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        Vector256<T> a0 = Vector256.Create(acc.Identity), a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = acc.Accumulate(a0, Vector256.LoadUnsafe(ref xs, i));
            a1 = acc.Accumulate(a1, Vector256.LoadUnsafe(ref xs, i + w));
            a2 = acc.Accumulate(a2, Vector256.LoadUnsafe(ref xs, i + 2 * w));
            a3 = acc.Accumulate(a3, Vector256.LoadUnsafe(ref xs, i + 3 * w));
        }
        if (i + w <= n)
        {
            a0 = acc.Accumulate(a0, Vector256.LoadUnsafe(ref xs, i));
            i += w;
            if (i + w <= n)
            {
                a1 = acc.Accumulate(a1, Vector256.LoadUnsafe(ref xs, i));
                i += w;
                if (i + w <= n)
                {
                    a2 = acc.Accumulate(a2, Vector256.LoadUnsafe(ref xs, i));
                    i += w;
                }
            }
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector256<T> fresh = VectorMath.LanesFrom256<T>((int)(w - (n - i)));
            a3 = Vector256.ConditionalSelect(fresh, acc.Accumulate(a3, Vector256.LoadUnsafe(ref xs, n - w)), a3);
        }
        return Horizontal.Reduce(acc.Combine(acc.Combine(a0, a1), acc.Combine(a2, a3)), acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Run128<T, TAcc>(ref T xs, nuint n, TAcc acc) where T : unmanaged where TAcc : struct, IUnaryAccumulator<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        Vector128<T> a0 = Vector128.Create(acc.Identity), a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = acc.Accumulate(a0, Vector128.LoadUnsafe(ref xs, i));
            a1 = acc.Accumulate(a1, Vector128.LoadUnsafe(ref xs, i + w));
            a2 = acc.Accumulate(a2, Vector128.LoadUnsafe(ref xs, i + 2 * w));
            a3 = acc.Accumulate(a3, Vector128.LoadUnsafe(ref xs, i + 3 * w));
        }
        if (i + w <= n)
        {
            a0 = acc.Accumulate(a0, Vector128.LoadUnsafe(ref xs, i));
            i += w;
            if (i + w <= n)
            {
                a1 = acc.Accumulate(a1, Vector128.LoadUnsafe(ref xs, i));
                i += w;
                if (i + w <= n)
                {
                    a2 = acc.Accumulate(a2, Vector128.LoadUnsafe(ref xs, i));
                    i += w;
                }
            }
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector128<T> fresh = VectorMath.LanesFrom128<T>((int)(w - (n - i)));
            a3 = Vector128.ConditionalSelect(fresh, acc.Accumulate(a3, Vector128.LoadUnsafe(ref xs, n - w)), a3);
        }
        return Horizontal.Reduce(acc.Combine(acc.Combine(a0, a1), acc.Combine(a2, a3)), acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Run512<T, TAcc>(ref T xs, ref T ys, nuint n, TAcc acc) where T : unmanaged where TAcc : struct, IBinaryAccumulator<T>
    {
        nuint w = (nuint)Vector512<T>.Count;
        Vector512<T> a0 = Vector512.Create(acc.Identity), a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = acc.Accumulate(a0, Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i));
            a1 = acc.Accumulate(a1, Vector512.LoadUnsafe(ref xs, i + w), Vector512.LoadUnsafe(ref ys, i + w));
            a2 = acc.Accumulate(a2, Vector512.LoadUnsafe(ref xs, i + 2 * w), Vector512.LoadUnsafe(ref ys, i + 2 * w));
            a3 = acc.Accumulate(a3, Vector512.LoadUnsafe(ref xs, i + 3 * w), Vector512.LoadUnsafe(ref ys, i + 3 * w));
        }
        if (i + w <= n)
        {
            a0 = acc.Accumulate(a0, Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i));
            i += w;
            if (i + w <= n)
            {
                a1 = acc.Accumulate(a1, Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i));
                i += w;
                if (i + w <= n)
                {
                    a2 = acc.Accumulate(a2, Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i));
                    i += w;
                }
            }
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector512<T> fresh = VectorMath.LanesFrom512<T>((int)(w - (n - i)));
            a3 = Vector512.ConditionalSelect(fresh, acc.Accumulate(a3, Vector512.LoadUnsafe(ref xs, n - w), Vector512.LoadUnsafe(ref ys, n - w)), a3);
        }
        return Horizontal.Reduce(acc.Combine(acc.Combine(a0, a1), acc.Combine(a2, a3)), acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Run256<T, TAcc>(ref T xs, ref T ys, nuint n, TAcc acc) where T : unmanaged where TAcc : struct, IBinaryAccumulator<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        Vector256<T> a0 = Vector256.Create(acc.Identity), a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = acc.Accumulate(a0, Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i));
            a1 = acc.Accumulate(a1, Vector256.LoadUnsafe(ref xs, i + w), Vector256.LoadUnsafe(ref ys, i + w));
            a2 = acc.Accumulate(a2, Vector256.LoadUnsafe(ref xs, i + 2 * w), Vector256.LoadUnsafe(ref ys, i + 2 * w));
            a3 = acc.Accumulate(a3, Vector256.LoadUnsafe(ref xs, i + 3 * w), Vector256.LoadUnsafe(ref ys, i + 3 * w));
        }
        if (i + w <= n)
        {
            a0 = acc.Accumulate(a0, Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i));
            i += w;
            if (i + w <= n)
            {
                a1 = acc.Accumulate(a1, Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i));
                i += w;
                if (i + w <= n)
                {
                    a2 = acc.Accumulate(a2, Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i));
                    i += w;
                }
            }
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector256<T> fresh = VectorMath.LanesFrom256<T>((int)(w - (n - i)));
            a3 = Vector256.ConditionalSelect(fresh, acc.Accumulate(a3, Vector256.LoadUnsafe(ref xs, n - w), Vector256.LoadUnsafe(ref ys, n - w)), a3);
        }
        return Horizontal.Reduce(acc.Combine(acc.Combine(a0, a1), acc.Combine(a2, a3)), acc);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T Run128<T, TAcc>(ref T xs, ref T ys, nuint n, TAcc acc) where T : unmanaged where TAcc : struct, IBinaryAccumulator<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        Vector128<T> a0 = Vector128.Create(acc.Identity), a1 = a0, a2 = a0, a3 = a0;
        nuint i = 0;
        for (; i + 4 * w <= n; i += 4 * w)
        {
            a0 = acc.Accumulate(a0, Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i));
            a1 = acc.Accumulate(a1, Vector128.LoadUnsafe(ref xs, i + w), Vector128.LoadUnsafe(ref ys, i + w));
            a2 = acc.Accumulate(a2, Vector128.LoadUnsafe(ref xs, i + 2 * w), Vector128.LoadUnsafe(ref ys, i + 2 * w));
            a3 = acc.Accumulate(a3, Vector128.LoadUnsafe(ref xs, i + 3 * w), Vector128.LoadUnsafe(ref ys, i + 3 * w));
        }
        if (i + w <= n)
        {
            a0 = acc.Accumulate(a0, Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i));
            i += w;
            if (i + w <= n)
            {
                a1 = acc.Accumulate(a1, Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i));
                i += w;
                if (i + w <= n)
                {
                    a2 = acc.Accumulate(a2, Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i));
                    i += w;
                }
            }
        }
        if (i < n)
        {
            // Overlapping last vector: only its lanes past the processed prefix may enter the accumulator.
            Vector128<T> fresh = VectorMath.LanesFrom128<T>((int)(w - (n - i)));
            a3 = Vector128.ConditionalSelect(fresh, acc.Accumulate(a3, Vector128.LoadUnsafe(ref xs, n - w), Vector128.LoadUnsafe(ref ys, n - w)), a3);
        }
        return Horizontal.Reduce(acc.Combine(acc.Combine(a0, a1), acc.Combine(a2, a3)), acc);
    }
}
