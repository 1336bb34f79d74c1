using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using Kernels.Blas;

namespace Kernels.Linalg;

/// <summary>
/// Solves A·X = B for a symmetric positive definite double matrix with a float Cholesky factor and iterative refinement
/// in double (the method of LAPACK's <c>dsposv</c>; Langou et al., "Exploiting the performance of 32 bit floating point
/// arithmetic in obtaining 64 bit accuracy", SC 2006): the n³/3 flops of the factorization run at float speed (about
/// twice the double rate in SIMD), and a few O(n²·c) residual steps in double restore double accuracy.
/// </summary>
/// <remarks>
/// <para><b>Method.</b> A_f = fl32(A) is factored A_f = L·Lᵀ in float (<see cref="Cholesky.TryFactor{T}"/>). From X = 0
/// and R = B each step solves L·Lᵀ·D = fl32(R) in float, adds X += D in double, and recomputes R = B − A·X with the double
/// A (one pass over A's lower triangle by rows for all c columns, <c>FewColumnSolves</c>). It stops when every column satisfies ‖r‖∞ ≤ ‖x‖∞·‖A‖∞·ε·√n (dsposv's test, ε the double unit
/// roundoff): a backward error at double-precision level.</para>
/// <para><b>When it fails.</b> Each step shrinks the error by about c·n·κ(A)·ε_float, so refinement converges only when
/// κ(A)·ε_float is well below one (ε_float ≈ 6·10⁻⁸). Otherwise the float factorization fails
/// (<see cref="MixedPrecisionOutcome.NotPositiveDefinite"/>) or the residual stops shrinking or the steps run out
/// (<see cref="MixedPrecisionOutcome.NotConverged"/>). The caller then factors A in double — the answer is never less
/// accurate than the double Cholesky's, only the time of the float attempt is lost.</para>
/// <para><b>Storage.</b> The factor needs n² floats from the caller (half the bytes of A). Only the lower triangle of A
/// (diagonal included) is read — by the norm, the rounding and the residual products, which use the symmetry — so the
/// strictly upper triangle may hold anything (<c>NeuralTangentKernel.BuildLower</c> leaves it as scratch). Working storage
/// (3·n·c doubles, n·c floats, 4·n·c elements for the residual's partial sums and 5·n doubles for the norm's) comes from <see cref="ArrayPool{T}"/>.</para>
/// <para><b>Threads.</b> The factorization, the solves, the residual products, the norm and the rounding split their work among
/// the threads of <see cref="BlasOptions"/>; the result is bitwise independent of the thread count.</para>
/// </remarks>
public static class MixedPrecisionCholesky
{
    /// <summary>The default for the most refinement steps: LAPACK's ITERMAX for dsposv.</summary>
    public const int DefaultMaxSteps = 30;

