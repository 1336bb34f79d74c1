using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Simd;

namespace Kernels.Training.Ntk;

/// <summary>
/// The neural tangent kernel of the 2-layer ReLU net with w ~ N(0, I) and b = 0 (§D of the papers):
/// K(x, z) = ⟨x, z⟩·E_w[1(⟨w, x⟩ ≥ 0)·1(⟨w, z⟩ ≥ 0)] = ⟨x, z⟩·(π − arccos(⟨x, z⟩/(‖x‖‖z‖)))/(2π),
/// the arc-cosine kernel of degree 0 times the linear kernel. A zero point has K = 0 with everything.
/// </summary>
/// <remarks>
/// <para><b>Building K.</b> The inner products come from <see cref="Level3.Gemm{T}"/> (2·n²·d flops, the whole cost for
/// d in the hundreds); the arc-cosine step is one SIMD pass per row (<see cref="ArcCosineTransform{T}"/>). For K(X, X)
/// only the block rows up to the diagonal are multiplied (one Gemm per block row of <see cref="Block"/> rows, about
/// n²·d flops in all), each transformed right after its Gemm while it is in cache, the rows split among threads;
/// <see cref="Build{T}(ReadOnlyMatrixView{T}, MatrixView{T}, BlasOptions?)"/> then mirrors the upper triangle from the lower
/// one, so the matrix is exactly symmetric, while <see cref="BuildLower{T}"/> stops there for solvers that read only the
/// lower triangle. The diagonal is exactly ‖x_i‖²/2. The norms are the square roots of the Gram diagonal, so u = 1 on the
/// diagonal up to one rounding.</para>
/// <para>Memory: the caller owns the result (<see cref="RequiredBytes{T}"/> gives its size); nothing else of size n² is
/// allocated. Deterministic: the same bits for any thread count, since Gemm is.</para>
/// </remarks>
public static class NeuralTangentKernel
{
    /// <summary>
    /// Rows of X multiplied per Gemm for K(X, X): large enough for Gemm's blocking, small enough that the skipped upper blocks
    /// save work (the Gemm computes Block/2 · n entries above the diagonal, about Block/(2n) of the total) and that a block row
    /// of K stays in the last-level cache for its transform.
    /// </summary>
    private const int Block = 512;

