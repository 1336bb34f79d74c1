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

    /// <summary>How far ahead, in bytes of W, the blocks are prefetched (rounded to whole blocks, at least one).</summary>
    private const int PrefetchBytes = 8192;

    /// <summary>Rows <paramref name="row"/> … <paramref name="row"/> + 11 (at <paramref name="weights"/>, row stride
    /// <paramref name="stride"/>) against the group at <paramref name="packed"/>; the twelve product vectors go to
    /// <paramref name="sink"/> in row order.</summary>
    /// <remarks><paramref name="ahead"/> walks, <paramref name="aheadStep"/> floats per k, over rows of W a block or
    /// more ahead, prefetching them while this block is multiplied: the twelve rows are read as twelve interleaved
    /// streams, which the hardware prefetchers alone do not keep far enough ahead.</remarks>
    public static void Block<TLanes, TVector, TSink>(float* weights, nint stride, float* packed, int dimension,
        float* ahead, nint aheadStep, int row, int first, int points, ref TSink sink)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
        where TSink : struct, IProductSink
    {
        BlockSums<TVector> sums = default;
        Multiply<TLanes, TVector>(weights, stride, packed, dimension, ahead, aheadStep, ref sums);
        sink.Take<TLanes, TVector>(row, BlockRows, first, points, ref sums);
    }

    /// <summary>
    /// The twelve accumulators of <see cref="Block{TLanes, TVector, TSink}"/>, written to <paramref name="sums"/> at
    /// the end. A method of its own with no call inside, so that the accumulators live in registers: were a call (the
    /// sink's) in the same method, the JIT would spill them to the stack on every iteration. Compiled fully optimized
    /// at once: one call of the kernel runs this loop m/12 times per group, so the first call would otherwise run
    /// unoptimized code (or on-stack-replaced code) for much of its work.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Multiply<TLanes, TVector>(float* weights, nint stride, float* packed, int dimension, float* ahead, nint aheadStep,
        ref BlockSums<TVector> sums)
        where TLanes : struct, IProductLanes<TVector>
        where TVector : struct
    {
        TVector a0 = TLanes.Zero, a1 = TLanes.Zero, a2 = TLanes.Zero, a3 = TLanes.Zero;
        TVector a4 = TLanes.Zero, a5 = TLanes.Zero, a6 = TLanes.Zero, a7 = TLanes.Zero;
        TVector a8 = TLanes.Zero, a9 = TLanes.Zero, a10 = TLanes.Zero, a11 = TLanes.Zero;
        // Four row pointers, each reaching two more rows as [p + stride·4] and [p + 2·stride·4]: few registers, and the
        // broadcasts fold into the multiply-adds as memory operands.
        nint twice = 2 * stride;
        float* p0 = weights, p1 = weights + 3 * stride, p2 = weights + 6 * stride, p3 = weights + 9 * stride;
        float* x = packed;
        float* end = packed + (nint)dimension * TLanes.Width;
        while (x < end)
        {
            Prefetch.Line(ahead);
            ahead += aheadStep;
            TVector v = TLanes.Load(x);
            a0 = TLanes.MultiplyAddBroadcast(v, p0, a0);
            a1 = TLanes.MultiplyAddBroadcast(v, p0 + stride, a1);
            a2 = TLanes.MultiplyAddBroadcast(v, p0 + twice, a2);
            a3 = TLanes.MultiplyAddBroadcast(v, p1, a3);
            a4 = TLanes.MultiplyAddBroadcast(v, p1 + stride, a4);
            a5 = TLanes.MultiplyAddBroadcast(v, p1 + twice, a5);
            a6 = TLanes.MultiplyAddBroadcast(v, p2, a6);
            a7 = TLanes.MultiplyAddBroadcast(v, p2 + stride, a7);
            a8 = TLanes.MultiplyAddBroadcast(v, p2 + twice, a8);
            a9 = TLanes.MultiplyAddBroadcast(v, p3, a9);
            a10 = TLanes.MultiplyAddBroadcast(v, p3 + stride, a10);
            a11 = TLanes.MultiplyAddBroadcast(v, p3 + twice, a11);
            p0++;
            p1++;
            p2++;
            p3++;
            x += TLanes.Width;
        }
        sums[0] = a0;
        sums[1] = a1;
        sums[2] = a2;
        sums[3] = a3;
        sums[4] = a4;
        sums[5] = a5;
        sums[6] = a6;
        sums[7] = a7;
        sums[8] = a8;
        sums[9] = a9;
        sums[10] = a10;
        sums[11] = a11;
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
        BlockSums<TVector> sums = default;
        sums[0] = a;
        sink.Take<TLanes, TVector>(row, 1, first, points, ref sums);
    }

    /// <summary>Rows [<paramref name="start"/>, <paramref name="end"/>) of W against every group, in blocks of
    /// <see cref="BlockRows"/> rows (the groups inside, so a block of W stays in L1 while the groups pass over it),
    /// then the rows after the last whole block one by one.</summary>
    public static void Rows<TSink>(float* weights, nint stride, float* packed, in TransposedPoints layout, int start, int end, ref TSink sink)
        where TSink : struct, IProductSink
    {
        int d = layout.Dimension;
        // Prefetch about PrefetchBytes ahead (whole blocks, at least one), spread over the d steps of a block: with
        // stride = d, 12 floats per step, so every line of the block ahead is touched once. Only the first group's pass
        // prefetches; the others find the block in cache.
        nint blockFloats = BlockRows * stride;
        nint distance = blockFloats == 0 ? 0 : Math.Max(1, PrefetchBytes / (blockFloats * sizeof(float))) * blockFloats;
        nint step = d == 0 ? 0 : (blockFloats + d - 1) / d;
        int row = start;
        for (; row + BlockRows <= end; row += BlockRows)
        {
            float* w = weights + row * stride;
            for (int group = 0; group < layout.Groups; group++)
            {
                float* ahead = w + distance;
                nint aheadStep = group == 0 ? step : 0;
                float* x = packed + layout.Offset(group);
                int first = layout.FirstPoint(group), points = layout.PointsIn(group);
                switch (layout.WidthOf(group))
                {
                    case 16:
                        Block<ProductLanes512, Vector512<float>, TSink>(w, stride, x, d, ahead, aheadStep, row, first, points, ref sink);
                        break;
                    case 8:
                        Block<ProductLanes256, Vector256<float>, TSink>(w, stride, x, d, ahead, aheadStep, row, first, points, ref sink);
                        break;
                    case 4:
                        Block<ProductLanes128, Vector128<float>, TSink>(w, stride, x, d, ahead, aheadStep, row, first, points, ref sink);
                        break;
                    default:
                        Block<ProductLanesScalar, float, TSink>(w, stride, x, d, ahead, aheadStep, row, first, points, ref sink);
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

/// <summary>The <see cref="ProductKernel.BlockRows"/> product vectors of one block.</summary>
[InlineArray(ProductKernel.BlockRows)]
internal struct BlockSums<TVector> where TVector : struct
{
    private TVector _element;
}
