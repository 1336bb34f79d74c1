using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="Cholesky"/> on random SPD matrices with controlled condition numbers (V·diag(λ)·Vᵀ, λ from 1 to 1/κ).
/// The factor is checked by its elementwise backward error |A − L̂·L̂ᵀ| ≤ (n + 2)·ε·|L̂|·|L̂ᵀ| (Higham, Thm. 10.3), which
/// holds whatever κ is; solves are checked by their forward error, which grows with κ: ‖x̂ − x‖/‖x‖ ≤ 4·n·κ·ε. The
/// strictly upper triangle and the stride padding hold NaN, so reading them fails the checks.
/// </summary>
public sealed class CholeskyTests
{
    /// <summary>Largest log₁₀ κ tested in float: Cholesky in float is guaranteed to run only while n·ε·κ stays well below one.</summary>
    private const int FloatMaxLogCondition = 3;

    [KernelProperty(MaxTest = 40)]
    public void L_times_L_transpose_reproduces_A_elementwise(SpdCase c)
    {
        CheckFactor<float>(c.Capped(FloatMaxLogCondition));
        CheckFactor<double>(c);
    }

    [KernelProperty(MaxTest = 40)]
    public void Solves_are_accurate_to_the_condition_number(SpdCase c, bool manyRightHandSides)
    {
        CheckSolve<float>(c.Capped(FloatMaxLogCondition), manyRightHandSides);
        CheckSolve<double>(c, manyRightHandSides);
    }

    [Fact]
    public void A_large_factor_is_right_across_recursion_levels_and_threads()
    {
        CheckFactor<double>(new SpdCase(300, 6, 1, 7));
        CheckFactor<float>(new SpdCase(260, 2, 0, 8));
    }

