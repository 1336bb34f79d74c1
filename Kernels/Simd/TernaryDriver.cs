using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// The loop for element-wise <c>destination[i] = op(x[i], y[i], z[i])</c>, with the width dispatch, alignment and
/// overlapping-edge scheme of <see cref="UnaryDriver"/>. The destination may alias any input exactly.
/// </summary>
public static class TernaryDriver
{
    /// <summary>Writes <c>op(x[i], y[i], z[i])</c> to <c>destination[i]</c> for every <c>i &lt; x.Length</c>.</summary>
    /// <exception cref="ArgumentException">The inputs differ in length, <paramref name="destination"/> is shorter than them, or it partly overlaps an input.</exception>
    public static void Run<T, TOp>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, Span<T> destination, TOp op)
        where T : unmanaged
        where TOp : struct, ITernaryOperator<T>
    {
        Guard.RequireLength(y.Length, x.Length, nameof(y), "the length of x");
        Guard.RequireLength(z.Length, x.Length, nameof(z), "the length of x");
        Guard.RequireDestination(destination.Length, x.Length, nameof(destination));
        Guard.RequireNoPartialOverlap(x, nameof(x), destination, nameof(destination));
        Guard.RequireNoPartialOverlap(y, nameof(y), destination, nameof(destination));
        Guard.RequireNoPartialOverlap(z, nameof(z), destination, nameof(destination));
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T ys = ref MemoryMarshal.GetReference(y);
        ref T zs = ref MemoryMarshal.GetReference(z);
        ref T ds = ref MemoryMarshal.GetReference(destination);
        nuint n = (nuint)x.Length;

        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<T>.Count)
        {
            Run512(ref xs, ref ys, ref zs, ref ds, n, op);
        }
        else if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<T>.Count)
        {
            Run256(ref xs, ref ys, ref zs, ref ds, n, op);
        }
        else if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<T>.Count)
        {
            Run128(ref xs, ref ys, ref zs, ref ds, n, op);
        }
        else
        {
            for (nuint i = 0; i < n; i++)
            {
                Unsafe.Add(ref ds, i) = op.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i), Unsafe.Add(ref zs, i));
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void Run512<T, TOp>(ref T xs, ref T ys, ref T zs, ref T ds, nuint n, TOp op) where T : unmanaged where TOp : struct, ITernaryOperator<T>
    {
        nuint w = (nuint)Vector512<T>.Count;
        // Both edge vectors are computed before any store, which is what makes exact aliasing safe.
        Vector512<T> first = op.Invoke(Vector512.LoadUnsafe(ref xs, 0), Vector512.LoadUnsafe(ref ys, 0), Vector512.LoadUnsafe(ref zs, 0));
        Vector512<T> last = op.Invoke(Vector512.LoadUnsafe(ref xs, n - w), Vector512.LoadUnsafe(ref ys, n - w), Vector512.LoadUnsafe(ref zs, n - w));
        // Start the main loop at the first vector-aligned destination element (when n allows):
        // the elements skipped are covered by the first vector.
        nuint i = 0;
        nuint misalignment = (nuint)Unsafe.AsPointer(ref ds) % (nuint)sizeof(Vector512<T>);
        if (misalignment % (nuint)sizeof(T) == 0 && misalignment != 0 && n >= 2 * w)
        {
            i = ((nuint)sizeof(Vector512<T>) - misalignment) / (nuint)sizeof(T);
        }
        for (; i + 4 * w <= n; i += 4 * w)
        {
            Vector512<T> r0 = op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), Vector512.LoadUnsafe(ref zs, i));
            Vector512<T> r1 = op.Invoke(Vector512.LoadUnsafe(ref xs, i + w), Vector512.LoadUnsafe(ref ys, i + w), Vector512.LoadUnsafe(ref zs, i + w));
            Vector512<T> r2 = op.Invoke(Vector512.LoadUnsafe(ref xs, i + 2 * w), Vector512.LoadUnsafe(ref ys, i + 2 * w), Vector512.LoadUnsafe(ref zs, i + 2 * w));
            Vector512<T> r3 = op.Invoke(Vector512.LoadUnsafe(ref xs, i + 3 * w), Vector512.LoadUnsafe(ref ys, i + 3 * w), Vector512.LoadUnsafe(ref zs, i + 3 * w));
            r0.StoreUnsafe(ref ds, i);
            r1.StoreUnsafe(ref ds, i + w);
            r2.StoreUnsafe(ref ds, i + 2 * w);
            r3.StoreUnsafe(ref ds, i + 3 * w);
        }
        for (; i + w <= n; i += w)
        {
            op.Invoke(Vector512.LoadUnsafe(ref xs, i), Vector512.LoadUnsafe(ref ys, i), Vector512.LoadUnsafe(ref zs, i)).StoreUnsafe(ref ds, i);
        }
        first.StoreUnsafe(ref ds, 0);
        last.StoreUnsafe(ref ds, n - w);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void Run256<T, TOp>(ref T xs, ref T ys, ref T zs, ref T ds, nuint n, TOp op) where T : unmanaged where TOp : struct, ITernaryOperator<T>
    {
        nuint w = (nuint)Vector256<T>.Count;
        // Both edge vectors are computed before any store, which is what makes exact aliasing safe.
        Vector256<T> first = op.Invoke(Vector256.LoadUnsafe(ref xs, 0), Vector256.LoadUnsafe(ref ys, 0), Vector256.LoadUnsafe(ref zs, 0));
        Vector256<T> last = op.Invoke(Vector256.LoadUnsafe(ref xs, n - w), Vector256.LoadUnsafe(ref ys, n - w), Vector256.LoadUnsafe(ref zs, n - w));
        // Start the main loop at the first vector-aligned destination element (when n allows):
        // the elements skipped are covered by the first vector.
        nuint i = 0;
        nuint misalignment = (nuint)Unsafe.AsPointer(ref ds) % (nuint)sizeof(Vector256<T>);
        if (misalignment % (nuint)sizeof(T) == 0 && misalignment != 0 && n >= 2 * w)
        {
            i = ((nuint)sizeof(Vector256<T>) - misalignment) / (nuint)sizeof(T);
        }
        for (; i + 4 * w <= n; i += 4 * w)
        {
            Vector256<T> r0 = op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), Vector256.LoadUnsafe(ref zs, i));
            Vector256<T> r1 = op.Invoke(Vector256.LoadUnsafe(ref xs, i + w), Vector256.LoadUnsafe(ref ys, i + w), Vector256.LoadUnsafe(ref zs, i + w));
            Vector256<T> r2 = op.Invoke(Vector256.LoadUnsafe(ref xs, i + 2 * w), Vector256.LoadUnsafe(ref ys, i + 2 * w), Vector256.LoadUnsafe(ref zs, i + 2 * w));
            Vector256<T> r3 = op.Invoke(Vector256.LoadUnsafe(ref xs, i + 3 * w), Vector256.LoadUnsafe(ref ys, i + 3 * w), Vector256.LoadUnsafe(ref zs, i + 3 * w));
            r0.StoreUnsafe(ref ds, i);
            r1.StoreUnsafe(ref ds, i + w);
            r2.StoreUnsafe(ref ds, i + 2 * w);
            r3.StoreUnsafe(ref ds, i + 3 * w);
        }
        for (; i + w <= n; i += w)
        {
            op.Invoke(Vector256.LoadUnsafe(ref xs, i), Vector256.LoadUnsafe(ref ys, i), Vector256.LoadUnsafe(ref zs, i)).StoreUnsafe(ref ds, i);
        }
        first.StoreUnsafe(ref ds, 0);
        last.StoreUnsafe(ref ds, n - w);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void Run128<T, TOp>(ref T xs, ref T ys, ref T zs, ref T ds, nuint n, TOp op) where T : unmanaged where TOp : struct, ITernaryOperator<T>
    {
        nuint w = (nuint)Vector128<T>.Count;
        // Both edge vectors are computed before any store, which is what makes exact aliasing safe.
        Vector128<T> first = op.Invoke(Vector128.LoadUnsafe(ref xs, 0), Vector128.LoadUnsafe(ref ys, 0), Vector128.LoadUnsafe(ref zs, 0));
        Vector128<T> last = op.Invoke(Vector128.LoadUnsafe(ref xs, n - w), Vector128.LoadUnsafe(ref ys, n - w), Vector128.LoadUnsafe(ref zs, n - w));
        // Start the main loop at the first vector-aligned destination element (when n allows):
        // the elements skipped are covered by the first vector.
        nuint i = 0;
        nuint misalignment = (nuint)Unsafe.AsPointer(ref ds) % (nuint)sizeof(Vector128<T>);
        if (misalignment % (nuint)sizeof(T) == 0 && misalignment != 0 && n >= 2 * w)
        {
            i = ((nuint)sizeof(Vector128<T>) - misalignment) / (nuint)sizeof(T);
        }
        for (; i + 4 * w <= n; i += 4 * w)
        {
            Vector128<T> r0 = op.Invoke(Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i), Vector128.LoadUnsafe(ref zs, i));
            Vector128<T> r1 = op.Invoke(Vector128.LoadUnsafe(ref xs, i + w), Vector128.LoadUnsafe(ref ys, i + w), Vector128.LoadUnsafe(ref zs, i + w));
            Vector128<T> r2 = op.Invoke(Vector128.LoadUnsafe(ref xs, i + 2 * w), Vector128.LoadUnsafe(ref ys, i + 2 * w), Vector128.LoadUnsafe(ref zs, i + 2 * w));
            Vector128<T> r3 = op.Invoke(Vector128.LoadUnsafe(ref xs, i + 3 * w), Vector128.LoadUnsafe(ref ys, i + 3 * w), Vector128.LoadUnsafe(ref zs, i + 3 * w));
            r0.StoreUnsafe(ref ds, i);
            r1.StoreUnsafe(ref ds, i + w);
            r2.StoreUnsafe(ref ds, i + 2 * w);
            r3.StoreUnsafe(ref ds, i + 3 * w);
        }
        for (; i + w <= n; i += w)
        {
            op.Invoke(Vector128.LoadUnsafe(ref xs, i), Vector128.LoadUnsafe(ref ys, i), Vector128.LoadUnsafe(ref zs, i)).StoreUnsafe(ref ds, i);
        }
        first.StoreUnsafe(ref ds, 0);
        last.StoreUnsafe(ref ds, n - w);
    }
}
