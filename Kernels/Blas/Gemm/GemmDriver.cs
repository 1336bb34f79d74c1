using System.Numerics;

namespace Kernels.Blas;

/// <summary>
/// The BLIS loop nest around the microkernels. The product is split into one stripe of C per thread (along
/// its longer side, in whole micro-tiles); each stripe runs the serial nest
/// <c>ic (MC) → pc (KC) → pack A → jc (NC) → pack B → ir (MR) → jr (NR) → microkernel</c>
/// with private, 64-byte aligned pack buffers (one <see cref="PackBuffer"/> per thread, reused by later calls). No element of C is touched by two threads, and each is summed
/// over k in the same order whatever the thread count, so results are bitwise independent of threading.
/// </summary>
internal static unsafe class GemmDriver
{
    public static void Run<T, TA, TB>(T alpha, TA a, TB b, T beta, T* c, nint ldc, int m, int n, int k, BlasOptions options, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IPanelSource<T>
        where TB : struct, IPanelSource<T>
    {
        if (Microkernel512<T>.IsSupported)
        {
            Run<T, TA, TB, Microkernel512<T>>(alpha, a, b, beta, c, ldc, m, n, k, options, transform);
        }
        else if (Microkernel256<T>.IsSupported)
        {
            Run<T, TA, TB, Microkernel256<T>>(alpha, a, b, beta, c, ldc, m, n, k, options, transform);
        }
        else if (Microkernel128<T>.IsSupported)
        {
            Run<T, TA, TB, Microkernel128<T>>(alpha, a, b, beta, c, ldc, m, n, k, options, transform);
        }
        else
        {
            Run<T, TA, TB, MicrokernelScalar<T>>(alpha, a, b, beta, c, ldc, m, n, k, options, transform);
        }
    }

    private static void Run<T, TA, TB, TK>(T alpha, TA a, TB b, T beta, T* c, nint ldc, int m, int n, int k, BlasOptions options, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IPanelSource<T>
        where TB : struct, IPanelSource<T>
        where TK : IMicrokernel<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            ScaleC(c, ldc, m, n, beta, transform);
            return;
        }

        GemmBlocking blocking = options.Blocking ?? GemmBlocking.Default(sizeof(T));
        int rowTiles = (m + TK.MR - 1) / TK.MR;
        int columnTiles = (n + TK.NR - 1) / TK.NR;
        bool splitRows = rowTiles >= columnTiles;
        int threads = options.ThreadsFor((long)m * n * k, splitRows ? rowTiles : columnTiles);

        if (threads == 1)
        {
            Stripe<T, TA, TB, TK>(alpha, a, b, beta, c, ldc, 0, m, 0, n, k, blocking, transform);
            return;
        }

        RunStripes<T, TA, TB, TK>(alpha, a, b, beta, c, ldc, m, n, k, blocking, threads, splitRows, transform);
    }

