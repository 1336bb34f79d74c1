using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="TriangularSolve"/> is checked by its residual, componentwise: substitution in any summation order gives
/// an x̂ with |b − op(T)·x̂| ≤ (n + 2)·ε·(|b| + |op(T)|·|x̂|) (Higham, Thm. 8.5), whatever the conditioning of T. The
/// residual is evaluated exactly (compensated, in double). With the triangle on the right, the diagonal blocks of order
/// up to 128 are applied through their inverse, whose residual bound carries an extra factor of up to κ(T) (see
/// <see cref="TriangularInverse"/>); the generated triangles are well conditioned, so the same bound is asserted for
/// both sides, and the Cholesky tests check the effect on ill-conditioned factorizations. The unused triangle, a unit diagonal and all stride padding
/// hold NaN, so reading any of them fails the check.
/// </summary>
public sealed class TriangularSolveTests
{
    [KernelProperty(MaxTest = 60)]
    public void Many_right_hand_sides_leave_a_componentwise_small_residual(TriangularCase c)
    {
        CheckMany<float>(c, BlasOptions.Default);
        CheckMany<double>(c, BlasOptions.Default);
    }

    [KernelProperty(MaxTest = 60)]
    public void One_right_hand_side_leaves_a_componentwise_small_residual(TriangularCase c)
    {
        CheckOne<float>(c);
        CheckOne<double>(c);
    }

