using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Activations;

/// <summary>
/// The inner loop of <see cref="ThresholdProducts"/>: rows of W against one group of transposed points. For each
/// row r an accumulator vector (lane p for point p) takes acc_r = fma(x[k], broadcast(w[r, k]), acc_r) for
/// k = 0, 1, …, d − 1 in order, starting from +0 — exactly the scalar chain s = fma(w[k], x[k], s) of each pair, so
/// the bits depend on neither the vector width, the group, the row block nor the thread.
/// </summary>
internal static unsafe class ProductKernel
{
    /// <summary>
    /// Rows per block: twelve independent multiply-add chains cover the latency of two FMA pipes (4 cycles × 2, with
    /// room), and twelve accumulators plus the point vector fit the 16 vector registers of AVX2 machines.
    /// </summary>
    public const int BlockRows = 12;

    /// <summary>Rows <paramref name="row"/> … <paramref name="row"/> + 11 (at <paramref name="weights"/>, row stride
    /// <paramref name="stride"/>) against the group at <paramref name="packed"/>; the twelve product vectors go to
    /// <paramref name="sink"/> in row order. Not inlined: one call per block and group, each its own register allocation.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Block<TLanes, TVector, TSink>(float* weights, nint stride, float* packed, int dimension,
        int row, int first, int points, ref TSink sink)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
        where TSink : struct, IProductSink
    {
        TVector a0 = TLanes.Zero, a1 = TLanes.Zero, a2 = TLanes.Zero, a3 = TLanes.Zero;
        TVector a4 = TLanes.Zero, a5 = TLanes.Zero, a6 = TLanes.Zero, a7 = TLanes.Zero;
        TVector a8 = TLanes.Zero, a9 = TLanes.Zero, a10 = TLanes.Zero, a11 = TLanes.Zero;
        // Four row pointers, each reaching two more rows as [p + stride·4] and [p + stride·8]: few registers, and the
        // broadcasts fold into the multiply-adds as memory operands.
        float* p0 = weights, p1 = weights + 3 * stride, p2 = weights + 6 * stride, p3 = weights + 9 * stride;
        float* x = packed;
        float* end = packed + (nint)dimension * TLanes.Width;
        while (x < end)
        {
            TVector v = TLanes.Load(x);
            a0 = TLanes.MultiplyAddBroadcast(v, p0, a0);
            a1 = TLanes.MultiplyAddBroadcast(v, p0 + stride, a1);
            a2 = TLanes.MultiplyAddBroadcast(v, p0 + 2 * stride, a2);
            a3 = TLanes.MultiplyAddBroadcast(v, p1, a3);
            a4 = TLanes.MultiplyAddBroadcast(v, p1 + stride, a4);
            a5 = TLanes.MultiplyAddBroadcast(v, p1 + 2 * stride, a5);
            a6 = TLanes.MultiplyAddBroadcast(v, p2, a6);
            a7 = TLanes.MultiplyAddBroadcast(v, p2 + stride, a7);
            a8 = TLanes.MultiplyAddBroadcast(v, p2 + 2 * stride, a8);
            a9 = TLanes.MultiplyAddBroadcast(v, p3, a9);
            a10 = TLanes.MultiplyAddBroadcast(v, p3 + stride, a10);
            a11 = TLanes.MultiplyAddBroadcast(v, p3 + 2 * stride, a11);
            p0++;
            p1++;
            p2++;
            p3++;
            x += TLanes.Width;
        }
        sink.Take<TLanes, TVector>(row, first, points, a0);
        sink.Take<TLanes, TVector>(row + 1, first, points, a1);
        sink.Take<TLanes, TVector>(row + 2, first, points, a2);
        sink.Take<TLanes, TVector>(row + 3, first, points, a3);
        sink.Take<TLanes, TVector>(row + 4, first, points, a4);
        sink.Take<TLanes, TVector>(row + 5, first, points, a5);
        sink.Take<TLanes, TVector>(row + 6, first, points, a6);
        sink.Take<TLanes, TVector>(row + 7, first, points, a7);
        sink.Take<TLanes, TVector>(row + 8, first, points, a8);
        sink.Take<TLanes, TVector>(row + 9, first, points, a9);
        sink.Take<TLanes, TVector>(row + 10, first, points, a10);
        sink.Take<TLanes, TVector>(row + 11, first, points, a11);
    }

    /// <summary>One row against one group: the rows after the last whole block (fewer than
    /// <see cref="BlockRows"/>, so one latency-bound chain each costs little).</summary>
    public static void Row<TLanes, TVector, TSink>(float* weights, float* packed, int dimension, int row, int first, int points, ref TSink sink)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
        where TSink : struct, IProductSink
    {
        TVector a = TLanes.Zero;
        float* x = packed;
        for (int k = 0; k < dimension; k++, x += TLanes.Width)
        {
            a = TLanes.MultiplyAddBroadcast(TLanes.Load(x), weights + k, a);
        }
        sink.Take<TLanes, TVector>(row, first, points, a);
    }

    /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) of W against every group, in blocks of
    /// <see cref="BlockRows"/> rows (the groups inside, so a block of W stays in L1 while the groups pass over it),
    /// then the rows after the last whole block one by one.</summary>
    public static void Rows<TSink>(float* weights, nint stride, float* packed, in TransposedPoints layout, int start, int end, ref TSink sink)
        where TSink : struct, IProductSink
    {
        int d = layout.Dimension;
        int row = start;
        for (; row + BlockRows <= end; row += BlockRows)
        {
            float* w = weights + row * stride;
            for (int group = 0; group < layout.Groups; group++)
            {
                float* x = packed + layout.Offset(group);
                int first = layout.FirstPoint(group), points = layout.PointsIn(group);
                switch (layout.WidthOf(group))
                {
                    case 16:
                        Block<ProductLanes512, Vector512<float>, TSink>(w, stride, x, d, row, first, points, ref sink);
                        break;
                    case 8:
                        Block<ProductLanes256, Vector256<float>, TSink>(w, stride, x, d, row, first, points, ref sink);
                        break;
                    case 4:
                        Block<ProductLanes128, Vector128<float>, TSink>(w, stride, x, d, row, first, points, ref sink);
                        break;
                    default:
                        Block<ProductLanesScalar, float, TSink>(w, stride, x, d, row, first, points, ref sink);
                        break;
                }
            }
        }
        for (; row < end; row++)
        {
            float* w = weights + row * stride;
            for (int group = 0; group < layout.Groups; group++)
            {
                float* x = packed + layout.Offset(group);
                int first = layout.FirstPoint(group), points = layout.PointsIn(group);
                switch (layout.WidthOf(group))
                {
                    case 16:
                        Row<ProductLanes512, Vector512<float>, TSink>(w, x, d, row, first, points, ref sink);
                        break;
                    case 8:
                        Row<ProductLanes256, Vector256<float>, TSink>(w, x, d, row, first, points, ref sink);
                        break;
                    case 4:
                        Row<ProductLanes128, Vector128<float>, TSink>(w, x, d, row, first, points, ref sink);
                        break;
                    default:
                        Row<ProductLanesScalar, float, TSink>(w, x, d, row, first, points, ref sink);
                        break;
                }
            }
        }
    }
}