    [Fact]
    public void An_ill_conditioned_large_factor_keeps_the_elementwise_backward_error()
    {
        // κ = 10¹² in double (10³ in float) at orders whose panel solves apply inverted 128-blocks of L at two levels:
        // the inverse's extra κ(L_kk) factor must not show in |A − L̂·L̂ᵀ|.
        CheckFactor<double>(new SpdCase(330, 12, 0, 21));
        CheckFactor<float>(new SpdCase(330, FloatMaxLogCondition, 0, 22));
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        double[] a = new SpdCase(280, 4, 0, 9).Matrix();
        double[] Run(BlasOptions options)
        {
            double[] copy = a.ToArray();
            Cholesky.Factor(new MatrixView<double>(copy, 280, 280), options);
            return copy;
        }
        double[] one = Run(BlasOptions.SingleThreaded);
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 }));
    }

    [Fact]
    public void An_indefinite_matrix_throws_naming_the_failing_pivot()
    {
        double[] diagonal = [4, 1, -3, 2];
        double[] a = new double[16];
        for (int i = 0; i < 4; i++)
        {
            a[i * 4 + i] = diagonal[i];
        }
        var ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => Cholesky.Factor(new MatrixView<double>(a, 4, 4)));
        Assert.Equal(2, ex.PivotIndex);
        Assert.Equal(-3, ex.PivotValue);
        Assert.Equal("a", ex.ParamName);
        Assert.Contains("pivot 2 is -3", ex.Message);
        Assert.IsAssignableFrom<ArgumentException>(ex);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(70)]
    [InlineData(149)]
    public void The_failing_pivot_is_found_inside_the_recursion(int failing)
    {
        // A = L·Lᵀ for a known L, then A[f, f] lowered by 1 + L[f, f]²: the pivot at f becomes −1 and every earlier one is intact.
        const int n = 150;
        double[] a = new SpdCase(n, 2, 0, failing).Matrix();
        double[] factor = a.ToArray();
        Cholesky.Factor(new MatrixView<double>(factor, n, n));
        double lff = factor[failing * n + failing];
        a[failing * n + failing] -= 1 + lff * lff;
        foreach (var type in new[] { "double", "float" })
        {
            int pivot;
            bool ok;
            if (type == "double")
            {
                double[] copy = a.ToArray();
                ok = Cholesky.TryFactor(new MatrixView<double>(copy, n, n), out pivot);
                var ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => Cholesky.Factor(new MatrixView<double>(a.ToArray(), n, n)));
                Assert.Equal(failing, ex.PivotIndex);
                Assert.InRange(ex.PivotValue, -1.0 - 1e-9, -1.0 + 1e-9);
            }
            else
            {
                float[] copy = a.Select(v => (float)v).ToArray();
                ok = Cholesky.TryFactor(new MatrixView<float>(copy, n, n), out pivot);
            }
            Assert.False(ok);
            Assert.Equal(failing, pivot);
        }
    }

    [Fact]
    public void Non_finite_entries_in_the_lower_triangle_fail_at_their_row()
    {
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            double[] a = new SpdCase(90, 1, 0, 3).Matrix();
            a[80 * 90 + 5] = bad;
            Assert.False(Cholesky.TryFactor(new MatrixView<double>(a, 90, 90), out int pivot));
            Assert.Equal(80, pivot);
        }
        double[] b = new SpdCase(20, 1, 0, 4).Matrix();
        b[7 * 20 + 7] = double.PositiveInfinity;
        var ex = Assert.Throws<MatrixNotPositiveDefiniteException>(() => Cholesky.Factor(new MatrixView<double>(b, 20, 20)));
        Assert.Equal(7, ex.PivotIndex);
    }

    [Fact]
    public void TryFactor_succeeds_on_SPD_input_and_reports_minus_one()
    {
        double[] a = new SpdCase(40, 3, 0, 5).Matrix();
        Assert.True(Cholesky.TryFactor(new MatrixView<double>(a, 40, 40), out int pivot));
        Assert.Equal(-1, pivot);
    }

    [Fact]
    public void A_non_square_matrix_or_wrong_right_hand_side_throws_before_writing()
    {
        double[] a = [1, 2, 3, 4, 5, 6];
        var ex = Assert.Throws<ArgumentException>(() => Cholesky.Factor(new MatrixView<double>(a, 2, 3)));
        Assert.Equal("a", ex.ParamName);
        Assert.Contains("2×3", ex.Message);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], a);
        Assert.Throws<ArgumentException>(() => Cholesky.Solve(new ReadOnlyMatrixView<double>(a, 2, 2), new double[3]));
        Assert.Throws<ArgumentException>(() => Cholesky.Solve(new ReadOnlyMatrixView<double>(a, 2, 2), new MatrixView<double>(new double[6], 3, 2)));
    }

    [Fact]
    public void Empty_and_one_by_one_matrices_work()
    {
        Cholesky.Factor(new MatrixView<double>([], 0, 0));
        double[] one = [9];
        Cholesky.Factor(new MatrixView<double>(one, 1, 1));
        Assert.Equal(3, one[0]);
        double[] x = [6];
        Cholesky.Solve(new ReadOnlyMatrixView<double>(one, 1, 1), x);
        Assert.Equal(6.0 / 9, x[0], 15);
    }

    private static (T[] Stored, int Stride) StoredLowerWithNaNAbove<T>(SpdCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Order, stride = n + c.ExtraStride;
        double[] a = c.Matrix();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                a[i * n + j] = double.NaN;
            }
        }
        return (TestMatrices.Stored(a, n, n, stride, T.NaN), stride);
    }

    private static void CheckFactor<T>(SpdCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Order;
        var (a, stride) = StoredLowerWithNaNAbove<T>(c);
        T[] l = a.ToArray();
        Cholesky.Factor(new MatrixView<T>(l, n, n, stride));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < stride && i * stride + j < l.Length; j++)
            {
                if (j > i)
                {
                    Tolerance.AssertIdentical(a[i * stride + j], l[i * stride + j], $"{typeof(T).Name} entry ({i},{j}) above the diagonal or in the padding was written, {c}");
                    continue;
                }
                // (L·Lᵀ)[i, j] = Σ_{p ≤ j} L[i, p]·L[j, p]: only the lower triangle is read.
                var (value, magnitude) = Reference.ProductElement<T>(l, stride, false, l, stride, true, j + 1, i, j);
                Tolerance.AssertClose(a[i * stride + j], value, magnitude, n + 2, $"{typeof(T).Name} A[{i},{j}] vs (L·Lᵀ)[{i},{j}], {c}");
            }
        }
    }

    private static void CheckSolve<T>(SpdCase c, bool manyRightHandSides) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Order, stride = n + c.ExtraStride;
        const int count = 3;
        double[] a = c.Matrix();
        double[] x = SampleData.Matrix<double>(n, count, c.Seed + 1);
        T[] l = TestMatrices.Stored(a, n, n, stride, T.NaN);
        Cholesky.Factor(new MatrixView<T>(l, n, n, stride));
        // b = A·x in double, then rounded: the rounding is a relative perturbation of b that κ amplifies like any other.
        var b = new double[n * count];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < count; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    b[i * count + k] += a[i * n + j] * x[j * count + k];
                }
            }
        }
        var factor = new ReadOnlyMatrixView<T>(l, n, n, stride);
        T[] solution = TestMatrices.Stored(b, n, count, count, T.Zero);
        if (manyRightHandSides)
        {
            Cholesky.Solve(factor, new MatrixView<T>(solution, n, count));
        }
        else
        {
            for (int k = 0; k < count; k++)
            {
                T[] column = Enumerable.Range(0, n).Select(i => solution[i * count + k]).ToArray();
                Cholesky.Solve(factor, column);
                for (int i = 0; i < n; i++)
                {
                    solution[i * count + k] = column[i];
                }
            }
        }
        double bound = 4 * Math.Max(n, 1) * c.Condition * Tolerance.Epsilon<T>();
        for (int k = 0; k < count; k++)
        {
            double error = 0, norm = 0;
            for (int i = 0; i < n; i++)
            {
                error = Math.Max(error, Math.Abs(double.CreateChecked(solution[i * count + k]) - x[i * count + k]));
                norm = Math.Max(norm, Math.Abs(x[i * count + k]));
            }
            Assert.True(error <= bound * norm, $"{typeof(T).Name} solve, column {k}: ‖x̂ − x‖∞ = {error:E3} exceeds {bound:E3}·‖x‖∞ = {bound * norm:E3}, {c}");
        }
    }
}