    /// <summary>
    /// Solves A·X = B by a float Cholesky factor of A and refinement in double; on any outcome but
    /// <see cref="MixedPrecisionOutcome.Converged"/> the caller should factor A in double instead.
    /// </summary>
    /// <param name="a">A, n × n symmetric positive definite, of which only the lower triangle (diagonal included) is read; finite there; not modified.</param>
    /// <param name="b">B, n × c, finite; not modified.</param>
    /// <param name="x">X, n × c, not sharing memory with A or B; overwritten by the solution (the last iterate when not converged).</param>
    /// <param name="factor">n × n floats, not sharing memory with X; its lower triangle receives the float factor L (the upper is not touched).</param>
    /// <param name="maxSteps">The most refinement steps, at least 1.</param>
    /// <param name="options">Threads for the factorization, the solves and the residual products; null for <see cref="BlasOptions.Default"/>.</param>
    /// <returns>The outcome, the steps taken and the final backward error.</returns>
    /// <exception cref="ArgumentException">A shape does not match, an output overlaps an input, or A's lower triangle or B holds a NaN or infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSteps"/> is below 1, or an option is out of range.</exception>
    public static MixedPrecisionResult TrySolve(ReadOnlyMatrixView<double> a, ReadOnlyMatrixView<double> b, MatrixView<double> x, MatrixView<float> factor,
        int maxSteps = DefaultMaxSteps, BlasOptions? options = null)
    {
        Guard.RequireSquare(a, nameof(a));
        int n = a.Rows, c = b.Columns;
        Guard.RequireShape(b, n, c, nameof(b), $"n × c with n = {n}, the order of a");
        Guard.RequireShape<double>(x, n, c, nameof(x), "n × c, the shape of b");
        Guard.RequireShape<float>(factor, n, n, nameof(factor), "n × n, the shape of a");
        Guard.RequireDisjoint<double>(a, nameof(a), x, nameof(x));
        Guard.RequireDisjoint<double>(b, nameof(b), x, nameof(x));
        RequireDisjointFactor(factor, a, nameof(a));
        RequireDisjointFactor(factor, b, nameof(b));
        RequireDisjointFactor(factor, x, nameof(x));
        Guard.RequireAtLeast(maxSteps, 1, nameof(maxSteps));
        // The largest working array is the residual's partial sums, 4·n·c doubles (the transposed B, X and R take 3·n·c).
        if (4L * n * c > Array.MaxLength)
        {
            throw new ArgumentException(
                $"b has {c} columns of {n}: the residual's partial sums (4·n·c doubles, {4L * n * c * sizeof(double):N0} bytes) exceed one array; solve fewer columns at a time.", nameof(b));
        }
        options ??= BlasOptions.Default;
        options.Validate();
        double normA = InfinityNorm(a, options);
        RequireFinite(b, nameof(b));
        if (n == 0 || c == 0)
        {
            return new MixedPrecisionResult(MixedPrecisionOutcome.Converged, 0, 0);
        }

        RoundLowerTriangle(a, factor, options);
        if (!Cholesky.TryFactor(factor, out _, options))
        {
            return new MixedPrecisionResult(MixedPrecisionOutcome.NotPositiveDefinite, 0, double.NaN);
        }
        // The c columns are kept transposed (c × n): every kernel below then reads A or L row by row, once, and takes
        // c contiguous dot products or axpys per row, where Gemm and the blocked triangular solve would pack the
        // whole n × n operand for a product only c columns wide.
        double[] transposed = ArrayPool<double>.Shared.Rent(3 * n * c);
        float[] correction = ArrayPool<float>.Shared.Rent(n * c);
        try
        {
            var bt = new MatrixView<double>(transposed.AsSpan(0, n * c), c, n);
            var xt = new MatrixView<double>(transposed.AsSpan(n * c, n * c), c, n);
            var rt = new MatrixView<double>(transposed.AsSpan(2 * n * c, n * c), c, n);
            var dt = new MatrixView<float>(correction.AsSpan(0, n * c), c, n);
            MatrixTranspose.Copy(b, bt);
            xt.Data[..(n * c)].Clear();
            Copy(bt, rt);
            double tolerance = Math.Sqrt(n) * double.ScaleB(1.0, -53);           // dsposv: √n·ε with ε the unit roundoff
            double previous = double.PositiveInfinity;
            for (int step = 0; ; step++)
            {
                for (int j = 0; j < c; j++)
                {
                    Round(rt.Row(j), dt.Row(j));
                }
                FewColumnSolves.Run(factor, dt, options);
                AddWidened(dt, xt);
                FewColumnSolves.Residual(a, bt, xt, rt, options);
                double error = BackwardError(rt, xt, normA);
                if (error <= tolerance || !(error < previous) || step == maxSteps)
                {
                    MatrixTranspose.Copy(xt, x);
                    var outcome = error <= tolerance ? MixedPrecisionOutcome.Converged : MixedPrecisionOutcome.NotConverged;
                    return new MixedPrecisionResult(outcome, step, error);
                }
                previous = error;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(transposed);
            ArrayPool<float>.Shared.Return(correction);
        }
    }

    /// <summary>Throws when the float factor shares memory with a double operand (the element types differ, so the bytes are compared).</summary>
    private static void RequireDisjointFactor(MatrixView<float> factor, ReadOnlyMatrixView<double> other, string otherName)
    {
        if (MemoryMarshal.AsBytes(factor.Data).Overlaps(MemoryMarshal.AsBytes(other.Data)))
        {
            throw new ArgumentException($"factor shares memory with {otherName}; the float factor needs its own n × n storage.", nameof(factor));
        }
    }

    /// <summary>Parts of the norm's pass over the triangle: fixed, so that the column sums add up in the same order for any thread count.</summary>
    private const int NormParts = 4;

    /// <summary>
    /// ‖A‖∞, the largest absolute row sum of the symmetric A, from its lower triangle in one pass on the threads of
    /// <paramref name="options"/>: row i's prefix gives its own part of the sum and, by symmetry, each column k &lt; i's part
    /// right of the diagonal, which each of <see cref="NormParts"/> parts of the triangle accumulates in its own vector of n,
    /// added up in part order. Throws naming the argument when the triangle holds a NaN or infinity (the first such row).
    /// </summary>
    private static unsafe double InfinityNorm(ReadOnlyMatrixView<double> a, BlasOptions options)
    {
        int n = a.Rows;
        // Row prefixes in [0, n), part p's column sums in [(p + 1)·n, (p + 2)·n).
        double[] sums = ArrayPool<double>.Shared.Rent((NormParts + 1) * n);
        try
        {
            Span<int> firstBadRow = stackalloc int[NormParts];
            int threads = options.ThreadsFor((long)n * n / 2, NormParts);
            fixed (double* pa = a.Data)
            fixed (double* ps = sums)
            fixed (int* pb = firstBadRow)
            {
                ParallelParts.Run(new NormPart((nint)pa, a.Stride, (nint)ps, (nint)pb, n), NormParts, threads);
            }
            foreach (int row in firstBadRow)
            {
                if (row < n)
                {
                    throw new ArgumentException($"a holds a NaN or infinity in row {row} of its lower triangle; expected a finite symmetric positive definite matrix.", nameof(a));
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++)
            {
                double total = sums[i];
                for (int p = 0; p < NormParts; p++)
                {
                    if (i < NormPartEnd(p, n))
                    {
                        total += sums[(p + 1) * n + i];
                    }
                }
                norm = Math.Max(norm, total);
            }
            return norm;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(sums);
        }
    }

    /// <summary>The first row after part p of the norm's triangle: parts of equal area, row n·√((p + 1)/P).</summary>
    private static int NormPartEnd(int part, int n) => part == NormParts - 1 ? n : (int)(n * Math.Sqrt((part + 1) / (double)NormParts));

    /// <summary>
    /// Part p takes rows [NormPartEnd(p − 1), NormPartEnd(p)): writes each row's absolute prefix sum (diagonal included),
    /// adds the absolute values left of the diagonal into its own column sums (zeroed first, over the columns before its
    /// end), and records its first row whose prefix is not finite (n when none), stopping there.
    /// </summary>
    private readonly unsafe struct NormPart(nint a, int lda, nint sums, nint firstBadRow, int n) : IParts
    {
        public void Run(int part)
        {
            int start = part == 0 ? 0 : NormPartEnd(part - 1, n), end = NormPartEnd(part, n);
            var rowSums = new Span<double>((double*)sums, n);
            var columns = new Span<double>((double*)sums + (long)(part + 1) * n, end);
            columns.Clear();
            ((int*)firstBadRow)[part] = n;
            for (int i = start; i < end; i++)
            {
                var row = new ReadOnlySpan<double>((double*)a + (long)i * lda, i + 1);
                var magnitudes = Vector<double>.Zero;
                int j = 0;
                for (; j <= i - Vector<double>.Count; j += Vector<double>.Count)
                {
                    var values = Vector.Abs(new Vector<double>(row[j..]));
                    magnitudes += values;
                    (new Vector<double>(columns[j..]) + values).CopyTo(columns[j..]);
                }
                double sum = Vector.Sum(magnitudes);
                for (; j < i; j++)
                {
                    sum += Math.Abs(row[j]);
                    columns[j] += Math.Abs(row[j]);
                }
                sum += Math.Abs(row[i]);
                if (!double.IsFinite(sum))
                {
                    ((int*)firstBadRow)[part] = i;
                    return;
                }
                rowSums[i] = sum;
            }
        }
    }

    private static void RequireFinite(ReadOnlyMatrixView<double> b, string name)
    {
        for (int i = 0; i < b.Rows; i++)
        {
            foreach (double value in b.Row(i))
            {
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"{name} holds a NaN or infinity in row {i}; expected finite right-hand sides.", name);
                }
            }
        }
    }

