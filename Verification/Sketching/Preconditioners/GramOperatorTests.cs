using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Preconditioners;

/// <summary><see cref="GramOperator{T}"/>: AᵀA·x and the diagonal of AᵀA against plain loops, for dense (padded), CSR and implicit A.</summary>
public sealed class GramOperatorTests
{
    [Theory]
    [InlineData(7, 3, 0)]
    [InlineData(1100, 64, 2)]   // an implicit A of 1100 rows is read in blocks of ⌊32768/64⌋ = 512 rows: three blocks, the last partial
    [InlineData(50, 1, 1)]
    public void Products_and_diagonals_match_the_definition(int rows, int columns, int padding)
    {
        int stride = columns + padding;
        double[] a = SampleData.Matrix<double>(rows, columns, rows + columns);
        for (int k = 0; k < a.Length; k += 3)
        {
            a[k] = 0;   // some structure for the CSR form
        }
        double[] padded = TestMatrices.Stored(a, rows, columns, stride, double.NaN);
        double[] x = SampleData.Vector<double>(columns, ValueKind.Uniform, 2).ToArray();

        // Reference: y = Aᵀ(A·x) and diag(AᵀA) by plain loops, with the magnitudes of their terms.
        var ax = new double[rows];
        var axMagnitude = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                ax[i] += a[i * columns + j] * x[j];
                axMagnitude[i] += Math.Abs(a[i * columns + j] * x[j]);
            }
        }
        var expected = new double[columns];
        var magnitude = new double[columns];
        var diagonal = new double[columns];
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < rows; i++)
            {
                expected[j] += a[i * columns + j] * ax[i];
                magnitude[j] += Math.Abs(a[i * columns + j]) * axMagnitude[i];
                diagonal[j] += a[i * columns + j] * a[i * columns + j];
            }
        }

        var operators = new (string Name, GramOperator<double> Op)[]
        {
            ("dense", GramOperator<double>.FromDense(padded, rows, columns, stride)),
            ("csr", GramOperator<double>.FromCsr(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, rows, columns)))),
            ("implicit", GramOperator<double>.FromRowBlocks(new DenseRowBlockSource<double>(padded, rows, columns, stride))),
        };
        foreach (var (name, op) in operators)
        {
            Assert.Equal(columns, op.Dimension);
            Assert.Equal(rows, op.Rows);
            var y = new double[columns];
            op.Apply(x, y);
            var d = new double[columns];
            Assert.True(op.TryCopyDiagonal(d));
            for (int j = 0; j < columns; j++)
            {
                Tolerance.AssertClose(y[j], expected[j], magnitude[j], 2 * (rows + columns) + 4, $"{name}: (AᵀAx)[{j}]");
                Tolerance.AssertClose(d[j], diagonal[j], diagonal[j], rows + 2, $"{name}: diag[{j}]");
            }
            // The same input gives the same bits on a second call.
            var again = new double[columns];
            op.Apply(x, again);
            Assert.Equal(y, again);
        }
    }

    [Fact]
    public void Bad_input_throws()
    {
        Assert.Throws<ArgumentException>("a", () => GramOperator<double>.FromDense(new double[11], 4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => GramOperator<double>.FromDense(new double[12], 4, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => GramOperator<double>.FromDense(new double[12], -1, 3));
        Assert.Throws<ArgumentNullException>("a", () => GramOperator<double>.FromCsr(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => GramOperator<double>.FromDense(new double[12], 4, 3, new BlasOptions { MaxThreads = 0 }));
        var op = GramOperator<double>.FromDense(new double[12], 4, 3);
        Assert.Throws<ArgumentException>("x", () => op.Apply(new double[2], new double[3]));
        Assert.Throws<ArgumentException>("y", () => op.Apply(new double[3], new double[4]));
        Assert.Throws<ArgumentException>("diagonal", () => op.TryCopyDiagonal(new double[4]));
    }
}
