using System.Numerics;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>Gemm against the textbook triple loop (small), a random-probe residual (large), and its contracts.</summary>
public sealed partial class Level3Tests
{
    [KernelProperty(MaxTest = 120)]
    public void Gemm_matches_the_triple_loop(MatrixCase c, bool useBeta)
    {
        CheckAgainstTripleLoop<float>(c, useBeta ? 0.5f : 0f, alpha: 1.25f);
        CheckAgainstTripleLoop<double>(c, useBeta ? -2.0 : 0.0, alpha: -0.75);
    }

    [Fact]
    public void Gemm_matches_the_triple_loop_around_every_tile_edge()
    {
        // Shapes that straddle the 12 × 32 (float) / 12 × 16 (double) micro-tiles and the blocking edges.
        int[] sizes = [1, 2, 11, 12, 13, 16, 17, 23, 24, 25, 31, 32, 33, 63, 65];
        int seed = 0;
        foreach (int m in sizes)
        {
            foreach (int n in sizes)
            {
                var c = new MatrixCase(m, n, (m + 2 * n) % 37 + 1, seed % 3, (Transpose)(seed % 2), (Transpose)(seed / 2 % 2), seed);
                CheckAgainstTripleLoop<float>(c, 0.5f, 1f);
                CheckAgainstTripleLoop<double>(c, 0.0, 2.0);
                seed++;
            }
        }
    }

    private static void CheckAgainstTripleLoop<T>(MatrixCase c, T beta, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] a = c.Stored<T>(c.StoredA, 1, out int lda);
        T[] b = c.Stored<T>(c.StoredB, 2, out int ldb);
        int ldc = c.Columns + c.ExtraStride;
        T[] cData = c.Stored<T>((c.Rows, c.Columns), 3, out _);
        if (beta == T.Zero)
        {
            // beta = 0 means C is not read: fill it with NaN to prove it.
            Array.Fill(cData, T.NaN);
        }
        T[] before = cData.ToArray();
        Level3.Gemm(c.TransA, c.TransB, alpha,
            new ReadOnlyMatrixView<T>(a, c.StoredA.Rows, c.StoredA.Columns, lda),
            new ReadOnlyMatrixView<T>(b, c.StoredB.Rows, c.StoredB.Columns, ldb),
            beta, new MatrixView<T>(cData, c.Rows, c.Columns, ldc));

