using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="SymmetricEigen"/> on matrices V·diag(λ)·Vᵀ with known spectra. Jacobi is backward stable, so each computed
/// eigenvalue is within (2n + 10)·ε·‖A‖ of the exact one (Weyl), eigenvectors are orthonormal to (2n + 10)·ε and leave
/// residuals ‖A·v − λ·v‖ of the same order times ‖A‖. The trace is checked against the sum and, on SPD matrices, the log
/// determinant against the Cholesky factor's 2·Σ log L[i, i]: each eigenvalue's relative error is at most the absolute
/// bound over λmin, so the log determinants agree to about 2n·(2n + 10)·ε·κ. The upper triangle holds NaN.
/// </summary>
public sealed class SymmetricEigenTests
{
    /// <summary>Order cap for the properties: Jacobi costs about 4n³ flops per sweep, and the suite runs four times.</summary>
    private const int MaxOrder = 60;

    [KernelProperty(MaxTest = 40)]
    public void Eigenvalues_match_the_known_spectrum_the_trace_and_the_Cholesky_determinant(SpdCase c)
    {
        var small = c with { Order = Math.Min(c.Order, MaxOrder) };
        CheckSpd<float>(small.Capped(3));
        CheckSpd<double>(small);
    }

    [KernelProperty(MaxTest = 40)]
    public void Eigenvectors_are_orthonormal_with_small_residuals(SpdCase c)
    {
        var small = c with { Order = Math.Min(c.Order, MaxOrder) };
        double[] lambda = TestMatrices.LogSpaced(small.Order, small.Condition);
        // Make the spectrum indefinite and give it a repeated value: every other eigenvalue changes sign, the last repeats the first.
        for (int i = 1; i < lambda.Length; i += 2)
        {
            lambda[i] = -lambda[i];
        }
        if (lambda.Length > 2)
        {
            lambda[^1] = lambda[0];
        }
        CheckVectors<float>(lambda, small.Seed);
        CheckVectors<double>(lambda, small.Seed);
    }

