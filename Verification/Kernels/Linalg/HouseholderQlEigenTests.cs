using System.Numerics;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="HouseholderQlEigen"/> on matrices V·diag(λ)·Vᵀ with known spectra (‖A‖ = 1; indefinite, with a repeated
/// value) and against <see cref="SymmetricEigen"/>. Householder tridiagonalization and QL are backward stable
/// (Wilkinson): each eigenvalue is within c·n·ε·‖A‖ of the exact one (Weyl); the bound used, (4n + 20)·ε, is twice the
/// Jacobi tests' for the two stages. Eigenvectors are orthonormal and leave residuals ‖A·v − λ·v‖ of the same order.
/// The upper triangle holds NaN, so reading it fails the checks.
/// </summary>
public sealed class HouseholderQlEigenTests
{
    /// <summary>Order cap: orders past the QL's deflation and beyond a few vector widths, kept cheap for four CI runs.</summary>
    private const int MaxOrder = 90;

    [KernelProperty(MaxTest = 40)]
    public void Eigenpairs_match_the_known_spectrum_and_the_Jacobi_solver(SpdCase c)
    {
        var small = c with { Order = Math.Min(c.Order, MaxOrder) };
        double[] lambda = TestMatrices.LogSpaced(small.Order, small.Condition);
        for (int i = 1; i < lambda.Length; i += 2)
        {
            lambda[i] = -lambda[i];
        }
        if (lambda.Length > 2)
        {
            lambda[^1] = lambda[0];
        }
        Check<float>(lambda, small.Seed);
        Check<double>(lambda, small.Seed);
    }

    [Fact]
    public void Diagonal_zero_and_tiny_matrices_work()
    {
        double[] diagonal = [3, -1, 2, 2, 0];
        double[] a = new double[25];
        for (int i = 0; i < 5; i++)
        {
            a[i * 5 + i] = diagonal[i];
        }
        double[] values = new double[5], vectors = new double[25];
        HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>(a, 5, 5), values, new MatrixView<double>(vectors, 5, 5));
        Assert.Equal([-1.0, 0, 2, 2, 3], values);
        for (int j = 0; j < 5; j++)
        {
            // Each eigenvector of a diagonal matrix is a unit vector ±e_k with diagonal[k] = λ_j.
            int k = Enumerable.Range(0, 5).Single(i => vectors[i * 5 + j] != 0);
            Assert.Equal(1.0, Math.Abs(vectors[k * 5 + j]));
            Assert.Equal(values[j], diagonal[k]);
        }
        HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>(new double[9], 3, 3), values.AsSpan(0, 3), new MatrixView<double>(vectors, 3, 3));
        Assert.Equal([0.0, 0, 0], values[..3]);
        HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>([-7.5], 1, 1), values.AsSpan(0, 1), new MatrixView<double>(vectors, 1, 1));
        Assert.Equal(-7.5, values[0]);
        Assert.Equal(1.0, vectors[0]);
        HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>([], 0, 0), [], new MatrixView<double>([], 0, 0));
    }

    [Fact]
    public void Bad_input_throws_with_the_shape_or_position()
    {
        double[] a = [1, 0, 0, 2, 3, 0, 4, double.NaN, 5];
        var ex = Assert.Throws<ArgumentException>(() => HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>(a, 3, 3), new double[3], new MatrixView<double>(new double[9], 3, 3)));
        Assert.Equal("a", ex.ParamName);
        Assert.Contains("a[2, 1]", ex.Message);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>(a, 2, 3), new double[2], new MatrixView<double>(new double[4], 2, 2))).ParamName);
        Assert.Equal("eigenvalues", Assert.Throws<ArgumentException>(() => HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>([1, 0, 0, 1], 2, 2), new double[3], new MatrixView<double>(new double[4], 2, 2))).ParamName);
        Assert.Equal("eigenvectors", Assert.Throws<ArgumentException>(() => HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<double>([1, 0, 0, 1], 2, 2), new double[2], new MatrixView<double>(new double[6], 2, 3))).ParamName);
    }

    private static void Check<T>(double[] lambda, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = lambda.Length;
        double[] dense = TestMatrices.SymmetricWithEigenvalues(lambda, seed);
        T[] a = TestMatrices.Stored(dense, n, n, n, T.Zero);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                a[i * n + j] = T.NaN;
            }
        }
        T[] values = new T[n], vectors = new T[n * n], jacobi = new T[n];
        HouseholderQlEigen.Decompose(new ReadOnlyMatrixView<T>(a, n, n), values, new MatrixView<T>(vectors, n, n));
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<T>(a, n, n), jacobi);
        double bound = (4 * n + 20) * Tolerance.Epsilon<T>();
        double[] sorted = lambda.Order().ToArray();
        var columns = new double[n][];
        for (int j = 0; j < n; j++)
        {
            columns[j] = Enumerable.Range(0, n).Select(i => double.CreateChecked(vectors[i * n + j])).ToArray();
            double value = double.CreateChecked(values[j]);
            Assert.True(Math.Abs(value - sorted[j]) <= bound, $"{typeof(T).Name} λ[{j}] = {value:R}, exact {sorted[j]:R}, n={n} seed={seed}");
            Assert.True(Math.Abs(value - double.CreateChecked(jacobi[j])) <= 2 * bound, $"{typeof(T).Name} λ[{j}] = {value:R}, Jacobi {jacobi[j]}, n={n} seed={seed}");
        }
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                var (dot, _) = Reference.Dot<double>(columns[i], columns[j]);
                Assert.True(Math.Abs(dot - (i == j ? 1 : 0)) <= bound, $"{typeof(T).Name} (VᵀV − I)[{i},{j}] = {dot - (i == j ? 1 : 0):E3}, n={n} seed={seed}");
            }
        }
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
