using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="HouseholderQr{T}"/> on random tall matrices U·diag(σ)·Vᵀ with condition numbers 10⁰ … 10¹⁰.
/// </summary>
/// <remarks>
/// Householder QR is backward stable, so the bounds on orthonormality (|QᵀQ − I| ≤ 2(m + n)·ε per entry) and on the
/// reconstruction (|(QR − A)ᵢⱼ| ≤ 2(m + n)·ε·‖A_j‖) do not grow with κ (Higham, Thm. 19.4 gives O(m·n·ε); observed
/// errors are O(√m·ε)). What does grow with κ is the forward error of least squares: 2(m + n)·κ·ε for a consistent
/// system, and with a κ² term for an inconsistent one (Higham, Thm. 20.1). All products are evaluated exactly
/// (compensated, in double).
/// </remarks>
public sealed class HouseholderQrTests
{
    /// <summary>Largest log₁₀ κ tested in float, where κ·ε must stay well below one for the forward-error test to say anything.</summary>
    private const int FloatMaxLogCondition = 4;

    [KernelProperty(MaxTest = 30)]
    public void Q_is_orthonormal_and_QR_reproduces_A(TallCase c)
    {
        CheckFactors<float>(c.Capped(FloatMaxLogCondition));
        CheckFactors<double>(c);
    }

    [KernelProperty(MaxTest = 40)]
    public void Consistent_least_squares_is_accurate_to_the_condition_number(TallCase c, bool manyRightHandSides)
    {
        CheckLeastSquares<float>(c.Capped(FloatMaxLogCondition), manyRightHandSides);
        CheckLeastSquares<double>(c, manyRightHandSides);
    }

    [KernelProperty(MaxTest = 40)]
    public void Implicit_Q_agrees_with_the_explicit_thin_Q_and_round_trips(TallCase c)
    {
        CheckImplicitQ<float>(c);
        CheckImplicitQ<double>(c);
    }

    [Fact]
    public void Several_panels_of_a_tall_skinny_matrix_are_right()
    {
        CheckFactors<double>(new TallCase(700, 130, 8, 3));
        CheckFactors<float>(new TallCase(500, 97, 3, 4));
        CheckLeastSquares<double>(new TallCase(700, 130, 8, 5), true);
    }