    [Fact]
    public void Small_integer_matrices_have_their_textbook_eigenvalues()
    {
        // [[2, 1], [1, 2]]: 1 and 3. [[4, 1, 0], [1, 4, 1], [0, 1, 4]]: 4 − √2, 4, 4 + √2 (trace 12, determinant 56).
        double[] values = new double[2];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>([2, double.NaN, 1, 2], 2, 2), values);
        Assert.Equal(1, values[0], 15);
        Assert.Equal(3, values[1], 15);
        values = new double[3];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>([4, double.NaN, double.NaN, 1, 4, double.NaN, 0, 1, 4], 3, 3), values);
        Assert.Equal(4 - Math.Sqrt(2), values[0], 14);
        Assert.Equal(4, values[1], 14);
        Assert.Equal(4 + Math.Sqrt(2), values[2], 14);
        Assert.Equal(12, values.Sum(), 13);
        Assert.Equal(56, values[0] * values[1] * values[2], 12);
    }

    [Fact]
    public void A_diagonal_matrix_is_sorted_without_rotation()
    {
        double[] a = new double[16];
        double[] diagonal = [3, -1, 0, 2];
        for (int i = 0; i < 4; i++)
        {
            a[i * 4 + i] = diagonal[i];
        }
        double[] values = new double[4], vectors = new double[16];
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(a, 4, 4), values, new MatrixView<double>(vectors, 4, 4));
        Assert.Equal([-1.0, 0, 2, 3], values);
        int[] source = [1, 2, 3, 0];
        for (int j = 0; j < 4; j++)
        {
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(i == source[j] ? 1.0 : 0.0, vectors[i * 4 + j]);
            }
        }
    }

    [Fact]
    public void Scaling_by_a_power_of_two_scales_the_eigenvalues_exactly()
    {
        const int n = 25;
        double[] a = TestMatrices.SymmetricWithEigenvalues(TestMatrices.LogSpaced(n, 1e3), 3);
        double[] values = new double[n], scaledValues = new double[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(a, n, n), values);
        foreach (int power in new[] { 900, -900 })
        {
            double[] scaled = a.Select(v => Math.ScaleB(v, power)).ToArray();
            SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(scaled, n, n), scaledValues);
            Assert.Equal(values.Select(v => Math.ScaleB(v, power)).ToArray(), scaledValues);
        }
    }

    [Fact]
    public void Bad_input_throws_with_the_shape_or_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(new double[6], 2, 3), new double[2]));
        Assert.Contains("2×3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(new double[9], 3, 3), new double[2]));
        Assert.Equal("eigenvalues", ex.ParamName);
        double[] a = new double[9];
        a[2 * 3 + 1] = double.PositiveInfinity;
        ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(a, 3, 3), new double[3]));
        Assert.Contains("a[2, 1]", ex.Message);
        a[2 * 3 + 1] = 0;
        a[1 * 3 + 2] = double.NaN; // upper triangle: never read
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(a, 3, 3), new double[3]);
        ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(a, 3, 3), new double[3], new MatrixView<double>(new double[6], 3, 2)));
        Assert.Equal("eigenvectors", ex.ParamName);
        ex = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(a, 3, 3), new double[3], new MatrixView<double>(a, 3, 3)));
        Assert.Equal("eigenvectors", ex.ParamName);
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>([], 0, 0), []);
    }

    private static T[] LowerWithNaNAbove<T>(double[] a, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] stored = TestMatrices.Stored(a, n, n, n, T.Zero);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                stored[i * n + j] = T.NaN;
            }
        }
        return stored;
    }

    private static double Bound<T>(int n) where T : IFloatingPointIeee754<T> => (2 * n + 10) * Tolerance.Epsilon<T>();

    private static void CheckSpd<T>(SpdCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = c.Order;
        double[] lambda = TestMatrices.LogSpaced(n, c.Condition);
        double[] dense = c.Matrix();
        T[] a = LowerWithNaNAbove<T>(dense, n);
        T[] values = new T[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<T>(a, n, n), values);
        double bound = Bound<T>(n);
        Array.Sort(lambda);
        for (int i = 0; i < n; i++)
        {
            Assert.True(i == 0 || values[i - 1] <= values[i], $"{typeof(T).Name} eigenvalues not ascending at {i}, {c}");
            Assert.True(Math.Abs(double.CreateChecked(values[i]) - lambda[i]) <= bound, $"{typeof(T).Name} λ[{i}] = {values[i]}, exact {lambda[i]:R}, bound {bound:E3}, {c}");
        }
        double trace = 0, sum = 0;
        for (int i = 0; i < n; i++)
        {
            trace += double.CreateChecked(a[i * n + i]);
            sum += double.CreateChecked(values[i]);
        }
        Assert.True(Math.Abs(trace - sum) <= n * bound, $"{typeof(T).Name} Σλ = {sum:R} vs trace {trace:R}, {c}");

        T[] l = a.ToArray();
        Cholesky.Factor(new MatrixView<T>(l, n, n));
        double logDetCholesky = 0, logDetEigen = 0;
        for (int i = 0; i < n; i++)
        {
            logDetCholesky += 2 * Math.Log(double.CreateChecked(l[i * n + i]));
            Assert.True(values[i] > T.Zero, $"{typeof(T).Name} SPD matrix (Cholesky succeeded) has eigenvalue {values[i]} at {i}, {c}");
            logDetEigen += Math.Log(double.CreateChecked(values[i]));
        }
        double logDetBound = 2 * n * (bound + (n + 2) * Tolerance.Epsilon<T>()) * c.Condition;
        Assert.True(Math.Abs(logDetCholesky - logDetEigen) <= logDetBound,
            $"{typeof(T).Name} log det: eigenvalues {logDetEigen:R}, Cholesky {logDetCholesky:R}, bound {logDetBound:E3}, {c}");
    }

    private static void CheckVectors<T>(double[] lambda, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = lambda.Length;
        double[] dense = TestMatrices.SymmetricWithEigenvalues(lambda, seed);
        T[] a = LowerWithNaNAbove<T>(dense, n);
        T[] values = new T[n], vectors = new T[n * n];
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<T>(a, n, n), values, new MatrixView<T>(vectors, n, n));
        double bound = Bound<T>(n);
        double[] sorted = lambda.Order().ToArray();
        var columns = new double[n][];
        for (int j = 0; j < n; j++)
        {
            columns[j] = Enumerable.Range(0, n).Select(i => double.CreateChecked(vectors[i * n + j])).ToArray();
            Assert.True(Math.Abs(double.CreateChecked(values[j]) - sorted[j]) <= bound, $"{typeof(T).Name} λ[{j}] = {values[j]}, exact {sorted[j]:R}, n={n} seed={seed}");
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                var (dot, _) = Reference.Dot<double>(columns[i], columns[j]);
                Assert.True(Math.Abs(dot - (i == j ? 1 : 0)) <= bound, $"{typeof(T).Name} (VᵀV − I)[{i},{j}] = {dot - (i == j ? 1 : 0):E3}, n={n} seed={seed}");
            }
        }
        // A·v − λ·v with A the stored (rounded) matrix, its upper triangle mirrored from the lower.
        for (int j = 0; j < n; j++)
        {
            double lambdaJ = double.CreateChecked(values[j]);
            for (int i = 0; i < n; i++)
            {
                double[] row = Enumerable.Range(0, n).Select(k => double.CreateChecked(k <= i ? a[i * n + k] : a[k * n + i])).ToArray();
                var (av, _) = Reference.Dot<double>(row, columns[j]);
                double residual = Math.Abs(av - lambdaJ * columns[j][i]);
                Assert.True(residual <= 2 * bound, $"{typeof(T).Name} (A·v − λ·v)[{i}] for λ[{j}] = {residual:E3}, n={n} seed={seed}");
            }
        }
    }
}