        double al = double.CreateChecked(alpha), be = double.CreateChecked(beta);
        for (int i = 0; i < c.Rows; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                T actual = cData[i * ldc + j];
                if (j >= c.Columns)
                {
                    Tolerance.AssertIdentical(before[i * ldc + j], actual, $"padding C[{i},{j}] written, {c}");
                    continue;
                }
                var (dot, magnitude) = Reference.ProductElement<T>(a, lda, c.TransA == Transpose.Transposed, b, ldb, c.TransB == Transpose.Transposed, c.Depth, i, j);
                double old = be == 0 ? 0 : double.CreateChecked(before[i * ldc + j]);
                double exact = al * dot + be * old;
                Tolerance.AssertClose(actual, exact, Math.Abs(al) * magnitude + Math.Abs(be * old), c.Depth + 4, $"C[{i},{j}] {c}");
            }
        }
    }

    [Theory]
    [InlineData(700, 500, 300, 0, 0)]
    [InlineData(517, 1031, 389, 1, 0)]
    [InlineData(1100, 333, 777, 0, 1)]
    [InlineData(64, 2000, 1500, 1, 1)]
    public void Large_products_pass_a_random_probe_residual(int m, int n, int k, int ta, int tb)
    {
        ProbeResidual<float>(m, n, k, (Transpose)ta, (Transpose)tb);
        ProbeResidual<double>(m, n, k, (Transpose)ta, (Transpose)tb);
    }

    /// <summary>
    /// Freivalds-style check: for a random v, (C·v)_i must equal (A·(B·v))_i within the rounding bound of a
    /// length-k dot product. A wrong element C_ij is missed only if v_j happens to hide it, which a dense
    /// uniform v makes vanishingly unlikely; two independent probes are used.
    /// </summary>
    private static void ProbeResidual<T>(int m, int n, int k, Transpose ta, Transpose tb) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shapeA = ta == Transpose.None ? (m, k) : (k, m);
        var shapeB = tb == Transpose.None ? (k, n) : (n, k);
        T[] a = SampleData.Matrix<T>(shapeA.Item1, shapeA.Item2, m + 1);
        T[] b = SampleData.Matrix<T>(shapeB.Item1, shapeB.Item2, n + 2);
        T[] c = new T[m * n];
        Level3.Gemm(ta, tb, T.One, new ReadOnlyMatrixView<T>(a, shapeA.Item1, shapeA.Item2), new ReadOnlyMatrixView<T>(b, shapeB.Item1, shapeB.Item2),
            T.Zero, new MatrixView<T>(c, m, n));

        double A(int i, int p) => double.CreateChecked(ta == Transpose.None ? a[i * k + p] : a[p * m + i]);
        double B(int p, int j) => double.CreateChecked(tb == Transpose.None ? b[p * n + j] : b[j * k + p]);
        for (int probe = 0; probe < 2; probe++)
        {
            double[] v = SampleData.Vector<double>(n, ValueKind.Uniform, 17 + probe).ToArray();
            double[] bv = new double[k], bvAbs = new double[k];
            for (int p = 0; p < k; p++)
            {
                for (int j = 0; j < n; j++)
                {
                    bv[p] += B(p, j) * v[j];
                    bvAbs[p] += Math.Abs(B(p, j) * v[j]);
                }
            }
            for (int i = 0; i < m; i++)
            {
                double expected = 0, bound = 0, cv = 0;
                for (int p = 0; p < k; p++)
                {
                    expected += A(i, p) * bv[p];
                    bound += Math.Abs(A(i, p)) * bvAbs[p];
                }
                for (int j = 0; j < n; j++)
                {
                    cv += double.CreateChecked(c[i * n + j]) * v[j];
                }
                // Each C_ij carries at most (k+2)ε·Σ|a||b| of rounding; weighted by |v_j| and summed, that is (k+2)ε·bound.
                double tolerance = (k + 2) * Tolerance.Epsilon<T>() * bound + 1e-12 * bound;
                Assert.True(Math.Abs(cv - expected) <= tolerance,
                    $"probe {probe}, row {i}: (Cv)_i = {cv:R}, (A(Bv))_i = {expected:R}, tolerance {tolerance:E2} ({m}×{k}·{k}×{n} {ta}/{tb} {typeof(T).Name})");
            }
        }
    }

    [Fact]
    public void Results_are_bitwise_identical_for_every_thread_count()
    {
        foreach (var (m, n, k) in new[] { (300, 257, 129), (37, 900, 200), (1000, 40, 64) })
        {
            float[] a = SampleData.Matrix<float>(m, k, 1), b = SampleData.Matrix<float>(k, n, 2);
            float[] reference = new float[m * n];
            Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, m, k), new ReadOnlyMatrixView<float>(b, k, n),
                0f, new MatrixView<float>(reference, m, n), BlasOptions.SingleThreaded);
            foreach (int threads in new[] { 2, 3, 4 })
            {
                float[] c = new float[m * n];
                var options = new BlasOptions { MaxThreads = threads, ParallelThreshold = 0 };
                Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, m, k), new ReadOnlyMatrixView<float>(b, k, n),
                    0f, new MatrixView<float>(c, m, n), options);
                Assert.Equal(reference, c);
            }
        }
    }

    [Fact]
    public void A_virtual_panel_source_gives_the_same_bits_as_its_dense_copy()
    {
        const int m = 45, n = 70, k = 33;
        var virtualB = new FormulaSource(k, n);
        double[] dense = new double[k * n];
        for (int p = 0; p < k; p++)
        {
            for (int j = 0; j < n; j++)
            {
                dense[p * n + j] = FormulaSource.Entry(p, j);
            }
        }
        double[] a = SampleData.Matrix<double>(m, k, 5);
        double[] viaSource = new double[m * n], viaDense = new double[m * n];
        Level3.Gemm(1.0, new DenseMatrixSource<double>(a, m, k), virtualB, 0.0, new MatrixView<double>(viaSource, m, n));
        Level3.Gemm(Transpose.None, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(a, m, k), new ReadOnlyMatrixView<double>(dense, k, n),
            0.0, new MatrixView<double>(viaDense, m, n));
        Assert.Equal(viaDense, viaSource);
    }

    /// <summary>A matrix that exists only as a formula, packed on demand.</summary>
    private readonly struct FormulaSource(int rows, int columns) : IPanelSource<double>
    {
        public static double Entry(int i, int j) => Math.Sin(i * 0.37 + j * 1.3) * (1 + (i ^ j) % 3);

        public int Rows => rows;

        public int Columns => columns;

        public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<double> destination)
        {
            int panels = (rowCount + panelRows - 1) / panelRows;
            for (int p = 0; p < panels; p++)
            {
                for (int c = 0; c < columnCount; c++)
                {
                    for (int r = 0; r < panelRows; r++)
                    {
                        int i = row + p * panelRows + r;
                        destination[(p * columnCount + c) * panelRows + r] = i < row + rowCount ? Entry(i, column + c) : 0;
                    }
                }
            }
        }

        public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<double> destination)
        {
            int panels = (columnCount + panelColumns - 1) / panelColumns;
            for (int p = 0; p < panels; p++)
            {
                for (int r = 0; r < rowCount; r++)
                {
                    for (int c = 0; c < panelColumns; c++)
                    {
                        int j = column + p * panelColumns + c;
                        destination[(p * rowCount + r) * panelColumns + c] = j < column + columnCount ? Entry(row + r, j) : 0;
                    }
                }
            }
        }
    }

    [Fact]
    public void Empty_inner_dimension_scales_C_by_beta()
    {
        float[] c = [1, 2, 3, 4, 5, 6];
        Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>([], 2, 0), new ReadOnlyMatrixView<float>([], 0, 3),
            3f, new MatrixView<float>(c, 2, 3));
        Assert.Equal([3f, 6, 9, 12, 15, 18], c);
        float[] nan = [float.NaN, float.NaN];
        Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>([], 1, 0), new ReadOnlyMatrixView<float>([], 0, 2),
            0f, new MatrixView<float>(nan, 1, 2));
        Assert.Equal([0f, 0f], nan);
    }

    [Fact]
    public void NaN_and_infinity_propagate_to_the_rows_and_columns_they_touch()
    {
        const int m = 30, n = 40, k = 20;
        double[] a = SampleData.Matrix<double>(m, k, 1), b = SampleData.Matrix<double>(k, n, 2), c = new double[m * n];
        a[7 * k + 3] = double.NaN;            // row 7 of C becomes NaN
        b[5 * n + 11] = double.PositiveInfinity; // column 11 becomes ±∞ (or NaN in row 7)
        Level3.Gemm(Transpose.None, Transpose.None, 1.0, new ReadOnlyMatrixView<double>(a, m, k), new ReadOnlyMatrixView<double>(b, k, n),
            0.0, new MatrixView<double>(c, m, n));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double v = c[i * n + j];
                if (i == 7)
                {
                    Assert.True(double.IsNaN(v));
                }
                else if (j == 11)
                {
                    Assert.True(double.IsInfinity(v));
                }
                else
                {
                    Assert.True(double.IsFinite(v));
                }
            }
        }
    }

    [Fact]
    public void Shape_mismatches_and_bad_scalars_throw_naming_the_argument()
    {
        float[] a = new float[12], b = new float[12], c = new float[12];
        var av = new ReadOnlyMatrixView<float>(a, 3, 4);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() =>
            Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, 3, 4), new ReadOnlyMatrixView<float>(b, 3, 4), 0f, new MatrixView<float>(c, 3, 4))).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() =>
            Level3.Gemm(Transpose.None, Transpose.None, 1f, new ReadOnlyMatrixView<float>(a, 3, 4), new ReadOnlyMatrixView<float>(b, 4, 3), 0f, new MatrixView<float>(c, 4, 3))).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Level3.Gemm(Transpose.None, Transpose.Transposed, float.NaN, new ReadOnlyMatrixView<float>(a, 3, 4), new ReadOnlyMatrixView<float>(b, 3, 4), 0f, new MatrixView<float>(c, 3, 3))).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(a, 3, 4), new ReadOnlyMatrixView<float>(b, 3, 4), float.PositiveInfinity, new MatrixView<float>(c, 3, 3))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Level3.Gemm(Transpose.None, Transpose.Transposed, 1f, new ReadOnlyMatrixView<float>(a, 3, 4), new ReadOnlyMatrixView<float>(b, 3, 4), 0f, new MatrixView<float>(c, 3, 3),
                new BlasOptions { MaxThreads = 0 }));
    }

    [Fact]
    public void C_may_not_alias_an_operand_but_disjoint_blocks_of_one_matrix_are_fine()
    {
        // One 8 × 8 parent: A = columns 0..3, C = columns 4..7 of rows 0..3; they interleave in memory but share no element.
        float[] parent = SampleData.Matrix<float>(8, 8, 3);
        float[] b = SampleData.Matrix<float>(4, 4, 4);
        var whole = new MatrixView<float>(parent, 8, 8);
        float[] expected = new float[16];
        Level3.Gemm(Transpose.None, Transpose.None, 1f, whole.Slice(0, 0, 4, 4), new ReadOnlyMatrixView<float>(b, 4, 4), 0f, new MatrixView<float>(expected, 4, 4));
        Level3.Gemm(Transpose.None, Transpose.None, 1f, whole.Slice(0, 0, 4, 4), new ReadOnlyMatrixView<float>(b, 4, 4), 0f, whole.Slice(0, 4, 4, 4));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(expected.AsSpan(i * 4, 4).ToArray(), parent.AsSpan(i * 8 + 4, 4).ToArray());
        }

        var ex = Assert.Throws<ArgumentException>(() =>
        {
            var parentView = new MatrixView<float>(parent, 8, 8);
            Level3.Gemm(Transpose.None, Transpose.None, 1f, parentView.Slice(0, 0, 4, 4), new ReadOnlyMatrixView<float>(b, 4, 4), 0f, parentView.Slice(2, 2, 4, 4));
        });
        Assert.Equal("c", ex.ParamName);
        // The row below the A block in the first columns wraps into A's memory range but shares no element: allowed.
        Level3.Gemm(Transpose.None, Transpose.None, 1f, whole.Slice(0, 4, 3, 4), new ReadOnlyMatrixView<float>(b, 4, 4), 0f, whole.Slice(3, 0, 3, 4));
    }

    [Fact]
    public void Odd_cache_blocks_exercise_every_block_edge_and_stay_correct()
    {
        // Blocks far smaller than the defaults and not multiples of the micro-tile: many partial MC, KC and NC
        // blocks, several depth passes (beta applied once), and edge tiles everywhere.
        var options = new BlasOptions { Blocking = new GemmBlocking(RowBlock: 13, DepthBlock: 5, ColumnBlock: 33), MaxThreads = 2, ParallelThreshold = 0 };
        foreach (var (m, n, k) in new[] { (40, 70, 23), (1, 100, 11), (29, 1, 17) })
        {
            double[] a = SampleData.Matrix<double>(m, k, 1), b = SampleData.Matrix<double>(k, n, 2);
            double[] c = SampleData.Matrix<double>(m, n, 3), before = c.ToArray();
            Level3.Gemm(Transpose.None, Transpose.None, 2.0, new ReadOnlyMatrixView<double>(a, m, k), new ReadOnlyMatrixView<double>(b, k, n),
                -0.5, new MatrixView<double>(c, m, n), options);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    var (dot, magnitude) = Reference.ProductElement<double>(a, k, false, b, n, false, k, i, j);
                    Tolerance.AssertClose(c[i * n + j], 2 * dot - 0.5 * before[i * n + j], 2 * magnitude + 0.5 * Math.Abs(before[i * n + j]), k + 4,
                        $"C[{i},{j}] of {m}×{k}·{k}×{n}");
                }
            }
        }
    }

    [Fact]
    public void Dense_matrix_sources_match_the_view_entry_point_bit_for_bit()
    {
        const int m = 37, n = 50, k = 29;
        foreach (var (ta, tb) in new[] { (Transpose.None, Transpose.None), (Transpose.Transposed, Transpose.None), (Transpose.None, Transpose.Transposed), (Transpose.Transposed, Transpose.Transposed) })
        {
            var c = new MatrixCase(m, n, k, 3, ta, tb, 9);
            float[] a = c.Stored<float>(c.StoredA, 1, out int lda), b = c.Stored<float>(c.StoredB, 2, out int ldb);
            float[] viaViews = new float[m * n], viaSources = new float[m * n];
            Level3.Gemm(ta, tb, 1f, new ReadOnlyMatrixView<float>(a, c.StoredA.Rows, c.StoredA.Columns, lda),
                new ReadOnlyMatrixView<float>(b, c.StoredB.Rows, c.StoredB.Columns, ldb), 0f, new MatrixView<float>(viaViews, m, n));
            Level3.Gemm(1f, new DenseMatrixSource<float>(a, c.StoredA.Rows, c.StoredA.Columns, lda, ta),
                new DenseMatrixSource<float>(b, c.StoredB.Rows, c.StoredB.Columns, ldb, tb), 0f, new MatrixView<float>(viaSources, m, n));
            Assert.Equal(viaViews, viaSources);
        }
    }

    [Fact]
    public void Options_and_sources_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlasOptions { ParallelThreshold = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new GemmBlocking(0, 1, 1).Validate());
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new DenseMatrixSource<float>(new float[5], 2, 3)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DenseMatrixSource<float>(new float[9], 3, 3, 2));
        var ex = Assert.Throws<ArgumentException>(() =>
            Level3.Gemm(1f, new DenseMatrixSource<float>(new float[6], 2, 3), new DenseMatrixSource<float>(new float[6], 2, 3), 0f, new MatrixView<float>(new float[9], 3, 3)));
        Assert.Equal("b", ex.ParamName);
    }
}