    /// <summary>Rounds the lower triangle of A (diagonal included) to float, row by row, the rows split among threads in parts of equal area.</summary>
    private static unsafe void RoundLowerTriangle(ReadOnlyMatrixView<double> a, MatrixView<float> factor, BlasOptions options)
    {
        int n = a.Rows;
        int threads = options.ThreadsFor((long)n * n / 2, n);
        fixed (double* pa = a.Data)
        fixed (float* pf = factor.Data)
        {
            ParallelParts.Run(new RoundParts((nint)pa, a.Stride, (nint)pf, factor.Stride, n, threads), threads);
        }
    }

    /// <summary>Part p rounds rows [n·√(p/P), n·√((p + 1)/P)): equal areas of the triangle.</summary>
    private readonly unsafe struct RoundParts(nint a, int lda, nint factor, int ldf, int n, int threads) : IParts
    {
        public void Run(int part)
        {
            int first = (int)(n * Math.Sqrt(part / (double)threads)), end = part == threads - 1 ? n : (int)(n * Math.Sqrt((part + 1) / (double)threads));
            for (int i = first; i < end; i++)
            {
                Round(new ReadOnlySpan<double>((double*)a + (long)i * lda, i + 1), new Span<float>((float*)factor + (long)i * ldf, i + 1));
            }
        }
    }

