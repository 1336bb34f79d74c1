using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Sketching.Operators;

/// <summary>
/// The fast Walsh–Hadamard transform x ← H·x, in place and unnormalized: H is the n × n matrix with
/// H[i, j] = (−1)^popcount(i AND j), n a power of two, and H·H = n·I. It costs n·log₂ n additions and subtractions,
/// which are exact operations lane by lane, so every vector width gives the same bits.
/// </summary>
/// <remarks>
/// <para>Level h (h = 1, 2, 4, …, n/2) replaces each pair (x[i], x[i + h]) with i AND h = 0 by (x[i] + x[i + h],
/// x[i] − x[i + h]). Levels below one vector's width are done in registers (a lane permutation, an add, a subtract and
/// a blend per vector); wider levels are butterflies of whole vectors, two levels per pass. The array is transformed in
/// blocks of 16 KiB (L1) through every level that stays inside such a block, then in blocks of 256 KiB (L2) through the
/// levels that stay inside those, and only the remaining levels sweep the whole array, again two per pass.</para>
/// <para>The 512-bit path needs AVX-512F and the 256-bit path AVX2; other machines run the radix-2 loop.</para>
/// </remarks>
public static class WalshHadamard
{
    private const int BlockBytes = 16 * 1024;
    private const int OuterBlockBytes = 256 * 1024;

    /// <summary>x ← H·x for a length that is a power of two (1 included).</summary>
    /// <exception cref="ArgumentException">The length is zero or not a power of two.</exception>
    public static void Transform<T>(Span<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        if (!BitOperations.IsPow2(x.Length))
        {
            throw new ArgumentException($"x has length {x.Length}; the transform needs a power of two.", nameof(x));
        }
        ref T start = ref MemoryMarshal.GetReference(x);
        int n = x.Length;
        if (Avx512F.IsSupported && n >= 2 * Vector512<T>.Count)
        {
            Transform512(ref start, n);
        }
        else if (Avx2.IsSupported && n >= 2 * Vector256<T>.Count)
        {
            Transform256(ref start, n);
        }
        else
        {
            Levels(ref start, n, 1, n);
        }
    }

    /// <summary>
    /// Transforms every column of a matrix at once: rows ← H·rows, H of order rows.Rows (a power of two). Row pairs
    /// are combined with vector butterflies along the rows, so a wide matrix vectorizes fully.
    /// </summary>
    /// <exception cref="ArgumentException">The row count is zero or not a power of two.</exception>
    public static void TransformRows<T>(MatrixView<T> rows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        if (!BitOperations.IsPow2(rows.Rows))
        {
            throw new ArgumentException($"rows has {rows.Rows} rows; the transform needs a power of two.", nameof(rows));
        }
        if (rows.Columns == 0)
        {
            return;
        }
        ref T start = ref MemoryMarshal.GetReference(rows.Data);
        int n = rows.Rows, width = rows.Columns;
        nint stride = rows.Stride;
        for (int h = 1; h < n; h *= 2)
        {
            for (int i = 0; i < n; i += 2 * h)
            {
                for (int j = i; j < i + h; j++)
                {
                    Butterfly(ref Unsafe.Add(ref start, j * stride), ref Unsafe.Add(ref start, (j + h) * stride), width);
                }
            }
        }
    }