    /// <summary>
    /// The threaded path: the product split into <paramref name="threads"/> stripes of whole micro-tiles along
    /// <paramref name="splitRows"/>'s dimension, run by <see cref="ParallelParts"/> (nothing allocated).
    /// </summary>
    private static void RunStripes<T, TA, TB, TK>(T alpha, TA a, TB b, T beta, T* c, nint ldc, int m, int n, int k,
        GemmBlocking blocking, int threads, bool splitRows, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IPanelSource<T>
        where TB : struct, IPanelSource<T>
        where TK : IMicrokernel<T> =>
        ParallelParts.Run(new StripeParts<T, TA, TB, TK>(alpha, a, b, beta, c, ldc, m, n, k, blocking, threads, splitRows, transform), threads);

    /// <summary>Stripe t covers tiles [t·tiles/threads, (t+1)·tiles/threads) of the split dimension.</summary>
    private readonly struct StripeParts<T, TA, TB, TK>(T alpha, TA a, TB b, T beta, T* c, nint ldc, int m, int n, int k,
        GemmBlocking blocking, int threads, bool splitRows, OutputTransform<T> transform) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IPanelSource<T>
        where TB : struct, IPanelSource<T>
        where TK : IMicrokernel<T>
    {
        public void Run(int part)
        {
            int tiles = splitRows ? (m + TK.MR - 1) / TK.MR : (n + TK.NR - 1) / TK.NR;
            int tile = splitRows ? TK.MR : TK.NR;
            int extent = splitRows ? m : n;
            int start = (int)((long)part * tiles / threads) * tile;
            int end = Math.Min(extent, (int)((long)(part + 1) * tiles / threads) * tile);
            if (start >= end)
            {
                return;
            }
            if (splitRows)
            {
                Stripe<T, TA, TB, TK>(alpha, a, b, beta, c, ldc, start, end - start, 0, n, k, blocking, transform);
            }
            else
            {
                Stripe<T, TA, TB, TK>(alpha, a, b, beta, c, ldc, 0, m, start, end - start, k, blocking, transform);
            }
        }
    }

    private static void Stripe<T, TA, TB, TK>(T alpha, TA a, TB b, T beta, T* c, nint ldc,
        int row0, int rows, int column0, int columns, int k, GemmBlocking blocking, in OutputTransform<T> transform)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TA : struct, IPanelSource<T>
        where TB : struct, IPanelSource<T>
        where TK : IMicrokernel<T>
    {
        int mcMax = RoundUp(Math.Min(blocking.RowBlock, rows), TK.MR);
        int depthBlocks = DepthBlocks(k, blocking.DepthBlock);
        int kcMax = (k + depthBlocks - 1) / depthBlocks;
        int ncMax = RoundUp(Math.Min(blocking.ColumnBlock, columns), TK.NR);
        nuint aLength = (nuint)mcMax * (nuint)kcMax;
        nuint bLength = (nuint)kcMax * (nuint)ncMax;
        nuint aBytes = PackBuffer.RoundUpToLine(aLength * (nuint)sizeof(T));
        PackBuffer buffer = PackBuffer.Rent(aBytes + bLength * (nuint)sizeof(T));
        try
        {
            T* aPack = (T*)buffer.Start;
            T* bPack = (T*)(buffer.Start + aBytes);
            for (int ic = row0; ic < row0 + rows; ic += mcMax)
            {
                int mc = Math.Min(mcMax, row0 + rows - ic);
                for (int block = 0; block < depthBlocks; block++)
                {
                    int pc = (int)((long)block * k / depthBlocks);
                    int kc = (int)((long)(block + 1) * k / depthBlocks) - pc;
                    a.PackRowPanels(ic, mc, pc, kc, TK.MR, new Span<T>(aPack, RoundUp(mc, TK.MR) * kc));
                    // Later depth blocks add to what the first one wrote; only the last one applies the bias and activation.
                    T betaHere = pc == 0 ? beta : T.One;
                    bool last = pc + kc == k;
                    for (int jc = column0; jc < column0 + columns; jc += ncMax)
                    {
                        int nc = Math.Min(ncMax, column0 + columns - jc);
                        b.PackColumnPanels(pc, kc, jc, nc, TK.NR, new Span<T>(bPack, kc * RoundUp(nc, TK.NR)));
                        for (int ir = 0; ir < mc; ir += TK.MR)
                        {
                            int mr = Math.Min(TK.MR, mc - ir);
                            T* aPanel = aPack + ir * kc;
                            T* cRow = c + (ic + ir) * ldc + jc;
                            for (int jr = 0; jr < nc; jr += TK.NR)
                            {
                                TK.Run(kc, aPanel, bPack + jr * kc, cRow + jr, ldc, alpha, betaHere, mr, Math.Min(TK.NR, nc - jr),
                                    last ? transform.Offset(jc + jr) : OutputTransform<T>.None);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            PackBuffer.Return(buffer);
        }
    }

    /// <summary>C ← transform(beta·C) for an empty inner dimension (C is zeroed, not read, when beta is zero).</summary>
    private static void ScaleC<T>(T* c, nint ldc, int m, int n, T beta, in OutputTransform<T> transform) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero)
            {
                row.Clear();
            }
            else
            {
                Level1.Scale(beta, row);
            }
            for (int j = 0; j < n && !transform.IsIdentity; j++)
            {
                row[j] = transform.Apply(row[j], j);
            }
        }
    }

    /// <summary>
    /// How many depth blocks k is packed in: blocks of about <paramref name="depthBlock"/> (block i covers
    /// [i·k/blocks, (i+1)·k/blocks), so their lengths differ by at most 1), and a remainder of at most an eighth of a block
    /// spread over the others rather than given a block of its own. k = 784 at KC = 384 is two blocks of 392, not
    /// 384 + 384 + 16, whose last block would read and write C once more for 2 % of the products.
    /// </summary>
    internal static int DepthBlocks(int k, int depthBlock)
    {
        int blocks = Math.Max(1, (int)(((long)k + depthBlock - 1) / depthBlock));
        if (blocks > 1 && (k - (long)(blocks - 1) * depthBlock) * 8 <= depthBlock)
        {
            blocks--;
        }
        return blocks;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
