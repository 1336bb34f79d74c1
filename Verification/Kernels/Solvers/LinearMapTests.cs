using Kernels.Blas;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Solvers;

/// <summary>
/// The <see cref="ILinearMap{T}"/> contract (ILinearMap, LinearMapBase, LinearMapBlocks) for every map in the library:
/// vector and block products, plain and transposed, with β ≠ 0 and with β = 0 over a y full of NaN (which must not be
/// read), against the map's dense matrix; and the argument checks.
/// </summary>
public sealed class LinearMapTests
{
    /// <summary>A map, its m × n matrix, and the matrix of magnitudes that bounds the rounding of its products.</summary>
    private sealed record Case(string Name, ILinearMap<double> Map, double[] Matrix, double[] Magnitude);

    private static double[] Abs(double[] a) => a.Select(Math.Abs).ToArray();

    /// <summary>AᵀA (or AAᵀ) + λI of an m × n A, and the same with |A| and |λ| for the magnitudes.</summary>
    private static (double[] Gram, double[] Magnitude) GramOf(double[] a, int m, int n, bool aTa, double shift)
    {
        int d = aTa ? n : m, inner = aTa ? m : n;
        var gram = new double[d * d];
        var magnitude = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                for (int k = 0; k < inner; k++)
                {
                    double u = aTa ? a[k * n + i] : a[i * n + k], v = aTa ? a[k * n + j] : a[j * n + k];
                    gram[i * d + j] += u * v;
                    magnitude[i * d + j] += Math.Abs(u * v);
                }
            }
            gram[i * d + i] += shift;
            magnitude[i * d + i] += Math.Abs(shift);
        }
        return (gram, magnitude);
    }

    private static IEnumerable<Case> Cases(int m, int n)
    {
        double[] a = SampleData.Matrix<double>(m, n, m + 7 * n);
        for (int k = 0; k < a.Length; k += 3)
        {
            a[k] = 0;
        }
        const int padding = 3;
        double[] padded = TestMatrices.Stored(a, m, n, n + padding, double.NaN);
        var csr = CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, m, n));
        var dense = new DenseMap<double>(a, m, n);
        yield return new Case("dense (padded)", new DenseMap<double>(padded, m, n, n + padding), a, Abs(a));
        yield return new Case("csr", new CsrMap<double>(csr), a, Abs(a));
        yield return new Case("delegate", new DelegateMap<double>(m, n, (x, y) => dense.Apply(1.0, x, 0.0, y), (x, y) => dense.ApplyTranspose(1.0, x, 0.0, y)), a, Abs(a));

        var (ata, ataMagnitude) = GramOf(a, m, n, aTa: true, shift: 0.75);
        yield return new Case("Gram AᵀA + λI of a dense map", new GramOperator<double>(dense, GramForm.AtA, 0.75), ata, ataMagnitude);
        var (aat, aatMagnitude) = GramOf(a, m, n, aTa: false, shift: 0);
        yield return new Case("Gram AAᵀ of a CSR map", new GramOperator<double>(new CsrMap<double>(csr), GramForm.AAt), aat, aatMagnitude);
        yield return new Case("Gram AᵀA of a general map", new GramOperator<double>(new OpaqueMap<double>(a, m, n)), GramOf(a, m, n, true, 0).Gram, GramOf(a, m, n, true, 0).Magnitude);

        // Square operators: A = the leading n × n block, symmetric for the delegate.
        double[] square = GramOf(a, m, n, true, 1).Gram;
        yield return new Case("dense operator", new DenseOperator<double>(square, n), square, Abs(square));
        yield return new Case("csr operator", new CsrOperator<double>(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(square, n, n))), square, Abs(square));
        var squareMap = new DenseOperator<double>(square, n);
        yield return new Case("delegate operator", new DelegateOperator<double>(n, squareMap.Apply), square, Abs(square));
        double[] shifted = square.ToArray(), shiftedMagnitude = Abs(square);
        for (int i = 0; i < n; i++)
        {
            shifted[i * n + i] -= 0.5;
            shiftedMagnitude[i * n + i] += 0.5;
        }
        yield return new Case("shifted operator", new ShiftedOperator<double>(squareMap, -0.5), shifted, shiftedMagnitude);
    }

    public static TheoryData<int, int, int> Shapes() => new() { { 7, 3, 2 }, { 1, 1, 1 }, { 40, 17, 5 }, { 5, 9, 0 }, { 0, 4, 3 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Products_match_the_dense_matrix(int m, int n, int k)
    {
        foreach (Case c in Cases(m, n))
        {
            int rows = c.Map.Rows, columns = c.Map.Columns;
            foreach (bool transposed in new[] { false, true })
            {
                int inner = transposed ? rows : columns, outer = transposed ? columns : rows;
                foreach (var (alpha, beta) in new[] { (1.0, 0.0), (-1.5, 0.0), (0.5, 2.0), (2.0, -1.0) })
                {
                    string context = $"{c.Name} {rows}×{columns}{(transposed ? " transposed" : "")} α={alpha} β={beta}";
                    double[] x = SampleData.Vector<double>(inner * Math.Max(k, 1), ValueKind.Uniform, inner + k).ToArray();
                    double[] y0 = SampleData.Vector<double>(outer * Math.Max(k, 1), ValueKind.Uniform, outer + 2 * k + 1).ToArray();

                    // One vector: the first column of the block.
                    double[] xv = Enumerable.Range(0, inner).Select(r => x[r * Math.Max(k, 1)]).ToArray();
                    double[] yv = beta == 0 ? Enumerable.Repeat(double.NaN, outer).ToArray() : Enumerable.Range(0, outer).Select(r => y0[r * Math.Max(k, 1)]).ToArray();
                    double[] yvStart = yv.ToArray();
                    if (transposed)
                    {
                        c.Map.ApplyTranspose(alpha, xv, beta, yv);
                    }
                    else
                    {
                        c.Map.Apply(alpha, xv, beta, yv);
                    }
                    for (int r = 0; r < outer; r++)
                    {
                        AssertEntry(c, transposed, alpha, beta, r, j => xv[j], beta == 0 ? 0 : yvStart[r], yv[r], $"{context} vector[{r}]");
                    }

                    // A block of k vectors, with a padded Y stride.
                    int yStride = k + 2;
                    double[] yb = new double[outer * yStride];
                    Array.Fill(yb, double.NaN);
                    if (beta != 0)
                    {
                        for (int r = 0; r < outer; r++)
                        {
                            Array.Copy(y0, r * Math.Max(k, 1), yb, r * yStride, k);
                        }
                    }
                    double[] ybStart = yb.ToArray();
                    var xm = new ReadOnlyMatrixView<double>(x, inner, k, Math.Max(k, 1));
                    var ym = new MatrixView<double>(yb, outer, k, yStride);
                    if (transposed)
                    {
                        c.Map.ApplyTranspose(alpha, xm, beta, ym);
                    }
                    else
                    {
                        c.Map.Apply(alpha, xm, beta, ym);
                    }
                    for (int col = 0; col < k; col++)
                    {
                        for (int r = 0; r < outer; r++)
                        {
                            AssertEntry(c, transposed, alpha, beta, r, j => x[j * Math.Max(k, 1) + col], beta == 0 ? 0 : ybStart[r * yStride + col], yb[r * yStride + col], $"{context} block[{r}, {col}]");
                        }
                        for (int r = 0; r < outer; r++)
                        {
                            Assert.True(double.IsNaN(yb[r * yStride + k]) && double.IsNaN(yb[r * yStride + k + 1]), $"{context}: padding of Y row {r} was written");
                        }
                    }
                }
            }
        }
    }

    /// <summary>Checks y[r] = α·(op(A)·x)[r] + β·y₀[r] against the dense matrix, with the case's magnitudes.</summary>
    private static void AssertEntry(Case c, bool transposed, double alpha, double beta, int r, Func<int, double> x, double y0, double actual, string context)
    {
        int rows = c.Map.Rows, columns = c.Map.Columns, inner = transposed ? rows : columns;
        double exact = beta * y0, magnitude = Math.Abs(beta * y0);
        for (int j = 0; j < inner; j++)
        {
            int index = transposed ? j * columns + r : r * columns + j;
            exact += alpha * c.Matrix[index] * x(j);
            magnitude += Math.Abs(alpha * x(j)) * c.Magnitude[index];
        }
        Tolerance.AssertClose(actual, exact, magnitude, 2 * (rows + columns) + 8, context);
    }

    [Fact]
    public void Bad_arguments_throw_before_writing()
    {
        foreach (Case c in Cases(6, 4))
        {
            int m = c.Map.Rows, n = c.Map.Columns;
            var y = new double[m];
            Array.Fill(y, 7.0);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => c.Map.Apply(1.0, new double[n + 1], 0.0, y)).ParamName);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => c.Map.Apply(1.0, new double[n], 0.0, new double[m + 1])).ParamName);
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => c.Map.ApplyTranspose(1.0, new double[n == m ? m + 1 : n], 0.0, new double[n])).ParamName);
            Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => c.Map.Apply(double.NaN, new double[n], 0.0, y)).ParamName);
            Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => c.Map.ApplyTranspose(1.0, new double[m], double.PositiveInfinity, new double[n])).ParamName);
            var shared = new double[m + n];
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => c.Map.Apply(1.0, shared.AsSpan(0, n), 0.0, shared.AsSpan(n - 1 >= 0 ? Math.Max(0, n - 1) : 0, m))).ParamName);
            Assert.All(y, v => Assert.Equal(7.0, v));

            var block = new double[(m + n) * 3];
            Assert.Equal("x", Assert.Throws<ArgumentException>(() => c.Map.Apply(1.0, new ReadOnlyMatrixView<double>(new double[(n + 1) * 2], n + 1, 2), 0.0, new MatrixView<double>(new double[m * 2], m, 2))).ParamName);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => c.Map.Apply(1.0, new ReadOnlyMatrixView<double>(new double[n * 2], n, 2), 0.0, new MatrixView<double>(new double[m * 3], m, 3))).ParamName);
            Assert.Equal("y", Assert.Throws<ArgumentException>(() => c.Map.ApplyTranspose(1.0, new ReadOnlyMatrixView<double>(block, m, 2), 0.0, new MatrixView<double>(block.AsSpan(2), n, 2))).ParamName);
            Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => c.Map.Apply(1.0, new ReadOnlyMatrixView<double>(new double[n * 2], n, 2), double.NaN, new MatrixView<double>(new double[m * 2], m, 2))).ParamName);
        }
    }

    [Fact]
    public void The_column_helper_checks_its_arguments()
    {
        var map = new DenseMap<double>(new double[12], 4, 3);
        var x = new double[6];
        var y = new double[8];
        Assert.Throws<ArgumentNullException>("map", () => LinearMapBlocks.ApplyColumnByColumn<double>(null!, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(x, 3, 2), 0.0, new MatrixView<double>(y, 4, 2)));
        Assert.Throws<ArgumentOutOfRangeException>("transpose", () => LinearMapBlocks.ApplyColumnByColumn(map, (Transpose)7, 1.0, new ReadOnlyMatrixView<double>(x, 3, 2), 0.0, new MatrixView<double>(y, 4, 2)));
        Assert.Throws<ArgumentException>("x", () => LinearMapBlocks.ApplyColumnByColumn(map, Transpose.Transposed, 1.0, new ReadOnlyMatrixView<double>(x, 3, 2), 0.0, new MatrixView<double>(y, 3, 2)));
    }

    [Fact]
    public void Bad_construction_throws_naming_the_argument()
    {
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => new DenseMap<double>(new double[11], 4, 3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseMap<double>(new double[12], 4, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseMap<double>(new double[12], -1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseMap<double>(new double[12], 4, 3, new BlasOptions { MaxThreads = 0 }));
        Assert.Throws<ArgumentNullException>("matrix", () => new CsrMap<double>(null!));
        Assert.Throws<ArgumentNullException>("apply", () => new DelegateMap<double>(2, 3, null!, (x, y) => { }));
        Assert.Throws<ArgumentNullException>("applyTranspose", () => new DelegateMap<double>(2, 3, (x, y) => { }, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DelegateMap<double>(-2, 3, (x, y) => { }, (x, y) => { }));
    }

    /// <summary>Products allocate nothing after warm-up: scratch comes from the array pool (single-threaded options, so no thread dispatch is measured).</summary>
    [Fact]
    public void Products_do_not_allocate()
    {
        const int m = 30, n = 20, k = 4;
        double[] a = SampleData.Matrix<double>(m, n, 3);
        var dense = new DenseMap<double>(a, m, n, BlasOptions.SingleThreaded);
        var csr = new CsrMap<double>(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, m, n)), BlasOptions.SingleThreaded);
        var maps = new ILinearMap<double>[]
        {
            dense,
            csr,
            new DelegateMap<double>(m, n, (x, y) => dense.Apply(1.0, x, 0.0, y), (x, y) => dense.ApplyTranspose(1.0, x, 0.0, y)),
            new GramOperator<double>(csr, GramForm.AAt, 0.5),
        };
        double[] x = new double[Math.Max(m, n) * k], y = new double[Math.Max(m, n) * k];
        foreach (ILinearMap<double> map in maps)
        {
            int rows = map.Rows, columns = map.Columns;
            // ArrayPool may drop its arrays when a gen-2 collection trims it; the best of three measurements counts.
            long allocated = Enumerable.Range(0, 3).Min(_ => Allocation.Measure(() =>
            {
                map.Apply(2.0, x.AsSpan(0, columns), 0.5, y.AsSpan(0, rows));
                map.ApplyTranspose(2.0, x.AsSpan(0, rows), 0.0, y.AsSpan(0, columns));
                map.Apply(2.0, new ReadOnlyMatrixView<double>(x, columns, k), 0.5, new MatrixView<double>(y, rows, k));
                map.ApplyTranspose(2.0, new ReadOnlyMatrixView<double>(x, rows, k), 0.0, new MatrixView<double>(y, columns, k));
            }));
            Assert.True(allocated == 0, $"{map.GetType().Name}: {allocated} bytes");
        }
    }
}
