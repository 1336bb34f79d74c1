using System.Numerics;
using Kernels.Blas;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Sparse;

/// <summary>
/// <see cref="SparseBlas"/> against dense references: each output element is an exact dot product of a dense row or
/// column (<see cref="Reference.Dot{T}"/>), with the tolerance of a sum of the row's stored terms plus the alpha/beta
/// roundings. Small-integer data makes every result exact, and there the tolerance is zero.
/// </summary>
public sealed class SparseBlasTests
{
    /// <summary>alpha, beta pairs: the plain product, general scalars, accumulation, and alpha = 0. All are dyadic, so
    /// with small-integer data every product stays exact.</summary>
    private static readonly (double Alpha, double Beta)[] Scalars = [(1, 0), (-2, 3), (0.5, 1), (0, -1.5)];

    // ---- SpMV ----------------------------------------------------------------------------------------------

    [KernelProperty]
    public void SpMV_matches_the_dense_product(CsrCase c)
    {
        CheckSpMV<float>(c);
        CheckSpMV<double>(c);
    }

    [Fact]
    public void SpMV_is_right_for_every_row_length()
    {
        foreach (ValueKind kind in new[] { ValueKind.SmallIntegers, ValueKind.Uniform })
        {
            CheckSpMV<float>(RowLengthSweep<float>(kind), kind, 7, "row-length sweep");
            CheckSpMV<double>(RowLengthSweep<double>(kind), kind, 8, "row-length sweep");
        }
    }

