namespace Kernels.Blas;

/// <summary>
/// Exact aliasing test for two row-major blocks. Blocks of one parent matrix (same stride) may interleave in
/// memory without sharing an element (a panel and the trailing block in a blocked factorization); they are
/// compared as rectangles in the parent's coordinates. Blocks with different strides are rejected whenever
/// their memory ranges overlap.
/// </summary>
internal static class MatrixOverlap
{
    public static void ThrowIfOverlapping<T>(ReadOnlySpan<T> input, int inRows, int inCols, int inStride, string inputName,
        ReadOnlySpan<T> output, int outRows, int outCols, int outStride, string outputName)
    {
        long inLength = MatrixShape.RequiredLength(inRows, inCols, inStride);
        long outLength = MatrixShape.RequiredLength(outRows, outCols, outStride);
        if (inLength == 0 || outLength == 0)
        {
            return;
        }
        ReadOnlySpan<T> a = input[..(int)inLength];
        ReadOnlySpan<T> b = output[..(int)outLength];
        if (!a.Overlaps(b, out int offset))
        {
            return;
        }
        // offset: position of the output's first element relative to the input's (negative if before it).
        if (inStride == outStride && inStride > 0 && !SharesAnElement(offset, inStride, inRows, inCols, outRows, outCols))
        {
            return;
        }
        throw new ArgumentException($"{outputName} shares memory with {inputName}; the output must not alias an input.", outputName);
    }

    /// <summary>
    /// In the parent's coordinates (relative to the input's origin) the output starts at row R, column C with
    /// offset = R·s + C, 0 ≤ C &lt; s. Its rows run past the stride when C + cols &gt; s, so it covers columns
    /// [C, min(C + cols, s)) of rows [R, R + rows) and, in that case, columns [0, C + cols − s) of rows [R + 1, R + 1 + rows).
    /// </summary>
    private static bool SharesAnElement(long offset, long stride, int inRows, int inCols, int outRows, int outCols)
    {
        long r = Math.DivRem(offset, stride, out long c);
        if (c < 0)
        {
            c += stride;
            r--;
        }
        bool first = r < inRows && r + outRows > 0 && c < inCols;
        bool wrapped = c + outCols > stride && r + 1 < inRows && r + 1 + outRows > 0;
        return first || wrapped;
    }
}
