using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Solvers;

/// <summary>The operators and preconditioners against dense references, their diagonals, and their argument checks.</summary>
public sealed class OperatorTests
{
    private const int N = 37;

    private static double[] Dense() => new SpdCase(N, 2, 0, 1).Matrix();

    private static double[] Product(double[] a, double[] x, int stride = N)
    {
        var y = new double[N];
        for (int i = 0; i < N; i++)
        {
            y[i] = Reference.Dot<double>(a.AsSpan(i * stride, N), x).Value;
        }
        return y;
    }

    private static void AssertClose(double[] expected, double[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-13 * (1 + Math.Abs(expected[i])), $"{context}[{i}]: {actual[i]:R} vs {expected[i]:R}");
        }
    }

    [Fact]
    public void Dense_CSR_delegate_and_shifted_operators_apply_their_matrix()
    {
        double[] a = Dense(), x = SampleData.Vector<double>(N, ValueKind.Uniform, 2).ToArray(), y = new double[N];
        double[] expected = Product(a, x);

        new DenseOperator<double>(a, N).Apply(x, y);
        AssertClose(expected, y, "dense");

        // The same matrix inside a wider parent (stride N + 3).
        double[] padded = TestMatrices.Stored(a, N, N, N + 3, double.NaN);
        new DenseOperator<double>(padded, N, N + 3).Apply(x, y);
        AssertClose(expected, y, "dense with stride");

        var csr = CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, N, N));
        new CsrOperator<double>(csr).Apply(x, y);
        AssertClose(expected, y, "csr");

        var dense = new DenseOperator<double>(a, N);
        new DelegateOperator<double>(N, dense.Apply).Apply(x, y);
        AssertClose(expected, y, "delegate");

        new ShiftedOperator<double>(dense, 2.5).Apply(x, y);
        AssertClose(expected.Zip(x, (e, v) => e + 2.5 * v).ToArray(), y, "shifted");
    }

    [Fact]
    public void Diagonals_are_reported_when_known()
    {
        double[] a = Dense();
        double[] expected = Enumerable.Range(0, N).Select(i => a[i * N + i]).ToArray(), d = new double[N];
        Assert.True(new DenseOperator<double>(a, N).TryCopyDiagonal(d));
        Assert.Equal(expected, d);

        // A CSR matrix without a stored entry at (5, 5) reports zero there.
        a[5 * N + 5] = 0;
        Assert.True(new CsrOperator<double>(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, N, N))).TryCopyDiagonal(d));
        expected[5] = 0;
        Assert.Equal(expected, d);

        Array.Fill(d, -1.0);
        var unknown = new DelegateOperator<double>(N, (x, y) => x.CopyTo(y));
        Assert.False(unknown.TryCopyDiagonal(d));
        Assert.All(d, v => Assert.Equal(-1.0, v));
        Assert.False(new ShiftedOperator<double>(unknown, 1.0).TryCopyDiagonal(d));

        var known = new DelegateOperator<double>(N, (x, y) => x.CopyTo(y), Enumerable.Repeat(2.0, N).ToArray());
        Assert.True(new ShiftedOperator<double>(known, 0.5).TryCopyDiagonal(d));
        Assert.All(d, v => Assert.Equal(2.5, v));
    }

    [Fact]
    public void Preconditioners_apply_their_inverse()
    {
        double[] a = Dense(), r = SampleData.Vector<double>(N, ValueKind.Uniform, 3).ToArray(), z = new double[N];
        new IdentityPreconditioner<double>(N).Apply(r, z);
        Assert.Equal(r, z);

        var jacobi = JacobiPreconditioner<double>.FromOperator(new DenseOperator<double>(a, N));
        jacobi.Apply(r, z);
        for (int i = 0; i < N; i++)
        {
            Assert.Equal(r[i] / a[i * N + i], z[i]);
        }

        // Cholesky: A·z = r to the accuracy of a κ = 100 solve.
        new CholeskyPreconditioner<double>(new ReadOnlyMatrixView<double>(a, N, N)).Apply(r, z);
        AssertClose(r, Product(a, z).Select(v => v).ToArray(), "A·(M⁻¹r)");
    }

    [Fact]
    public void Bad_construction_throws_naming_the_argument()
    {
        double[] a = Dense();
        Assert.Throws<ArgumentException>(() => new DenseOperator<double>(a.AsMemory(0, N * N - 1), N));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseOperator<double>(a, N, N - 1));
        var wide = CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, N - 1, N));
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => new CsrOperator<double>(wide)).ParamName);
        Assert.Throws<ArgumentNullException>(() => new CsrOperator<double>(null!));
        Assert.Throws<ArgumentNullException>(() => new DelegateOperator<double>(3, null!));
        Assert.Equal("diagonal", Assert.Throws<ArgumentException>(() => new DelegateOperator<double>(3, (x, y) => { }, new double[2])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShiftedOperator<double>(new DenseOperator<double>(a, N), double.NaN));

        var ex = Assert.Throws<ArgumentException>(() => new JacobiPreconditioner<double>([1.0, 2, 0, 4]));
        Assert.Contains("diagonal[2] is 0", ex.Message);
        Assert.Throws<ArgumentException>(() => new JacobiPreconditioner<double>([1.0, double.NaN]));
        ex = Assert.Throws<ArgumentException>(() => JacobiPreconditioner<double>.FromOperator(new DelegateOperator<double>(3, (x, y) => x.CopyTo(y))));
        Assert.Contains("DelegateOperator", ex.Message);

        double[] indefinite = a.ToArray();
        indefinite[4 * N + 4] = -1;
        var notSpd = Assert.Throws<MatrixNotPositiveDefiniteException>(() => new CholeskyPreconditioner<double>(new ReadOnlyMatrixView<double>(indefinite, N, N)));
        Assert.Equal(4, notSpd.PivotIndex);
        Assert.Equal("b", notSpd.ParamName);
        Assert.Equal(-1.0, indefinite[4 * N + 4]);
    }

    [Fact]
    public void Apply_checks_lengths_and_overlap()
    {
        double[] a = Dense(), v = new double[2 * N];
        ILinearOperator<double>[] operators =
        [
            new DenseOperator<double>(a, N),
            new CsrOperator<double>(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, N, N))),
            new DelegateOperator<double>(N, (x, y) => x.CopyTo(y)),
            new ShiftedOperator<double>(new DenseOperator<double>(a, N), 1.0),
        ];
        foreach (var op in operators)
        {
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => op.Apply(new double[N - 1], new double[N])).ParamName);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => op.Apply(new double[N], new double[N + 1])).ParamName);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => op.Apply(v.AsSpan(0, N), v.AsSpan(3, N))).ParamName);
            Assert.Equal("diagonal", Assert.Throws<ArgumentException>(() => op.TryCopyDiagonal(new double[N + 1])).ParamName);
        }
        IPreconditioner<double>[] preconditioners =
        [
            new IdentityPreconditioner<double>(N),
            new JacobiPreconditioner<double>(Enumerable.Repeat(1.0, N).ToArray()),
            new CholeskyPreconditioner<double>(new ReadOnlyMatrixView<double>(a, N, N)),
        ];
        foreach (var m in preconditioners)
        {
            Assert.Equal("r", Assert.Throws<ArgumentException>(() => m.Apply(new double[N + 1], new double[N])).ParamName);
            Assert.Equal("z", Assert.Throws<ArgumentException>(() => m.Apply(v.AsSpan(0, N), v.AsSpan(1, N))).ParamName);
        }
    }
}
