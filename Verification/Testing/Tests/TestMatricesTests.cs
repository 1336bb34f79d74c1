using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Testing;

/// <summary>
/// The kit's rank-deficient matrices and unit-sphere points: AᵀA has exactly the eigenvalues σ² and zeros (checked with
/// the library's Jacobi eigensolver, to 10⁻¹² of the largest), and every point has norm 1.
/// </summary>
public sealed class TestMatricesTests
{
    [KernelProperty(MaxTest = 40)]
    public void Rank_deficient_matrices_have_the_requested_singular_values(RankDeficientCase c)
    {
        double[] a = c.Matrix();
        int n = c.Columns;
        var gram = new double[n * n];
        Level3.Gemm(Transpose.Transposed, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(a, c.Rows, n), new ReadOnlyMatrixView<double>(a, c.Rows, n),
            0.0, new MatrixView<double>(gram, n, n));
        var eigenvalues = new double[n];
        SymmetricEigen.Eigenvalues(new ReadOnlyMatrixView<double>(gram, n, n), eigenvalues);
        double[] expected = TestMatrices.LogSpaced(c.Rank, c.Condition).Select(s => s * s).Concat(new double[n - c.Rank]).Order().ToArray();
        Array.Sort(eigenvalues);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(eigenvalues[i] - expected[i]) <= 1e-12, $"{c}: eigenvalue {i} of AᵀA is {eigenvalues[i]:E6}, expected {expected[i]:E6}");
        }
    }

    [KernelProperty(MaxTest = 40)]
    public void Unit_sphere_points_have_norm_one(SphereCase c)
    {
        double[] x = TestMatrices.UnitSphere(c.Dimension, c.Count, c.Seed);
        Assert.Equal(c.Dimension * c.Count, x.Length);
        for (int p = 0; p < c.Count; p++)
        {
            double norm = 0;
            for (int i = 0; i < c.Dimension; i++)
            {
                norm += x[i * c.Count + p] * x[i * c.Count + p];
            }
            Assert.True(Math.Abs(norm - 1) <= 1e-13, $"{c}: point {p} has squared norm {norm:R}");
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>("rank", () => TestMatrices.RankDeficient(3, 2, 3, 10, 1));
        Assert.Throws<ArgumentOutOfRangeException>("condition", () => TestMatrices.RankDeficient(3, 2, 1, 0.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>("dimension", () => TestMatrices.UnitSphere(0, 2, 1));
    }

    [Fact]
    public void Bad_arguments_throw_naming_the_argument()
    {
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => TestMatrices.OrthonormalColumns(2, 3, 1)).ParamName);
        Assert.Equal("condition", Assert.Throws<ArgumentOutOfRangeException>(() => TestMatrices.LogSpaced(3, 0.5)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentException>(() => TestMatrices.WithSingularValues(4, 3, [1.0, 1.0], 1)).ParamName);
        Assert.Equal("stride", Assert.Throws<ArgumentOutOfRangeException>(() => TestMatrices.Stored(new double[6], 2, 3, 2, 0f)).ParamName);
        Assert.Equal("source", Assert.Throws<ArgumentException>(() => TestMatrices.Stored(new double[5], 2, 3, 3, 0f)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => TestMatrices.Poisson1D<double>(0)).ParamName);
    }
}