    /// <summary>K(x, z) for two points, in double precision with <see cref="Math.Acos(double)"/>: the scalar reference.</summary>
    /// <param name="x">The first point.</param>
    /// <param name="z">The second point, as long as <paramref name="x"/>.</param>
    /// <returns>⟨x, z⟩·(π − arccos(cos θ))/(2π).</returns>
    /// <exception cref="ArgumentException">The lengths differ, or a value is not finite.</exception>
    public static double Evaluate<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> z) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireLength(z.Length, x.Length, nameof(z), "the length of x");
        RequireFinite(x, nameof(x));
        RequireFinite(z, nameof(z));
        double xz = 0, xx = 0, zz = 0;
        for (int k = 0; k < x.Length; k++)
        {
            double a = double.CreateChecked(x[k]), b = double.CreateChecked(z[k]);
            xz += a * b;
            xx += a * a;
            zz += b * b;
        }
        if (xx == 0 || zz == 0)
        {
            return 0;
        }
        double cosine = Math.Clamp(xz / Math.Sqrt(xx * zz), -1, 1);
        return xz * (Math.PI - Math.Acos(cosine)) / (2 * Math.PI);
    }

    /// <summary>Bytes of an <paramref name="rows"/> × <paramref name="columns"/> kernel matrix of <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative.</exception>
    public static long RequiredBytes<T>(int rows, int columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        return (long)rows * columns * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
    }

    /// <summary>Writes K(X, X), the n × n kernel matrix of the rows of X.</summary>
    /// <param name="x">X, n × d, one point per row; finite.</param>
    /// <param name="kernel">K, n × n, not overlapping X; fully overwritten.</param>
    /// <param name="options">Threads for the Gemm products, the transform and the mirroring.</param>
    /// <exception cref="ArgumentException">K is not n × n, overlaps X, or X holds a NaN or infinity.</exception>
    public static void Build<T>(ReadOnlyMatrixView<T> x, MatrixView<T> kernel, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        BuildLower(x, kernel, options);
        Mirror(kernel, options ?? BlasOptions.Default);
    }

    /// <summary>
    /// Writes the lower triangle of K(X, X), diagonal included — all that <see cref="Cholesky"/>,
    /// <see cref="MixedPrecisionCholesky"/> and <see cref="KernelRidge{T}"/>'s Cholesky solvers read — without the pass that
    /// mirrors it into the upper triangle.
    /// </summary>
    /// <param name="x">X, n × d, one point per row; finite.</param>
    /// <param name="kernel">K, n × n, not overlapping X. On return its lower triangle holds K; its strictly upper triangle is
    /// scratch (the parts inside the diagonal blocks of the Gemm hold intermediate products) and must not be read as K.</param>
    /// <param name="options">Threads for the Gemm products and the transform.</param>
    /// <exception cref="ArgumentException">K is not n × n, overlaps X, or X holds a NaN or infinity.</exception>
    public static void BuildLower<T>(ReadOnlyMatrixView<T> x, MatrixView<T> kernel, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        int n = x.Rows;
        Guard.RequireShape<T>(kernel, n, n, nameof(kernel), "n × n for the n points of x");
        Guard.RequireDisjoint(x, nameof(x), kernel, nameof(kernel));
        options ??= BlasOptions.Default;
        options.Validate();
        RequireFinite(x, nameof(x), options: options);

        T[] inverseNorms = ArrayPool<T>.Shared.Rent(n);
        try
        {
            for (int bi = 0; bi < n; bi += Block)
            {
                int rows = Math.Min(Block, n - bi);
                // One Gemm for the whole block row left of and including the diagonal block, then its transform while the
                // block row is still in the last-level cache; the rows' own norms come from the diagonal block just computed.
                Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, x.Slice(bi, 0, rows, x.Columns), x.Slice(0, 0, bi + rows, x.Columns),
                    T.Zero, kernel.Slice(bi, 0, rows, bi + rows), options);
                for (int i = bi; i < bi + rows; i++)
                {
                    T norm = T.Sqrt(kernel[i, i]);
                    inverseNorms[i] = norm > T.Zero ? T.One / norm : T.Zero;
                }
                TransformRows(kernel.Slice(bi, 0, rows, bi + rows), bi, inverseNorms, options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(inverseNorms);
        }
    }

    /// <summary>
    /// The arc-cosine step on rows bi … bi + rows − 1 of K, each on its prefix up to the diagonal (the diagonal itself becomes
    /// ‖x_i‖²/2 exactly), the rows split among threads: each element is transformed by the same operations on any thread.
    /// </summary>
    private static unsafe void TransformRows<T>(MatrixView<T> blockRow, int bi, T[] inverseNorms, BlasOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = blockRow.Rows;
        // About 40 flops per element (the rational arccos with a division and a square root).
        int threads = options.ThreadsFor(40L * rows * (bi + rows), rows);
        fixed (T* k = blockRow.Data)
        fixed (T* norms = inverseNorms)
        {
            ParallelParts.Run(new TransformParts<T>((nint)k, blockRow.Stride, bi, rows, (nint)norms, threads), threads);
        }
    }

    private readonly unsafe struct TransformParts<T>(nint kernel, int stride, int bi, int rows, nint inverseNorms, int threads) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            int first = (int)((long)part * rows / threads), end = (int)((long)(part + 1) * rows / threads);
            var norms = new ReadOnlySpan<T>((T*)inverseNorms, bi + rows);
            for (int r = first; r < end; r++)
            {
                int i = bi + r;
                var row = new Span<T>((T*)kernel + (long)r * stride, i + 1);
                T diagonal = row[i];
                BinaryDriver.Run<T, ArcCosineTransform<T>>(row, norms[..(i + 1)], row, new ArcCosineTransform<T>(norms[i]));
                row[i] = diagonal / T.CreateChecked(2);
            }
        }
    }

    /// <summary>Copies the strictly lower triangle of K onto the upper one, in Block × Block tiles, the block rows split among threads.</summary>
    private static unsafe void Mirror<T>(MatrixView<T> kernel, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = kernel.Rows, blocks = (n + Block - 1) / Block;
        int threads = options.ThreadsFor((long)n * n / 2, blocks);
        fixed (T* k = kernel.Data)
        {
            ParallelParts.Run(new MirrorParts<T>((nint)k, kernel.Stride, n, blocks), blocks, threads);
        }
    }

    /// <summary>Part p mirrors block row p: its blocks left of the diagonal and the strictly lower half of its diagonal block.</summary>
    private readonly unsafe struct MirrorParts<T>(nint kernel, int stride, int n, int blocks) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            var k = new MatrixView<T>(new Span<T>((T*)kernel, (n - 1) * stride + n), n, n, stride);
            // Block rows are uneven in work (block row p has p off-diagonal blocks); taking them from both ends keeps
            // the parts of a two-way split even without knowing the thread count.
            int bi = (part % 2 == 0 ? part / 2 : blocks - 1 - part / 2) * Block;
            int rows = Math.Min(Block, n - bi);
            for (int bj = 0; bj < bi; bj += Block)
            {
                MatrixTranspose.Copy<T>(k.Slice(bi, bj, rows, Block), k.Slice(bj, bi, Block, rows));
            }
            for (int i = bi; i < bi + rows; i++)
            {
                for (int j = bi; j < i; j++)
                {
                    k[j, i] = k[i, j];
                }
            }
        }
    }

    /// <summary>Writes K(A, B): entry (i, j) is K(a_i, b_j), for test points A against training points B.</summary>
    /// <param name="a">A, p × d; finite.</param>
    /// <param name="b">B, n × d; finite.</param>
    /// <param name="kernel">K, p × n, not overlapping A or B; fully overwritten.</param>
    /// <param name="options">Threads for the Gemm product.</param>
    /// <exception cref="ArgumentException">The shapes do not match, K overlaps an input, or an input holds a NaN or infinity.</exception>
    public static void Build<T>(ReadOnlyMatrixView<T> a, ReadOnlyMatrixView<T> b, MatrixView<T> kernel, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireColumns(b, a.Columns, nameof(b), "as many columns (d) as a");
        Guard.RequireShape<T>(kernel, a.Rows, b.Rows, nameof(kernel), "a.Rows × b.Rows");
        Guard.RequireDisjoint(a, nameof(a), kernel, nameof(kernel));
        Guard.RequireDisjoint(b, nameof(b), kernel, nameof(kernel));
        RequireFinite(a, nameof(a));
        RequireFinite(b, nameof(b));
        options?.Validate();

        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, a, b, T.Zero, kernel, options);
        var inverseNorms = new T[b.Rows];
        InverseNorms(b, inverseNorms);
        for (int i = 0; i < a.Rows; i++)
        {
            T norm = T.Sqrt(Level1.Dot(a.Row(i), a.Row(i)));
            Span<T> row = kernel.Row(i);
            BinaryDriver.Run<T, ArcCosineTransform<T>>(row, inverseNorms, row, new ArcCosineTransform<T>(norm > T.Zero ? T.One / norm : T.Zero));
        }
    }

    /// <summary>1/‖x_i‖ for every row (0 for a zero row).</summary>
    internal static void InverseNorms<T>(ReadOnlyMatrixView<T> x, Span<T> inverseNorms) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Rows; i++)
        {
            T norm = T.Sqrt(Level1.Dot(x.Row(i), x.Row(i)));
            inverseNorms[i] = norm > T.Zero ? T.One / norm : T.Zero;
        }
    }

    /// <summary>Parts of the finiteness check of a matrix: each finds its first non-finite row, and the first part that has one decides the message.</summary>
    private const int FiniteParts = 4;

    /// <summary>
    /// Throws naming the first non-finite entry of a matrix, or of its lower triangle when <paramref name="lowerOnly"/> (what a
    /// Cholesky reads); the rows are split among the threads of <paramref name="options"/> (default: one thread), and the
    /// entry named is the same for any thread count.
    /// </summary>
    internal static unsafe void RequireFinite<T>(ReadOnlyMatrixView<T> x, string name, bool lowerOnly = false, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = x.Rows;
        if (rows == 0)
        {
            return;
        }
        Span<int> firstBadRow = stackalloc int[FiniteParts];
        int threads = (options ?? BlasOptions.SingleThreaded).ThreadsFor((long)rows * x.Columns, FiniteParts);
        fixed (T* px = x.Data)
        fixed (int* pb = firstBadRow)
        {
            ParallelParts.Run(new FinitePart<T>((nint)px, x.Stride, rows, x.Columns, lowerOnly, (nint)pb), FiniteParts, threads);
        }
        foreach (int i in firstBadRow)
        {
            if (i < rows)
            {
                ReadOnlySpan<T> row = lowerOnly ? x.Row(i)[..Math.Min(i + 1, x.Columns)] : x.Row(i);
                int k = 0;
                while (T.IsFinite(row[k]))
                {
                    k++;
                }
                throw new ArgumentException($"{name}[{i}, {k}] is {row[k]}{(lowerOnly ? " (in the lower triangle, the part that is read)" : "")}; the entries must be finite.", name);
            }
        }
    }

    /// <summary>Part p of the rows (equal shares of the elements read): records its first row holding a NaN or infinity, or the row count when none does.</summary>
    private readonly unsafe struct FinitePart<T>(nint x, int stride, int rows, int columns, bool lowerOnly, nint firstBadRow) : IParts
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int part)
        {
            // A triangle's rows grow, so its parts end at rows·√((p + 1)/P); a full matrix's at rows·(p + 1)/P.
            int start = part == 0 ? 0 : End(part - 1), end = End(part);
            ((int*)firstBadRow)[part] = rows;
            for (int i = start; i < end; i++)
            {
                var row = new ReadOnlySpan<T>((T*)x + (long)i * stride, lowerOnly ? Math.Min(i + 1, columns) : columns);
                // One vectorized pass per row: x·0 is 0 for finite x and NaN otherwise.
                var zeros = Vector<T>.Zero;
                int j = 0;
                for (; j <= row.Length - Vector<T>.Count; j += Vector<T>.Count)
                {
                    zeros += new Vector<T>(row[j..]) * Vector<T>.Zero;
                }
                T zero = Vector.Sum(zeros);
                for (; j < row.Length; j++)
                {
                    zero += row[j] * T.Zero;
                }
                if (zero != T.Zero)
                {
                    ((int*)firstBadRow)[part] = i;
                    return;
                }
            }
        }

        private int End(int part) => part == FiniteParts - 1 ? rows
            : lowerOnly ? (int)(rows * Math.Sqrt((part + 1) / (double)FiniteParts)) : (int)((long)rows * (part + 1) / FiniteParts);
    }

    private static void RequireFinite<T>(ReadOnlySpan<T> x, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < x.Length; j++)
        {
            if (!T.IsFinite(x[j]))
            {
                throw new ArgumentException($"{name}[{j}] is {x[j]}; the points must be finite.", name);
            }
        }
    }
}
