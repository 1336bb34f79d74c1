namespace Kernels.Blas;

/// <summary>
/// Cache blocking of Gemm, kept as data. Each thread packs an <see cref="RowBlock"/> × <see cref="DepthBlock"/>
/// block of op(A) (meant to stay in the last-level cache) and a <see cref="DepthBlock"/> × <see cref="ColumnBlock"/>
/// block of op(B) (meant for the per-core L2); one micro-panel of A (MR × DepthBlock) stays in L1 while the kernel
/// sweeps the micro-panels of B. The microkernel fixes MR and NR; the driver rounds the blocks to their multiples.
/// </summary>
/// <param name="RowBlock">MC: rows of op(A) packed at a time.</param>
/// <param name="DepthBlock">KC: the shared dimension packed at a time. The driver splits k into equal blocks near KC (up to
/// KC·9/8 when that saves a short last block), so every element's sum is grouped the same way for any thread count.</param>
/// <param name="ColumnBlock">NC: columns of op(B) packed at a time.</param>
public readonly record struct GemmBlocking(int RowBlock, int DepthBlock, int ColumnBlock)
{
    /// <summary>Blocking tuned on AMD Zen 4 (32 KiB L1d, 1 MiB L2 per core) for the given element size.</summary>
    public static GemmBlocking Default(int elementSize) => elementSize == 4
        ? new GemmBlocking(RowBlock: 1536, DepthBlock: 384, ColumnBlock: 256)
        : new GemmBlocking(RowBlock: 1536, DepthBlock: 256, ColumnBlock: 256);

    /// <summary>Throws unless every block is positive.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A block size is zero or negative.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RowBlock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DepthBlock);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ColumnBlock);
    }
}
