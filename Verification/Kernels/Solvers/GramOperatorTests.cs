using Kernels.Blas;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Solvers;

/// <summary>
/// <see cref="GramOperator{T}"/>: AᵀA·x and the diagonal of AᵀA against plain loops, for dense (padded), CSR and general
/// maps (<see cref="LinearMapTests"/> checks every product form against the dense matrix).
/// </summary>
public sealed class GramOperatorTests
{
    [Theory]
    [InlineData(7, 3, 0)]
    [InlineData(1100, 64, 2)]
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
            ("dense", new GramOperator<double>(new DenseMap<double>(padded, rows, columns, stride))),
            ("csr", new GramOperator<double>(new CsrMap<double>(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, rows, columns))))),
            ("general", new GramOperator<double>(new OpaqueMap<double>(a, rows, columns))),
        };
        foreach (var (name, op) in operators)
        {
            Assert.Equal(columns, op.Dimension);
            Assert.Equal(columns, op.Rows);
            var y = new double[columns];
            op.Apply(x, y);
            var d = new double[columns];
            Array.Fill(d, -1.0);
            // Dense and CSR maps know their squared column norms; a general map does not, and leaves d alone.
            Assert.Equal(name != "general", op.TryCopyDiagonal(d));
            for (int j = 0; j < columns; j++)
            {
                Tolerance.AssertClose(y[j], expected[j], magnitude[j], 2 * (rows + columns) + 4, $"{name}: (AᵀAx)[{j}]");
                if (name == "general")
                {
                    Assert.Equal(-1.0, d[j]);
                }
                else
                {
                    Tolerance.AssertClose(d[j], diagonal[j], diagonal[j], rows + 2, $"{name}: diag[{j}]");
                }
            }
            // The same input gives the same bits on a second call.
            var again = new double[columns];
            op.Apply(x, again);
            Assert.Equal(y, again);
        }
    }

    [Fact]
    public void The_AAt_diagonal_holds_squared_row_norms_plus_the_shift()
    {
        double[] a = SampleData.Matrix<double>(5, 3, 4);
        var d = new double[5];
        Assert.True(new GramOperator<double>(new DenseMap<double>(a, 5, 3), GramForm.AAt, 2.0).TryCopyDiagonal(d));
        for (int i = 0; i < 5; i++)
        {
            double expected = 2.0 + a[3 * i] * a[3 * i] + a[3 * i + 1] * a[3 * i + 1] + a[3 * i + 2] * a[3 * i + 2];
            Tolerance.AssertClose(d[i], expected, expected, 6, $"diag[{i}]");
        }
    }

    [Fact]
    public void Bad_input_throws()
    {
        var map = new DenseMap<double>(new double[12], 4, 3);
        Assert.Throws<ArgumentNullException>("map", () => new GramOperator<double>(null!));
        Assert.Throws<ArgumentOutOfRangeException>("form", () => new GramOperator<double>(map, (GramForm)2));
        Assert.Throws<ArgumentOutOfRangeException>("shift", () => new GramOperator<double>(map, GramForm.AtA, double.NaN));
        var op = new GramOperator<double>(map);
        Assert.Throws<ArgumentException>("x", () => op.Apply(new double[2], new double[3]));
        Assert.Throws<ArgumentException>("y", () => op.Apply(new double[3], new double[4]));
        Assert.Throws<ArgumentException>("diagonal", () => op.TryCopyDiagonal(new double[4]));
        Assert.Equal(4, new GramOperator<double>(map, GramForm.AAt).Dimension);
    }
}