    private static void CheckSpMV<T>(CsrCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, dense) = c.Build<T>();
        CheckSpMV((a, dense), c.Kind, c.Seed, c.ToString());
    }

    private static void CheckSpMV<T>((CsrMatrix<T> A, T[] Dense) m, ValueKind kind, int seed, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsrMatrix<T> a = m.A;
        T[] x = SampleData.Vector<T>(a.Columns, kind, seed + 1).ToArray();
        foreach (var (alpha, beta) in Scalars)
        {
            T[] y0 = InitialOutput<T>(a.Rows, kind, seed + 2, beta);
            T[] y = y0.ToArray();
            SparseBlas.SpMV(T.CreateChecked(alpha), a, x, T.CreateChecked(beta), y);
            for (int i = 0; i < a.Rows; i++)
            {
                var (dot, magnitude) = Reference.Dot<T>(m.Dense.AsSpan(i * a.Columns, a.Columns), x);
                int stored = a.RowPointers[i + 1] - a.RowPointers[i];
                AssertOutput(y[i], alpha * dot, Math.Abs(alpha) * magnitude, beta, y0[i], stored, kind,
                    $"SpMV<{typeof(T).Name}> y[{i}] α={alpha} β={beta} {context}");
            }
        }
    }

    // ---- SpMVTranspose -------------------------------------------------------------------------------------

    [KernelProperty]
    public void SpMVTranspose_matches_the_dense_product(CsrCase c)
    {
        CheckSpMVTranspose<float>(c.Build<float>(), c.Kind, c.Seed, c.ToString());
        CheckSpMVTranspose<double>(c.Build<double>(), c.Kind, c.Seed, c.ToString());
    }

    [Fact]
    public void SpMVTranspose_is_right_for_every_row_length()
    {
        foreach (ValueKind kind in new[] { ValueKind.SmallIntegers, ValueKind.Uniform })
        {
            CheckSpMVTranspose<float>(RowLengthSweep<float>(kind), kind, 3, "row-length sweep");
            CheckSpMVTranspose<double>(RowLengthSweep<double>(kind), kind, 4, "row-length sweep");
        }
    }

    private static void CheckSpMVTranspose<T>((CsrMatrix<T> A, T[] Dense) m, ValueKind kind, int seed, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CsrMatrix<T> a = m.A;
        T[] x = SampleData.Vector<T>(a.Rows, kind, seed + 1).ToArray();
        T[] column = new T[a.Rows];
        foreach (var (alpha, beta) in Scalars)
        {
            // The documented weights: alpha·x[i], rounded to T before they multiply the rows.
            T[] weights = x.Select(v => T.CreateChecked(alpha) * v).ToArray();
            T[] y0 = InitialOutput<T>(a.Columns, kind, seed + 2, beta);
            T[] y = y0.ToArray();
            SparseBlas.SpMVTranspose(T.CreateChecked(alpha), a, x, T.CreateChecked(beta), y);
            for (int j = 0; j < a.Columns; j++)
            {
                for (int i = 0; i < a.Rows; i++)
                {
                    column[i] = m.Dense[i * a.Columns + j];
                }
                var (dot, magnitude) = Reference.Dot<T>(column, weights);
                int stored = a.ColumnIndices.Count(j);
                AssertOutput(y[j], dot, magnitude, beta, y0[j], stored, kind, $"SpMVTranspose<{typeof(T).Name}> y[{j}] α={alpha} β={beta} {context}");
            }
        }
    }

    // ---- SpMM ----------------------------------------------------------------------------------------------

    [KernelProperty(MaxTest = 60)]
    public void SpMM_matches_the_dense_product(CsrCase c)
    {
        foreach (int n in new[] { c.Seed % 5, 16, 37 })
        {
            CheckSpMM<float>(c, n);
            CheckSpMM<double>(c, n);
        }
    }

    private static void CheckSpMM<T>(CsrCase c, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (a, dense) = c.Build<T>();
        // Strided views: B and C are blocks of wider buffers whose gaps must survive untouched.
        int strideB = n + 3, strideC = n + 2;
        T[] b = SampleData.Vector<T>(c.Columns * strideB, c.Kind, c.Seed + 1).ToArray();
        var bView = new ReadOnlyMatrixView<T>(b, c.Columns, n, strideB);
        T[] bColumn = new T[c.Columns];
        T gap = T.CreateChecked(-77);
        foreach (var (alpha, beta) in Scalars)
        {
            // The documented coefficients: alpha·A[i, k], rounded to T before they multiply the rows of B.
            T[] scaled = dense.Select(v => T.CreateChecked(alpha) * v).ToArray();
            T[] c0 = InitialOutput<T>(c.Rows * strideC, c.Kind, c.Seed + 2, beta);
            for (int i = 0; i < c.Rows; i++)
            {
                c0.AsSpan(i * strideC + n, strideC - n).Fill(gap);
            }
            T[] result = c0.ToArray();
            SparseBlas.SpMM(T.CreateChecked(alpha), a, bView, T.CreateChecked(beta), new MatrixView<T>(result, c.Rows, n, strideC));
            for (int j = 0; j < n; j++)
            {
                for (int k = 0; k < c.Columns; k++)
                {
                    bColumn[k] = b[k * strideB + j];
                }
                for (int i = 0; i < c.Rows; i++)
                {
                    var (dot, magnitude) = Reference.Dot<T>(scaled.AsSpan(i * c.Columns, c.Columns), bColumn);
                    int stored = a.RowPointers[i + 1] - a.RowPointers[i];
                    AssertOutput(result[i * strideC + j], dot, magnitude, beta, c0[i * strideC + j], stored, c.Kind,
                        $"SpMM<{typeof(T).Name}> C[{i}, {j}] n={n} α={alpha} β={beta} {c}");
                }
            }
            for (int i = 0; i < c.Rows; i++)
            {
                Assert.All(result.AsSpan(i * strideC + n, strideC - n).ToArray(), v => Assert.Equal(gap, v));
            }
        }
    }

    // ---- Shared checks -------------------------------------------------------------------------------------

    /// <summary>The initial output: data, or NaN when beta = 0, which must then be overwritten without being read.</summary>
    private static T[] InitialOutput<T>(int length, ValueKind kind, int seed, double beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] y = SampleData.Vector<T>(length, kind, seed).ToArray();
        if (beta == 0)
        {
            y.AsSpan().Fill(T.NaN);
        }
        return y;
    }

    /// <summary>
    /// Checks <paramref name="product"/> + beta·y0 with the error of a sum of <paramref name="stored"/> products (any
    /// order, fused or not) plus the scaling roundings; small integers leave no rounding at all.
    /// </summary>
    /// <remarks>
    /// Where a kernel rounds a scaled coefficient (alpha·A[i, k] or alpha·x[i]) before multiplying, the caller's
    /// reference uses those rounded coefficients: in the subnormal range that rounding is an absolute error which the
    /// other factor can magnify far beyond the relative tolerance, and it is part of the documented evaluation.
    /// </remarks>
    private static void AssertOutput<T>(T actual, double product, double productMagnitude, double beta, T y0, int stored,
        ValueKind kind, string context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double scaledY = beta == 0 ? 0 : beta * double.CreateChecked(y0);
        double exact = product + scaledY;
        double magnitude = productMagnitude + Math.Abs(scaledY);
        double growth = kind == ValueKind.SmallIntegers ? 0 : stored + 4;
        Tolerance.AssertClose(actual, exact, magnitude, growth, context);
    }

    /// <summary>Rows 0..300 where row r stores r entries at random distinct columns of 400: every tail of the gathered dot.</summary>
    private static (CsrMatrix<T> A, T[] Dense) RowLengthSweep<T>(ValueKind kind) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rows = 301, cols = 400;
        var random = new System.Random(2024);
        var rowIndices = new List<int>();
        var columnIndices = new List<int>();
        var values = new List<T>();
        T[] dense = new T[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            foreach (int col in Enumerable.Range(0, cols).OrderBy(_ => random.Next()).Take(r))
            {
                T v = SampleData.Draw<T>(random, kind);
                rowIndices.Add(r);
                columnIndices.Add(col);
                values.Add(v);
                dense[r * cols + col] = v;
            }
        }
        return (CsrMatrix<T>.FromTriplets(rows, cols, rowIndices.ToArray(), columnIndices.ToArray(), values.ToArray()), dense);
    }

    // ---- Non-finite operands -------------------------------------------------------------------------------

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(17)]
    [InlineData(40)]
    public void Non_finite_x_reaches_only_rows_that_store_its_column(int length)
    {
        // Row 0 stores columns 0..length-1 except `length / 2`; row 1 stores all of them; row 2 stores a zero there.
        int cols = length + 1, hole = length / 2;
        var rowIndices = new List<int>();
        var columnIndices = new List<int>();
        var values = new List<double>();
        for (int j = 0; j < length; j++)
        {
            if (j != hole)
            {
                rowIndices.Add(0);
                columnIndices.Add(j);
                values.Add(1);
            }
            rowIndices.Add(1);
            columnIndices.Add(j);
            values.Add(1);
        }
        rowIndices.Add(2);
        columnIndices.Add(hole);
        values.Add(0);
        var a = CsrMatrix<double>.FromTriplets(3, cols, rowIndices.ToArray(), columnIndices.ToArray(), values.ToArray());

        double[] x = Enumerable.Repeat(1.0, cols).ToArray();
        double[] y = new double[3];
        x[hole] = double.NaN;
        SparseBlas.SpMV(1.0, a, x, 0.0, y);
        Assert.Equal(length - 1, y[0]);
        Assert.True(double.IsNaN(y[1]));
        Assert.True(double.IsNaN(y[2]));

        x[hole] = double.PositiveInfinity;
        SparseBlas.SpMV(1.0, a, x, 0.0, y);
        Assert.Equal(length - 1, y[0]);
        Assert.Equal(double.PositiveInfinity, y[1]);
        Assert.True(double.IsNaN(y[2]), "a stored zero times infinity is NaN");
    }

    // ---- Threads ------------------------------------------------------------------------------------------------

    [Fact]
    public void Threaded_SpMV_gives_the_same_bits_as_one_thread()
    {
        // Rows of very different lengths (empty, short, long) so that the entry-balanced split lands mid-matrix.
        var random = new System.Random(17);
        const int rows = 997, cols = 640;
        var r = new List<int>();
        var c = new List<int>();
        var v = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            int count = i % 7 == 0 ? 0 : i % 11 == 0 ? 300 : random.Next(1, 9);
            foreach (int j in Enumerable.Range(0, cols).OrderBy(_ => random.Next()).Take(count))
            {
                r.Add(i);
                c.Add(j);
                v.Add(random.NextDouble() * 2 - 1);
            }
        }
        var a = CsrMatrix<double>.FromTriplets(rows, cols, r.ToArray(), c.ToArray(), v.ToArray());
        double[] x = SampleData.Vector<double>(cols, ValueKind.Uniform, 18).ToArray();
        double[] y0 = SampleData.Vector<double>(rows, ValueKind.Uniform, 19).ToArray();
        double[] serial = y0.ToArray();
        SparseBlas.SpMV(0.75, a, x, -1.5, serial, BlasOptions.SingleThreaded);
        foreach (int threads in new[] { 2, 3, 4, 64 })
        {
            double[] parallel = y0.ToArray();
            SparseBlas.SpMV(0.75, a, x, -1.5, parallel, new BlasOptions { MaxThreads = threads, ParallelThreshold = 0 });
            Assert.Equal(serial, parallel);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => SparseBlas.SpMV(1.0, a, x, 0.0, serial, new BlasOptions { MaxThreads = 0 }));
    }

    // ---- Allocation ----------------------------------------------------------------------------------------

    [Fact]
    public void Products_do_not_allocate()
    {
        CsrMatrix<float> a = Square(40);
        float[] x = SampleData.Vector<float>(40, ValueKind.Uniform, 1).ToArray();
        float[] y = new float[40];
        float[] b = SampleData.Vector<float>(40 * 9, ValueKind.Uniform, 2).ToArray();
        float[] c = new float[40 * 9];
        long allocated = Allocation.Measure(() =>
        {
            SparseBlas.SpMV(1f, a, x, 0.5f, y);
            SparseBlas.SpMVTranspose(2f, a, x, 0f, y);
            SparseBlas.SpMM(1f, a, new ReadOnlyMatrixView<float>(b, 40, 9), 1f, new MatrixView<float>(c, 40, 9));
        });
        Assert.Equal(0, allocated);
    }

    // ---- Validation ----------------------------------------------------------------------------------------

    private static CsrMatrix<float> Square(int n) =>
        CsrMatrix<float>.FromDense(new ReadOnlyMatrixView<float>(SampleData.Matrix<float>(n, n, n), n, n));

    [Fact]
    public void SpMV_validates_before_writing()
    {
        CsrMatrix<float> a = Square(20);
        CsrMatrix<float> wide = CsrMatrix<float>.FromDense(new ReadOnlyMatrixView<float>(SampleData.Matrix<float>(20, 30, 1), 20, 30));
        float[] buffer = SampleData.Vector<float>(100, ValueKind.Uniform, 5).ToArray();
        float[] snapshot = buffer.ToArray();
        var x = buffer.AsMemory(0, 20);
        var y = buffer.AsMemory(50, 20);

        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => SparseBlas.SpMV(1f, null!, x.Span, 0f, y.Span)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SparseBlas.SpMV(1f, a, buffer.AsSpan(0, 19), 0f, y.Span)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SparseBlas.SpMV(1f, a, x.Span, 0f, buffer.AsSpan(50, 21))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SparseBlas.SpMV(1f, wide, x.Span, 0f, y.Span)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SparseBlas.SpMV(1f, a, x.Span, 0f, x.Span)).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SparseBlas.SpMV(1f, a, x.Span, 0f, buffer.AsSpan(7, 20))).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => SparseBlas.SpMV(float.NaN, a, x.Span, 0f, y.Span)).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => SparseBlas.SpMV(1f, a, x.Span, float.PositiveInfinity, y.Span)).ParamName);
        Assert.Equal(snapshot, buffer);
    }

    [Fact]
    public void SpMVTranspose_validates_before_writing()
    {
        CsrMatrix<float> tall = CsrMatrix<float>.FromDense(new ReadOnlyMatrixView<float>(SampleData.Matrix<float>(30, 20, 2), 30, 20));
        CsrMatrix<float> a = Square(20);
        float[] buffer = SampleData.Vector<float>(100, ValueKind.Uniform, 6).ToArray();
        float[] snapshot = buffer.ToArray();

        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() => SparseBlas.SpMVTranspose(1f, null!, buffer.AsSpan(0, 20), 0f, buffer.AsSpan(50, 20))).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => SparseBlas.SpMVTranspose(1f, tall, buffer.AsSpan(0, 20), 0f, buffer.AsSpan(50, 20))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SparseBlas.SpMVTranspose(1f, tall, buffer.AsSpan(0, 30), 0f, buffer.AsSpan(50, 30))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SparseBlas.SpMVTranspose(1f, a, buffer.AsSpan(0, 20), 0f, buffer.AsSpan(0, 20))).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => SparseBlas.SpMVTranspose(1f, a, buffer.AsSpan(0, 20), 2f, buffer.AsSpan(19, 20))).ParamName);
        Assert.Equal("beta", Assert.Throws<ArgumentOutOfRangeException>(() => SparseBlas.SpMVTranspose(1f, a, buffer.AsSpan(0, 20), float.NaN, buffer.AsSpan(50, 20))).ParamName);
        Assert.Equal(snapshot, buffer);
    }

    [Fact]
    public void SpMM_validates_before_writing()
    {
        CsrMatrix<double> a = CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(SampleData.Matrix<double>(6, 4, 3), 6, 4));
        double[] buffer = SampleData.Vector<double>(200, ValueKind.Uniform, 7).ToArray();
        double[] snapshot = buffer.ToArray();

        Assert.Equal("a", Assert.Throws<ArgumentNullException>(() =>
            SparseBlas.SpMM(1.0, null!, new ReadOnlyMatrixView<double>(buffer.AsSpan(0, 20), 4, 5), 0.0, new MatrixView<double>(buffer.AsSpan(100, 30), 6, 5))).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() =>
            SparseBlas.SpMM(1.0, a, new ReadOnlyMatrixView<double>(buffer.AsSpan(0, 25), 5, 5), 0.0, new MatrixView<double>(buffer.AsSpan(100, 30), 6, 5))).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() =>
            SparseBlas.SpMM(1.0, a, new ReadOnlyMatrixView<double>(buffer.AsSpan(0, 20), 4, 5), 0.0, new MatrixView<double>(buffer.AsSpan(100, 30), 5, 6))).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() =>
            SparseBlas.SpMM(1.0, a, new ReadOnlyMatrixView<double>(buffer.AsSpan(0, 20), 4, 5), 0.0, new MatrixView<double>(buffer.AsSpan(100, 24), 6, 4))).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() =>
            SparseBlas.SpMM(1.0, a, new ReadOnlyMatrixView<double>(buffer.AsSpan(0, 20), 4, 5), 0.0, new MatrixView<double>(buffer.AsSpan(15, 30), 6, 5))).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() =>
            SparseBlas.SpMM(double.NegativeInfinity, a, new ReadOnlyMatrixView<double>(buffer.AsSpan(0, 20), 4, 5), 0.0, new MatrixView<double>(buffer.AsSpan(100, 30), 6, 5))).ParamName);
        Assert.Equal(snapshot, buffer);
    }

    [Fact]
    public void SpMM_accepts_C_interleaved_with_B_in_one_parent_without_shared_elements()
    {
        // B and C are side-by-side column blocks of one 4×6 parent (stride 6): their memory ranges interleave,
        // but they share no element, so the product is legal.
        var a = new CsrMatrix<double>(4, 4, [0, 1, 2, 3, 4], [0, 1, 2, 3], [1, 2, 3, 4]);
        double[] parent = new double[4 * 6];
        for (int i = 0; i < 4; i++)
        {
            parent[i * 6] = i + 1;
            parent[i * 6 + 1] = 10 * (i + 1);
        }
        var b = new ReadOnlyMatrixView<double>(parent, 4, 2, 6);
        var c = new MatrixView<double>(parent.AsSpan(3), 4, 2, 6);
        SparseBlas.SpMM(1.0, a, b, 0.0, c);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal((i + 1) * (i + 1), parent[i * 6 + 3]);
            Assert.Equal(10 * (i + 1) * (i + 1), parent[i * 6 + 4]);
        }
    }
}
