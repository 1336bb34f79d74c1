using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>
/// Gemm microkernel for 512-bit vectors: a 12 × (2 vectors) tile of C held in 24 vector registers,
/// updated by one rank-1 step per k (two vector loads of packed B, 12 broadcasts of packed A, 24 fused multiply-adds).
/// A tile with fewer rows of C runs the same kernel compiled for 4 or 8 rows (<see cref="ITileRows"/>), so a 50-row
/// product computes 52 rows rather than 60, and one of at most one vector's columns for one vector
/// (<see cref="ITileColumns"/>: 10 classes take 16 columns, not 32); each element is summed in the same order, so the
/// bits do not change.
/// </summary>
internal readonly unsafe struct Microkernel512<T> : IMicrokernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int MR => 12;

    public static int NR => 2 * Vector512<T>.Count;

    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, int mr, int nr, in OutputTransform<T> transform)
    {
        if (nr > Vector512<T>.Count)
        {
            Run<TwoVectors>(kc, a, b, c, ldc, alpha, beta, mr, nr, transform);
        }
        else
        {
            Run<OneVector>(kc, a, b, c, ldc, alpha, beta, mr, nr, transform);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Run<TColumns>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, int mr, int nr, in OutputTransform<T> transform)
        where TColumns : struct, ITileColumns
    {
        if (mr > 8)
        {
            Run<TwelveRows, TColumns>(kc, a, b, c, ldc, alpha, beta, mr, nr, transform);
        }
        else if (mr > 4)
        {
            Run<EightRows, TColumns>(kc, a, b, c, ldc, alpha, beta, mr, nr, transform);
        }
        else
        {
            Run<FourRows, TColumns>(kc, a, b, c, ldc, alpha, beta, mr, nr, transform);
        }
    }

    /// <summary>
    /// The kernel for the first <typeparamref name="TRows"/> rows and <typeparamref name="TColumns"/> vectors of the tile
    /// (mr and nr within them); the packed panels keep their 12-row and 2-vector strides.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Run<TRows, TColumns>(int kc, T* a, T* b, T* c, nint ldc, T alpha, T beta, int mr, int nr, in OutputTransform<T> transform)
        where TRows : struct, ITileRows
        where TColumns : struct, ITileColumns
    {
        // Start fetching the C tile now so that the epilogue does not wait for it.
        for (int r = 0; r < mr; r++)
        {
            Prefetch.Tile(c + r * ldc, NR * sizeof(T));
        }
        Vector512<T> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default, c2_0 = default, c2_1 = default, c3_0 = default, c3_1 = default, c4_0 = default, c4_1 = default, c5_0 = default, c5_1 = default, c6_0 = default, c6_1 = default, c7_0 = default, c7_1 = default, c8_0 = default, c8_1 = default, c9_0 = default, c9_1 = default, c10_0 = default, c10_1 = default, c11_0 = default, c11_1 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = TColumns.Vectors > 1 ? Vector512.Load(b + Vector512<T>.Count) : default;
            Vector512<T> ai;
            ai = Vector512.Create(a[0]);
            c0_0 = VectorMath.MultiplyAdd(ai, b0, c0_0);
            if (TColumns.Vectors > 1)
            {
                c0_1 = VectorMath.MultiplyAdd(ai, b1, c0_1);
            }
            ai = Vector512.Create(a[1]);
            c1_0 = VectorMath.MultiplyAdd(ai, b0, c1_0);
            if (TColumns.Vectors > 1)
            {
                c1_1 = VectorMath.MultiplyAdd(ai, b1, c1_1);
            }
            ai = Vector512.Create(a[2]);
            c2_0 = VectorMath.MultiplyAdd(ai, b0, c2_0);
            if (TColumns.Vectors > 1)
            {
                c2_1 = VectorMath.MultiplyAdd(ai, b1, c2_1);
            }
            ai = Vector512.Create(a[3]);
            c3_0 = VectorMath.MultiplyAdd(ai, b0, c3_0);
            if (TColumns.Vectors > 1)
            {
                c3_1 = VectorMath.MultiplyAdd(ai, b1, c3_1);
            }
            if (TRows.Count > 4)
            {
                ai = Vector512.Create(a[4]);
                c4_0 = VectorMath.MultiplyAdd(ai, b0, c4_0);
                if (TColumns.Vectors > 1)
                {
                    c4_1 = VectorMath.MultiplyAdd(ai, b1, c4_1);
                }
                ai = Vector512.Create(a[5]);
                c5_0 = VectorMath.MultiplyAdd(ai, b0, c5_0);
                if (TColumns.Vectors > 1)
                {
                    c5_1 = VectorMath.MultiplyAdd(ai, b1, c5_1);
                }
                ai = Vector512.Create(a[6]);
                c6_0 = VectorMath.MultiplyAdd(ai, b0, c6_0);
                if (TColumns.Vectors > 1)
                {
                    c6_1 = VectorMath.MultiplyAdd(ai, b1, c6_1);
                }
                ai = Vector512.Create(a[7]);
                c7_0 = VectorMath.MultiplyAdd(ai, b0, c7_0);
                if (TColumns.Vectors > 1)
                {
                    c7_1 = VectorMath.MultiplyAdd(ai, b1, c7_1);
                }
            }
            if (TRows.Count > 8)
            {
                ai = Vector512.Create(a[8]);
                c8_0 = VectorMath.MultiplyAdd(ai, b0, c8_0);
                if (TColumns.Vectors > 1)
                {
                    c8_1 = VectorMath.MultiplyAdd(ai, b1, c8_1);
                }
                ai = Vector512.Create(a[9]);
                c9_0 = VectorMath.MultiplyAdd(ai, b0, c9_0);
                if (TColumns.Vectors > 1)
                {
                    c9_1 = VectorMath.MultiplyAdd(ai, b1, c9_1);
                }
                ai = Vector512.Create(a[10]);
                c10_0 = VectorMath.MultiplyAdd(ai, b0, c10_0);
                if (TColumns.Vectors > 1)
                {
                    c10_1 = VectorMath.MultiplyAdd(ai, b1, c10_1);
                }
                ai = Vector512.Create(a[11]);
                c11_0 = VectorMath.MultiplyAdd(ai, b0, c11_0);
                if (TColumns.Vectors > 1)
                {
                    c11_1 = VectorMath.MultiplyAdd(ai, b1, c11_1);
                }
            }
            a += 12;
            b += NR;
        }

        if (nr == NR)
        {
            // Only the rows of C that exist are stored; each is one vector update.
            Epilogue.Update(c + 0 * ldc, c0_0, c0_1, alpha, beta, transform);
            if (mr > 1)
            {
                Epilogue.Update(c + 1 * ldc, c1_0, c1_1, alpha, beta, transform);
            }
            if (mr > 2)
            {
                Epilogue.Update(c + 2 * ldc, c2_0, c2_1, alpha, beta, transform);
            }
            if (mr > 3)
            {
                Epilogue.Update(c + 3 * ldc, c3_0, c3_1, alpha, beta, transform);
            }
            if (TRows.Count > 4 && mr > 4)
            {
                Epilogue.Update(c + 4 * ldc, c4_0, c4_1, alpha, beta, transform);
            }
            if (TRows.Count > 5 && mr > 5)
            {
                Epilogue.Update(c + 5 * ldc, c5_0, c5_1, alpha, beta, transform);
            }
            if (TRows.Count > 6 && mr > 6)
            {
                Epilogue.Update(c + 6 * ldc, c6_0, c6_1, alpha, beta, transform);
            }
            if (TRows.Count > 7 && mr > 7)
            {
                Epilogue.Update(c + 7 * ldc, c7_0, c7_1, alpha, beta, transform);
            }
            if (TRows.Count > 8 && mr > 8)
            {
                Epilogue.Update(c + 8 * ldc, c8_0, c8_1, alpha, beta, transform);
            }
            if (TRows.Count > 9 && mr > 9)
            {
                Epilogue.Update(c + 9 * ldc, c9_0, c9_1, alpha, beta, transform);
            }
            if (TRows.Count > 10 && mr > 10)
            {
                Epilogue.Update(c + 10 * ldc, c10_0, c10_1, alpha, beta, transform);
            }
            if (TRows.Count > 11 && mr > 11)
            {
                Epilogue.Update(c + 11 * ldc, c11_0, c11_1, alpha, beta, transform);
            }
        }
        else
        {
            // Column edge: spill the rows and vectors computed, then update only the part of C that exists.
            T* tile = stackalloc T[12 * 2 * Vector512<T>.Count];
            Spill<TColumns>(tile + 0 * NR, c0_0, c0_1);
            Spill<TColumns>(tile + 1 * NR, c1_0, c1_1);
            Spill<TColumns>(tile + 2 * NR, c2_0, c2_1);
            Spill<TColumns>(tile + 3 * NR, c3_0, c3_1);
            if (TRows.Count > 4)
            {
                Spill<TColumns>(tile + 4 * NR, c4_0, c4_1);
                Spill<TColumns>(tile + 5 * NR, c5_0, c5_1);
                Spill<TColumns>(tile + 6 * NR, c6_0, c6_1);
                Spill<TColumns>(tile + 7 * NR, c7_0, c7_1);
            }
            if (TRows.Count > 8)
            {
                Spill<TColumns>(tile + 8 * NR, c8_0, c8_1);
                Spill<TColumns>(tile + 9 * NR, c9_0, c9_1);
                Spill<TColumns>(tile + 10 * NR, c10_0, c10_1);
                Spill<TColumns>(tile + 11 * NR, c11_0, c11_1);
            }
            Epilogue.UpdatePartial(tile, NR, c, ldc, mr, nr, alpha, beta, transform);
        }
    }

    /// <summary>Stores one tile row's vectors at <paramref name="row"/>: the second only when the tile computes two.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Spill<TColumns>(T* row, Vector512<T> first, Vector512<T> second) where TColumns : struct, ITileColumns
    {
        first.Store(row);
        if (TColumns.Vectors > 1)
        {
            second.Store(row + Vector512<T>.Count);
        }
    }
}