    /// <summary>
    /// Levels <paramref name="from"/> … <paramref name="to"/>/2 over x[0 … n), two at a time where possible (radix 4):
    /// a pair of levels reads and writes the array once instead of twice, with the same additions in the same order.
    /// </summary>
    private static void Levels<T>(ref T x, int n, int from, int to) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int h = from;
        for (; 2 * h < to; h *= 4)
        {
            for (int i = 0; i < n; i += 4 * h)
            {
                ref T a = ref Unsafe.Add(ref x, i);
                DoubleButterfly(ref a, ref Unsafe.Add(ref a, h), ref Unsafe.Add(ref a, 2 * h), ref Unsafe.Add(ref a, 3 * h), h);
            }
        }
        if (h < to)
        {
            Level(ref x, n, h);
        }
    }

    /// <summary>Levels h and 2h on four quarter-blocks: (a, b, c, d) → (a+b, a−b, c+d, c−d) → ((a+b)+(c+d), (a−b)+(c−d), (a+b)−(c+d), (a−b)−(c−d)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DoubleButterfly<T>(ref T a, ref T b, ref T c, ref T d, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k + Vector512<T>.Count <= count; k += Vector512<T>.Count)
            {
                nuint o = (nuint)k;
                Vector512<T> p = Vector512.LoadUnsafe(ref a, o), q = Vector512.LoadUnsafe(ref b, o), r = Vector512.LoadUnsafe(ref c, o), t = Vector512.LoadUnsafe(ref d, o);
                Vector512<T> pq = p + q, pmq = p - q, rt = r + t, rmt = r - t;
                (pq + rt).StoreUnsafe(ref a, o);
                (pmq + rmt).StoreUnsafe(ref b, o);
                (pq - rt).StoreUnsafe(ref c, o);
                (pmq - rmt).StoreUnsafe(ref d, o);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<T>.Count <= count; k += Vector256<T>.Count)
            {
                nuint o = (nuint)k;
                Vector256<T> p = Vector256.LoadUnsafe(ref a, o), q = Vector256.LoadUnsafe(ref b, o), r = Vector256.LoadUnsafe(ref c, o), t = Vector256.LoadUnsafe(ref d, o);
                Vector256<T> pq = p + q, pmq = p - q, rt = r + t, rmt = r - t;
                (pq + rt).StoreUnsafe(ref a, o);
                (pmq + rmt).StoreUnsafe(ref b, o);
                (pq - rt).StoreUnsafe(ref c, o);
                (pmq - rmt).StoreUnsafe(ref d, o);
            }
        }
        for (; k < count; k++)
        {
            T p = Unsafe.Add(ref a, k), q = Unsafe.Add(ref b, k), r = Unsafe.Add(ref c, k), t = Unsafe.Add(ref d, k);
            T pq = p + q, pmq = p - q, rt = r + t, rmt = r - t;
            Unsafe.Add(ref a, k) = pq + rt;
            Unsafe.Add(ref b, k) = pmq + rmt;
            Unsafe.Add(ref c, k) = pq - rt;
            Unsafe.Add(ref d, k) = pmq - rmt;
        }
    }

    /// <summary>One level over x[0 … n): butterflies of the halves of every 2h-block.</summary>
    private static void Level<T>(ref T x, int n, int h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < n; i += 2 * h)
        {
            Butterfly(ref Unsafe.Add(ref x, i), ref Unsafe.Add(ref x, i + h), h);
        }
    }

    /// <summary>(a[k], b[k]) ← (a[k] + b[k], a[k] − b[k]) for k &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly<T>(ref T a, ref T b, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; k + Vector512<T>.Count <= count; k += Vector512<T>.Count)
            {
                Vector512<T> p = Vector512.LoadUnsafe(ref a, (nuint)k), q = Vector512.LoadUnsafe(ref b, (nuint)k);
                (p + q).StoreUnsafe(ref a, (nuint)k);
                (p - q).StoreUnsafe(ref b, (nuint)k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            for (; k + Vector256<T>.Count <= count; k += Vector256<T>.Count)
            {
                Vector256<T> p = Vector256.LoadUnsafe(ref a, (nuint)k), q = Vector256.LoadUnsafe(ref b, (nuint)k);
                (p + q).StoreUnsafe(ref a, (nuint)k);
                (p - q).StoreUnsafe(ref b, (nuint)k);
            }
        }
        for (; k < count; k++)
        {
            T p = Unsafe.Add(ref a, k), q = Unsafe.Add(ref b, k);
            Unsafe.Add(ref a, k) = p + q;
            Unsafe.Add(ref b, k) = p - q;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void Transform512<T>(ref T x, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector512<T>.Count;
        int block = Math.Min(n, BlockBytes / sizeof(T)), outer = Math.Min(n, OuterBlockBytes / sizeof(T));
        for (int o0 = 0; o0 < n; o0 += outer)
        {
            ref T outerFirst = ref Unsafe.Add(ref x, o0);
            for (int b0 = 0; b0 < outer; b0 += block)
            {
                ref T first = ref Unsafe.Add(ref outerFirst, b0);
                for (int i = 0; i < block; i += width)
                {
                    Vector512<T> v = Vector512.LoadUnsafe(ref first, (nuint)i);
                    for (int h = 1; h < width; h *= 2)
                    {
                        v = InRegister(v, h);
                    }
                    v.StoreUnsafe(ref first, (nuint)i);
                }
                Levels(ref first, block, width, block);
            }
            Levels(ref outerFirst, outer, block, outer);
        }
        Levels(ref x, n, outer, n);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void Transform256<T>(ref T x, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector256<T>.Count;
        int block = Math.Min(n, BlockBytes / sizeof(T)), outer = Math.Min(n, OuterBlockBytes / sizeof(T));
        for (int o0 = 0; o0 < n; o0 += outer)
        {
            ref T outerFirst = ref Unsafe.Add(ref x, o0);
            for (int b0 = 0; b0 < outer; b0 += block)
            {
                ref T first = ref Unsafe.Add(ref outerFirst, b0);
                for (int i = 0; i < block; i += width)
                {
                    Vector256<T> v = Vector256.LoadUnsafe(ref first, (nuint)i);
                    for (int h = 1; h < width; h *= 2)
                    {
                        v = InRegister(v, h);
                    }
                    v.StoreUnsafe(ref first, (nuint)i);
                }
                Levels(ref first, block, width, block);
            }
            Levels(ref outerFirst, outer, block, outer);
        }
        Levels(ref x, n, outer, n);
    }

    /// <summary>
    /// Level h inside one vector: the partner of lane l is lane l XOR h; lanes with bit h clear take v + partner,
    /// the others partner − v (which is x[l − h] − x[l]).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> InRegister<T>(Vector512<T> v, int h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> partner, upper;
        if (typeof(T) == typeof(float))
        {
            Vector512<int> lanes = Vector512<int>.Indices, bit = Vector512.Create(h);
            partner = Avx512F.PermuteVar16x32(v.AsSingle(), lanes ^ bit).As<float, T>();
            upper = Vector512.Equals(lanes & bit, bit).As<int, T>();
        }
        else
        {
            Vector512<long> lanes = Vector512<long>.Indices, bit = Vector512.Create((long)h);
            partner = Avx512F.PermuteVar8x64(v.AsDouble(), lanes ^ bit).As<double, T>();
            upper = Vector512.Equals(lanes & bit, bit).As<long, T>();
        }
        return Vector512.ConditionalSelect(upper, partner - v, v + partner);
    }

    /// <inheritdoc cref="InRegister{T}(Vector512{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> InRegister<T>(Vector256<T> v, int h) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> partner, upper;
        if (typeof(T) == typeof(float))
        {
            Vector256<int> lanes = Vector256<int>.Indices, bit = Vector256.Create(h);
            partner = Avx2.PermuteVar8x32(v.AsSingle(), lanes ^ bit).As<float, T>();
            upper = Vector256.Equals(lanes & bit, bit).As<int, T>();
        }
        else
        {
            Vector256<long> lanes = Vector256<long>.Indices, bit = Vector256.Create((long)h);
            // Four doubles: h = 1 swaps neighbours within each 128-bit half, h = 2 swaps the halves.
            partner = (h == 1 ? Avx.Permute(v.AsDouble(), 0b0101) : Avx2.Permute4x64(v.AsDouble(), 0b01_00_11_10)).As<double, T>();
            upper = Vector256.Equals(lanes & bit, bit).As<long, T>();
        }
        return Vector256.ConditionalSelect(upper, partner - v, v + partner);
    }
}
