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
/// only the blocks on and below the diagonal are multiplied and transformed, and the upper triangle is mirrored from
/// them, so the matrix is exactly symmetric and its diagonal is exactly ‖x_i‖²/2. The norms are the square roots of the
/// Gram diagonal, so u = 1 on the diagonal up to one rounding.</para>
/// <para>Memory: the caller owns the result (<see cref="RequiredBytes{T}"/> gives its size); nothing else of size n² is
/// allocated. Deterministic: the same bits for any thread count, since Gemm is.</para>
/// </remarks>
public static class NeuralTangentKernel
{
    /// <summary>Rows and columns of X multiplied per Gemm for K(X, X): large enough for Gemm's blocking, small enough that the skipped upper blocks save work.</summary>
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
    /// <param name="options">Threads for the Gemm products.</param>
    /// <exception cref="ArgumentException">K is not n × n, overlaps X, or X holds a NaN or infinity.</exception>
    public static void Build<T>(ReadOnlyMatrixView<T> x, MatrixView<T> kernel, BlasOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        int n = x.Rows;
        Guard.RequireShape<T>(kernel, n, n, nameof(kernel), "n × n for the n points of x");
        Guard.RequireDisjoint(x, nameof(x), kernel, nameof(kernel));
        RequireFinite(x, nameof(x));
        options?.Validate();

        for (int bi = 0; bi < n; bi += Block)
        {
            int rows = Math.Min(Block, n - bi);
            // One Gemm for the whole block row left of and including the diagonal block.
            Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, x.Slice(bi, 0, rows, x.Columns), x.Slice(0, 0, bi + rows, x.Columns),
                T.Zero, kernel.Slice(bi, 0, rows, bi + rows), options);
        }
        var inverseNorms = new T[n];
        for (int i = 0; i < n; i++)
        {
            T norm = T.Sqrt(kernel[i, i]);
            inverseNorms[i] = norm > T.Zero ? T.One / norm : T.Zero;
        }
        for (int i = 0; i < n; i++)
        {
            T diagonal = kernel[i, i];
            Span<T> row = kernel.Row(i)[..(i + 1)];
            BinaryDriver.Run<T, ArcCosineTransform<T>>(row, inverseNorms.AsSpan(0, i + 1), row, new ArcCosineTransform<T>(inverseNorms[i]));
            row[i] = diagonal / T.CreateChecked(2);
        }
        for (int bi = 0; bi < n; bi += Block)
        {
            int rows = Math.Min(Block, n - bi);
            for (int bj = 0; bj < bi; bj += Block)
            {
                int columns = Math.Min(Block, bi - bj);
                MatrixTranspose.Copy<T>(kernel.Slice(bi, bj, rows, columns), kernel.Slice(bj, bi, columns, rows));
            }
            for (int i = bi; i < bi + rows; i++)
            {
                for (int j = bi; j < i; j++)
                {
                    kernel[j, i] = kernel[i, j];
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

    /// <summary>Throws naming the first non-finite entry of a matrix.</summary>
    internal static void RequireFinite<T>(ReadOnlyMatrixView<T> x, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Rows; i++)
        {
            ReadOnlySpan<T> row = x.Row(i);
            for (int j = 0; j < row.Length; j++)
            {
                if (!T.IsFinite(row[j]))
                {
                    throw new ArgumentException($"{name}[{i}, {j}] is {row[j]}; the points must be finite.", name);
                }
            }
        }
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