    [Fact]
    public void Inconsistent_least_squares_finds_the_residual_orthogonal_to_the_range()
    {
        // b = A·x + r with r ⊥ range(A): the solution is still x, and ‖(Qᵀb)[n..]‖ = ‖r‖.
        foreach (var c in new[] { new TallCase(120, 30, 4, 1), new TallCase(300, 70, 7, 2) })
        {
            int m = c.Rows, n = c.Columns;
            double[] a = c.Matrix();
            double[] u = TestMatrices.OrthonormalColumns(m, n, c.Seed);
            double[] x = SampleData.Vector<double>(n, ValueKind.Uniform, 3).ToArray();
            double[] z = SampleData.Vector<double>(m, ValueKind.Uniform, 4).ToArray();
            double[] r = ProjectOut(u, m, n, z);
            double rNorm = Math.Sqrt(r.Sum(v => v * v));
            double scale = 1e-3 / rNorm;
            double[] b = new double[m];
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    b[i] += a[i * n + j] * x[j];
                }
                b[i] += scale * r[i];
            }
            var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, m, n));
            double[] solution = new double[n];
            qr.SolveLeastSquares(b, solution);
            double residual = Math.Sqrt(b.Skip(n).Sum(v => v * v));
            Assert.Equal(1e-3, residual, 1e-3 * 1e-8);
            double xNorm = Math.Sqrt(x.Sum(v => v * v));
            // ‖A‖ = 1: the bound is ε·(κ + κ²·‖r‖/‖x‖) times the dimension factor.
            double bound = 2 * (m + n) * Tolerance.Epsilon<double>() * (c.Condition + c.Condition * c.Condition * 1e-3 / xNorm);
            double error = Math.Sqrt(solution.Zip(x, (s, t) => (s - t) * (s - t)).Sum());
            Assert.True(error <= bound * xNorm, $"‖x̂ − x‖ = {error:E3} exceeds {bound * xNorm:E3}, {c}");
        }
    }

    [Fact]
    public void A_zero_column_gives_a_zero_on_R_and_no_NaN_and_least_squares_throws_naming_it()
    {
        const int m = 80, n = 40;
        foreach (int zero in new[] { 0, 5, 33, n - 1 })
        {
            double[] a = new TallCase(m, n, 2, zero).Matrix();
            for (int i = 0; i < m; i++)
            {
                a[i * n + zero] = 0;
            }
            var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, m, n));
            double[] r = new double[n * n], q = new double[m * n];
            qr.CopyR(new MatrixView<double>(r, n, n));
            qr.FormThinQ(new MatrixView<double>(q, m, n));
            Assert.All(r, v => Assert.True(double.IsFinite(v)));
            Assert.All(q, v => Assert.True(double.IsFinite(v)));
            Assert.Equal(0.0, r[zero * n + zero]);
            AssertOrthonormal<double>(q, m, n, $"zero column {zero}");
            AssertReproduces<double>(a, q, r, m, n, $"zero column {zero}");

            double[] b = SampleData.Vector<double>(m, ValueKind.Uniform, 1).ToArray(), before = b.ToArray();
            var ex = Assert.Throws<InvalidOperationException>(() => qr.SolveLeastSquares(b, new double[n]));
            Assert.Contains($"|R[{zero}, {zero}]|", ex.Message);
            Assert.Contains("rank-deficient", ex.Message);
            Assert.Equal(before, b);
        }
    }

    [Fact]
    public void A_repeated_column_is_reported_as_rank_deficient_at_the_repeat()
    {
        const int m = 60, n = 12;
        float[] a = new TallCase(m, n, 1, 9).Matrix().Select(v => (float)v).ToArray();
        for (int i = 0; i < m; i++)
        {
            a[i * n + 7] = a[i * n + 3];
        }
        var qr = HouseholderQr<float>.Factor(new ReadOnlyMatrixView<float>(a, m, n));
        var ex = Assert.Throws<InvalidOperationException>(() => qr.SolveLeastSquares(new MatrixView<float>(new float[m * 2], m, 2), new MatrixView<float>(new float[n * 2], n, 2)));
        Assert.Contains("|R[7, 7]|", ex.Message);
    }

    [Fact]
    public void The_zero_matrix_factors_into_Q_equal_to_the_identity_and_R_zero()
    {
        const int m = 50, n = 35;
        var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(new double[m * n], m, n));
        double[] r = new double[n * n], q = new double[m * n];
        qr.CopyR(new MatrixView<double>(r, n, n));
        qr.FormThinQ(new MatrixView<double>(q, m, n));
        Assert.All(r, v => Assert.Equal(0.0, v));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(i == j ? 1.0 : 0.0, q[i * n + j]);
            }
        }
    }

    [Fact]
    public void Refactor_reuses_storage_matches_a_fresh_factorization_and_does_not_allocate()
    {
        const int m = 200, n = 70;
        double[] a = new TallCase(m, n, 3, 1).Matrix(), b = new TallCase(m, n, 5, 2).Matrix();
        var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, m, n), BlasOptions.SingleThreaded);
        qr.Refactor(new ReadOnlyMatrixView<double>(b, m, n), BlasOptions.SingleThreaded);
        var fresh = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(b, m, n), BlasOptions.SingleThreaded);
        double[] r1 = new double[n * n], r2 = new double[n * n];
        qr.CopyR(new MatrixView<double>(r1, n, n));
        fresh.CopyR(new MatrixView<double>(r2, n, n));
        Assert.Equal(r2, r1);
        double[] rhs = SampleData.Vector<double>(m, ValueKind.Uniform, 3).ToArray(), x = new double[n];
        long allocated = Allocation.Measure(() =>
        {
            qr.Refactor(new ReadOnlyMatrixView<double>(b, m, n), BlasOptions.SingleThreaded);
            qr.ApplyQTranspose(rhs);
            qr.ApplyQ(rhs);
            qr.SolveLeastSquares(rhs, x);
        });
        Assert.Equal(0, allocated);
        Assert.Equal(b, new TallCase(m, n, 5, 2).Matrix());
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        const int m = 600, n = 100;
        double[] a = new TallCase(m, n, 4, 6).Matrix();
        double[] Run(BlasOptions options)
        {
            var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, m, n), options);
            double[] q = new double[m * n];
            qr.FormThinQ(new MatrixView<double>(q, m, n));
            return q;
        }
        double[] one = Run(BlasOptions.SingleThreaded);
        Assert.Equal(one, Run(new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
    }

    [Fact]
    public void Bad_input_throws_with_the_shape_or_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(new double[6], 2, 3)));
        Assert.Contains("2×3", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HouseholderQr<double>(2, 3));
        double[] a = new double[12];
        a[7] = double.NaN;
        ex = Assert.Throws<ArgumentException>(() => HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, 4, 3)));
        Assert.Contains("a[2, 1]", ex.Message);
        a[7] = 0;
        var qr = HouseholderQr<double>.Factor(new ReadOnlyMatrixView<double>(a, 4, 3));
        Assert.Throws<ArgumentException>(() => qr.Refactor(new ReadOnlyMatrixView<double>(a, 3, 4)));
        Assert.Throws<ArgumentException>(() => qr.ApplyQ(new double[3]));
        Assert.Throws<ArgumentException>(() => qr.ApplyQTranspose(new double[5]));
        Assert.Throws<ArgumentException>(() => qr.ApplyQ(new MatrixView<double>(new double[6], 3, 2)));
        Assert.Throws<ArgumentException>(() => qr.CopyR(new MatrixView<double>(new double[12], 4, 3)));
        Assert.Throws<ArgumentException>(() => qr.FormThinQ(new MatrixView<double>(new double[9], 3, 3)));
        double[] shared = new double[8];
        ex = Assert.Throws<ArgumentException>(() => qr.SolveLeastSquares(shared.AsSpan(0, 4), shared.AsSpan(2, 3)));
        Assert.Equal("x", ex.ParamName);
    }

    private static double[] ProjectOut(double[] u, int m, int n, double[] z)
    {
        double[] r = z.ToArray();
        for (int j = 0; j < n; j++)
        {
            double dot = 0;
            for (int i = 0; i < m; i++)
            {
                dot += u[i * n + j] * z[i];
            }
            for (int i = 0; i < m; i++)
            {
                r[i] -= dot * u[i * n + j];
            }
        }
        return r;
    }

    private static void CheckFactors<T>(TallCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = c.Rows, n = c.Columns;
        T[] a = TestMatrices.Stored(c.Matrix(), m, n, n, T.Zero);
        T[] original = a.ToArray();
        var qr = HouseholderQr<T>.Factor(new ReadOnlyMatrixView<T>(a, m, n));
        Assert.Equal(original, a);
        T[] r = new T[n * n], q = new T[m * n];
        qr.CopyR(new MatrixView<T>(r, n, n));
        qr.FormThinQ(new MatrixView<T>(q, m, n));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(T.Zero, r[i * n + j]);
            }
        }
        AssertOrthonormal(q, m, n, c.ToString());
        AssertReproduces(a, q, r, m, n, c.ToString());
    }

    private static void AssertOrthonormal<T>(T[] q, int m, int n, string context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double bound = 2 * (m + n) * Tolerance.Epsilon<T>();
        T[] qt = Transpose(q, m, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                var (dot, _) = Reference.Dot<T>(qt.AsSpan(i * m, m), qt.AsSpan(j * m, m));
                double error = Math.Abs(dot - (i == j ? 1 : 0));
                Assert.True(error <= bound, $"{typeof(T).Name} (QᵀQ − I)[{i},{j}] = {error:E3} exceeds {bound:E3}, {context}");
            }
        }
    }

    private static void AssertReproduces<T>(T[] a, T[] q, T[] r, int m, int n, string context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] at = Transpose(a, m, n);
        for (int j = 0; j < n; j++)
        {
            double columnNorm = Reference.Nrm2<T>(at.AsSpan(j * m, m));
            double bound = 2 * (m + n) * Tolerance.Epsilon<T>() * columnNorm + Tolerance.Tiny<T>();
            for (int i = 0; i < m; i++)
            {
                // (Q·R)[i, j] = Σ_{k ≤ j} Q[i, k]·R[k, j].
                var (value, _) = Reference.ProductElement<T>(q, n, false, r, n, false, j + 1, i, j);
                double error = Math.Abs(value - double.CreateChecked(a[i * n + j]));
                Assert.True(error <= bound, $"{typeof(T).Name} |(QR − A)[{i},{j}]| = {error:E3} exceeds {bound:E3} (‖A_{j}‖ = {columnNorm:E3}), {context}");
            }
        }
    }

    private static void CheckLeastSquares<T>(TallCase c, bool manyRightHandSides) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = c.Rows, n = c.Columns;
        const int count = 2;
        double[] a = c.Matrix();
        double[] x = SampleData.Matrix<double>(n, count, c.Seed + 1);
        var b = new double[m * count];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < count; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    b[i * count + k] += a[i * n + j] * x[j * count + k];
                }
            }
        }
        var qr = HouseholderQr<T>.Factor(new ReadOnlyMatrixView<T>(TestMatrices.Stored(a, m, n, n, T.Zero), m, n));
        T[] rhs = TestMatrices.Stored(b, m, count, count, T.Zero);
        T[] solution = new T[n * count];
        if (manyRightHandSides)
        {
            qr.SolveLeastSquares(new MatrixView<T>(rhs, m, count), new MatrixView<T>(solution, n, count));
        }
        else
        {
            for (int k = 0; k < count; k++)
            {
                T[] column = Enumerable.Range(0, m).Select(i => rhs[i * count + k]).ToArray();
                T[] xk = new T[n];
                qr.SolveLeastSquares(column, xk);
                for (int j = 0; j < n; j++)
                {
                    solution[j * count + k] = xk[j];
                }
            }
        }
        double bound = 2 * (m + n) * c.Condition * Tolerance.Epsilon<T>();
        for (int k = 0; k < count; k++)
        {
            double error = 0, norm = 0;
            for (int j = 0; j < n; j++)
            {
                double d = double.CreateChecked(solution[j * count + k]) - x[j * count + k];
                error += d * d;
                norm += x[j * count + k] * x[j * count + k];
            }
            Assert.True(Math.Sqrt(error) <= bound * Math.Sqrt(norm),
                $"{typeof(T).Name} least squares, column {k}: ‖x̂ − x‖ = {Math.Sqrt(error):E3} exceeds {bound:E3}·‖x‖, {c}");
        }
    }

    private static void CheckImplicitQ<T>(TallCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = c.Rows, n = c.Columns;
        var qr = HouseholderQr<T>.Factor(new ReadOnlyMatrixView<T>(TestMatrices.Stored(c.Matrix(), m, n, n, T.Zero), m, n));
        T[] q = new T[m * n];
        qr.FormThinQ(new MatrixView<T>(q, m, n));
        T[] qt = Transpose(q, m, n);
        T[] y = SampleData.Vector<T>(m, ValueKind.Uniform, c.Seed + 5).ToArray();
        T[] qty = y.ToArray();
        qr.ApplyQTranspose(qty);
        double tolerance = 4 * (m + n) * Tolerance.Epsilon<T>() * Reference.Nrm2<T>(y);
        for (int j = 0; j < n; j++)
        {
            var (expected, _) = Reference.Dot<T>(qt.AsSpan(j * m, m), y);
            Assert.True(Math.Abs(double.CreateChecked(qty[j]) - expected) <= tolerance, $"{typeof(T).Name} (Qᵀy)[{j}] vs explicit thin Q, {c}");
        }
        // Q·(Qᵀ·y) = y: the vector path and the matrix path, which must agree with each other as well.
        T[] back = qty.ToArray();
        qr.ApplyQ(back);
        T[] matrix = new T[m * 2];
        for (int i = 0; i < m; i++)
        {
            matrix[i * 2] = y[i];
            matrix[i * 2 + 1] = -y[i];
        }
        qr.ApplyQTranspose(new MatrixView<T>(matrix, m, 2));
        qr.ApplyQ(new MatrixView<T>(matrix, m, 2));
        for (int i = 0; i < m; i++)
        {
            double yi = double.CreateChecked(y[i]);
            Assert.True(Math.Abs(double.CreateChecked(back[i]) - yi) <= tolerance, $"{typeof(T).Name} Q·Qᵀ·y ≠ y at {i}, {c}");
            Assert.True(Math.Abs(double.CreateChecked(matrix[i * 2]) - yi) <= tolerance, $"{typeof(T).Name} matrix Q·Qᵀ·Y ≠ Y at {i}, {c}");
            Assert.True(Math.Abs(double.CreateChecked(matrix[i * 2 + 1]) + yi) <= tolerance, $"{typeof(T).Name} matrix Q·Qᵀ·Y ≠ Y at {i}, {c}");
        }
    }

    private static T[] Transpose<T>(T[] a, int rows, int cols)
    {
        var t = new T[a.Length];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }
}