    /// <summary>destination[j] = (float)source[j], two double vectors narrowed into one float vector at a time.</summary>
    private static void Round(ReadOnlySpan<double> source, Span<float> destination)
    {
        int width = Vector<double>.Count, j = 0;
        for (; j <= source.Length - 2 * width; j += 2 * width)
        {
            Vector.Narrow(new Vector<double>(source[j..]), new Vector<double>(source[(j + width)..])).CopyTo(destination[j..]);
        }
        for (; j < source.Length; j++)
        {
            destination[j] = (float)source[j];
        }
    }

    private static void AddWidened(ReadOnlyMatrixView<float> correction, MatrixView<double> x)
    {
        for (int i = 0; i < x.Rows; i++)
        {
            ReadOnlySpan<float> from = correction.Row(i);
            Span<double> to = x.Row(i);
            for (int j = 0; j < to.Length; j++)
            {
                to[j] += from[j];
            }
        }
    }

    private static void Copy(ReadOnlyMatrixView<double> source, MatrixView<double> destination)
    {
        for (int i = 0; i < source.Rows; i++)
        {
            source.Row(i).CopyTo(destination.Row(i));
        }
    }

    /// <summary>max over columns j of ‖r_j‖∞ / (‖A‖∞·‖x_j‖∞) (columns are rows of rᵀ and xᵀ): 0 for a zero residual, +∞ for a nonzero residual at x_j = 0.</summary>
    private static double BackwardError(ReadOnlyMatrixView<double> rt, ReadOnlyMatrixView<double> xt, double normA)
    {
        double worst = 0;
        for (int j = 0; j < rt.Rows; j++)
        {
            double rMax = Level1.MaxMagnitude(rt.Row(j)), xMax = Level1.MaxMagnitude(xt.Row(j));
            double error = rMax == 0 ? 0 : rMax / (normA * xMax);
            worst = double.IsNaN(error) ? double.PositiveInfinity : Math.Max(worst, error);
        }
        return worst;
    }
}