    [Fact]
    public void Right_side_solves_span_many_rows_and_recursion_levels()
    {
        // Order 200 recurses once above the 128 inverse base, 130 splits into two bases; 600 rows make the Gemm threaded.
        foreach (Triangle triangle in new[] { Triangle.Lower, Triangle.Upper })
        {
            foreach (Transpose transpose in new[] { Transpose.None, Transpose.Transposed })
            {
                var c = new TriangularCase(200, 600, Side.Right, triangle, transpose, Diagonal.NonUnit, 1, (int)triangle * 2 + (int)transpose);
                CheckMany<double>(c, BlasOptions.Default);
                CheckMany<float>(c with { Order = 130 }, BlasOptions.Default);
            }
        }
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        var c = new TriangularCase(300, 257, Side.Left, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, 0, 11);
        T[] Run<T>(BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T[] t = c.StoredTriangle<T>();
            T[] b = SampleData.Matrix<T>(c.Order, c.Count, 12);
            TriangularSolve.Solve(c.Side, c.Triangle, c.Transpose, c.Diagonal, new ReadOnlyMatrixView<T>(t, c.Order, c.Order), new MatrixView<T>(b, c.Order, c.Count), options);
            return b;
        }
        double[] one = Run<double>(BlasOptions.SingleThreaded);
        Assert.Equal(one, Run<double>(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
        Assert.Equal(one, Run<double>(new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 }));
    }

    [Fact]
    public void Right_side_inverse_bases_give_identical_bits_for_every_thread_count()
    {
        // Order 150 splits into two inverse bases, each applied to all 700 rows by one Gemm shared among the threads.
        var c = new TriangularCase(150, 700, Side.Right, Triangle.Lower, Transpose.Transposed, Diagonal.NonUnit, 0, 13);
        T[] Run<T>(BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
        {
            T[] t = c.StoredTriangle<T>();
            T[] b = SampleData.Matrix<T>(c.Count, c.Order, 14);
            TriangularSolve.Solve(c.Side, c.Triangle, c.Transpose, c.Diagonal, new ReadOnlyMatrixView<T>(t, c.Order, c.Order), new MatrixView<T>(b, c.Count, c.Order), options);
            return b;
        }
        double[] one = Run<double>(BlasOptions.SingleThreaded);
        Assert.Equal(one, Run<double>(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
        Assert.Equal(one, Run<double>(new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 }));
        float[] oneFloat = Run<float>(BlasOptions.SingleThreaded);
        Assert.Equal(oneFloat, Run<float>(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
    }

    [Fact]
    public void Bad_shapes_and_aliasing_throw_before_anything_is_written()
    {
        double[] t = new double[16], b = SampleData.Matrix<double>(4, 3, 1), before = b.ToArray();
        var ex = Assert.Throws<ArgumentException>(() => TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit,
            new ReadOnlyMatrixView<double>(t, 4, 3), new MatrixView<double>(b, 4, 3)));
        Assert.Equal("t", ex.ParamName);
        Assert.Contains("4×3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit, new ReadOnlyMatrixView<double>(t, 4, 4), new MatrixView<double>(b, 3, 4)));
        Assert.Equal("b", ex.ParamName);
        Assert.Contains("4 rows", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TriangularSolve.Solve(Side.Right, Triangle.Lower, Transpose.None, Diagonal.NonUnit, new ReadOnlyMatrixView<double>(t, 4, 4), new MatrixView<double>(b, 4, 3)));
        Assert.Contains("4 columns", ex.Message);
        // B inside T's storage.
        ex = Assert.Throws<ArgumentException>(() => TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit, new ReadOnlyMatrixView<double>(t, 4, 4), new MatrixView<double>(t, 4, 2, 4)));
        Assert.Equal("b", ex.ParamName);
        Assert.Equal(before, b);

        double[] x = new double[3];
        ex = Assert.Throws<ArgumentException>(() => TriangularSolve.Solve(Triangle.Upper, Transpose.None, Diagonal.Unit, new ReadOnlyMatrixView<double>(t, 4, 4), x));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("4×4 T", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => TriangularSolve.Solve(Triangle.Upper, Transpose.None, Diagonal.Unit, new ReadOnlyMatrixView<double>(t, 4, 4), t.AsSpan(12, 4)));
        Assert.Equal("x", ex.ParamName);
    }

    [Fact]
    public void Blocks_of_one_parent_matrix_may_be_solved_against_each_other()
    {
        // T in the top-left corner, B beside it in the same rows: they interleave in memory without sharing an element.
        const int n = 70, count = 30, stride = n + count;
        var c = new TriangularCase(n, count, Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit, count, 5);
        double[] parent = c.StoredTriangle<double>();
        Array.Resize(ref parent, n * stride);
        double[] b0 = SampleData.Matrix<double>(n, count, 6);
        for (int i = 0; i < n; i++)
        {
            b0.AsSpan(i * count, count).CopyTo(parent.AsSpan(i * stride + n));
        }
        var view = new MatrixView<double>(parent, n, stride);
        TriangularSolve.Solve(Side.Left, Triangle.Lower, Transpose.None, Diagonal.NonUnit, view.Slice(0, 0, n, n), view.Slice(0, n, n, count));
        double[] t = new double[n * n], x = new double[n * count];
        for (int i = 0; i < n; i++)
        {
            parent.AsSpan(i * stride, n).CopyTo(t.AsSpan(i * n));
            parent.AsSpan(i * stride + n, count).CopyTo(x.AsSpan(i * count));
        }
        AssertResidual<double>(c with { ExtraStride = 0 }, t, n, b0, count, x, count);
    }

    private static void CheckMany<T>(TriangularCase c, BlasOptions options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] t = c.StoredTriangle<T>();
        int ts = c.Order + c.ExtraStride;
        var (rows, cols) = c.ShapeOfB;
        int bs = cols + c.ExtraStride;
        T[] b0 = TestMatrices.Stored(SampleData.Matrix<double>(rows, cols, c.Seed + 1), rows, cols, bs, T.NaN);
        T[] b = b0.ToArray();
        TriangularSolve.Solve(c.Side, c.Triangle, c.Transpose, c.Diagonal, new ReadOnlyMatrixView<T>(t, c.Order, c.Order, ts),
            new MatrixView<T>(b, rows, cols, bs), options);
        for (int i = 0; i < b.Length; i++)
        {
            if (i % bs >= cols)
            {
                Tolerance.AssertIdentical(b0[i], b[i], $"padding of B at {i} written, {c}");
            }
        }
        AssertResidual(c, t, ts, b0, bs, b, bs);
    }

    private static void CheckOne<T>(TriangularCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] t = c.StoredTriangle<T>();
        int ts = c.Order + c.ExtraStride;
        T[] b0 = SampleData.Vector<T>(c.Order, ValueKind.Uniform, c.Seed + 2).ToArray();
        T[] x = b0.ToArray();
        TriangularSolve.Solve(c.Triangle, c.Transpose, c.Diagonal, new ReadOnlyMatrixView<T>(t, c.Order, c.Order, ts), x);
        AssertResidual(c with { Side = Side.Left, Count = 1 }, t, ts, b0, 1, x, 1);
    }

    /// <summary>Checks op(T)·X = B (left) or X·op(T) = B (right) element by element with the componentwise bound.</summary>
    private static void AssertResidual<T>(TriangularCase c, T[] t, int ts, T[] b0, int bStride, T[] x, int xStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Order;
        var op = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                op[i * n + j] = OpEntry(c, t, ts, i, j);
            }
        }
        var (rows, cols) = c.ShapeOfB;
        for (int r = 0; r < rows; r++)
        {
            for (int col = 0; col < cols; col++)
            {
                // Left: Σ_j op[r, j]·X[j, col]; right: Σ_j X[r, j]·op[j, col].
                var u = new double[n];
                var v = new double[n];
                for (int j = 0; j < n; j++)
                {
                    u[j] = c.Side == Side.Left ? op[r * n + j] : double.CreateChecked(x[r * xStride + j]);
                    v[j] = c.Side == Side.Left ? double.CreateChecked(x[j * xStride + col]) : op[j * n + col];
                }
                var (value, magnitude) = Reference.Dot<double>(u, v);
                T b = b0[r * bStride + col];
                Tolerance.AssertClose(b, value, magnitude + Math.Abs(double.CreateChecked(b)), n + 2, $"{typeof(T).Name} (op(T)·X)[{r},{col}] vs B, {c}");
            }
        }
    }

    private static double OpEntry<T>(TriangularCase c, T[] t, int ts, int i, int j) where T : IFloatingPointIeee754<T>
    {
        var (si, sj) = c.Transpose == Transpose.None ? (i, j) : (j, i);
        if (si == sj)
        {
            return c.Diagonal == Diagonal.Unit ? 1 : double.CreateChecked(t[si * ts + sj]);
        }
        bool stored = c.Triangle == Triangle.Lower ? sj < si : sj > si;
        return stored ? double.CreateChecked(t[si * ts + sj]) : 0;
    }
}
