using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>
/// Every operator against its definition (<see cref="SketchReference"/>): the materialized matrix bit for bit, and
/// every product — vector, dense, CSR, implicit, transposed — against the reference product in double.
/// </summary>
public sealed class SketchOperatorTests
{
    [KernelProperty(MaxTest = 60)]
    public void Materialized_matrix_is_the_definition(SketchCase c)
    {
        Check<float>(c);
        Check<double>(c);

        static void Check<T>(SketchCase c) where T : unmanaged, IFloatingPointIeee754<T>
        {
            ISketch<T> sketch = c.Sketch<T>();
            var dense = new T[sketch.Rows * sketch.Columns];
            sketch.ToDense(new MatrixView<T>(dense, sketch.Rows, sketch.Columns));
            SketchReference.AssertIdentical<T>(SketchReference.Matrix(sketch), dense, $"{c} {typeof(T).Name} ToDense");
        }
    }

    [KernelProperty(MaxTest = 60)]
    public void Products_equal_the_reference_products(SketchCase c)
    {
        Check<float>(c);
        Check<double>(c);

        static void Check<T>(SketchCase c) where T : unmanaged, IFloatingPointIeee754<T>
        {
            ISketch<T> sketch = c.Sketch<T>();
            int s = sketch.Rows, n = sketch.Columns, d = c.Width;
            T[] m = SketchReference.Matrix(sketch);
            string name = $"{c} {typeof(T).Name}";

            T[] x = SampleData.Vector<T>(n, ValueKind.Uniform, c.Seed).ToArray();
            var sx = new T[s];
            sketch.Apply(x, sx);
            SketchReference.AssertProduct<T>(m, s, n, false, x, 1, sx, 1, $"{name} S·x");

            T[] y = SampleData.Vector<T>(s, ValueKind.Uniform, c.Seed + 1).ToArray();
            var sty = new T[n];
            sketch.ApplyTranspose(y, sty);
            SketchReference.AssertProduct<T>(m, s, n, true, y, 1, sty, 1, $"{name} Sᵀ·y");

            // A dense A with spare stride columns (NaN, which must never be read) and a strided destination.
            var csr = new CsrCase(n, d, 30, ValueKind.Uniform, c.Seed + 2);
            var (sparse, a) = csr.Build<T>();
            int stride = d + 3;
            var strided = new T[n * stride];
            Array.Fill(strided, T.NaN);
            for (int r = 0; r < n; r++)
            {
                a.AsSpan(r * d, d).CopyTo(strided.AsSpan(r * stride));
            }
            var sa = new T[s * stride];
            sketch.Apply(new ReadOnlyMatrixView<T>(strided, n, d, stride), new MatrixView<T>(sa, s, d, stride));
            SketchReference.AssertProduct<T>(m, s, n, false, a, d, sa, stride, $"{name} S·A dense");

            var fromSparse = new T[s * d];
            sketch.Apply(sparse, new MatrixView<T>(fromSparse, s, d));
            SketchReference.AssertProduct<T>(m, s, n, false, a, d, fromSparse, d, $"{name} S·A CSR");

            // A general map goes through Aᵀ·Sᵀ in blocks; dense and CSR maps take the paths above.
            var fromMap = new T[s * d];
            sketch.Apply(new OpaqueMap<T>(a, n, d), new MatrixView<T>(fromMap, s, d));
            SketchReference.AssertProduct<T>(m, s, n, false, a, d, fromMap, d, $"{name} S·A general map");
            sketch.Apply(new CsrMap<T>(sparse), new MatrixView<T>(fromMap, s, d));
            SketchReference.AssertProduct<T>(m, s, n, false, a, d, fromMap, d, $"{name} S·A CSR map");
            sketch.Apply(new DenseMap<T>(a, n, d), new MatrixView<T>(fromMap, s, d));
            SketchReference.AssertProduct<T>(m, s, n, false, a, d, fromMap, d, $"{name} S·A dense map");

            T[] ys = SampleData.Matrix<T>(s, d, c.Seed + 3);
            var stys = new T[n * d];
            sketch.ApplyTranspose(new ReadOnlyMatrixView<T>(ys, s, d), new MatrixView<T>(stys, n, d));
            SketchReference.AssertProduct<T>(m, s, n, true, ys, d, stys, d, $"{name} Sᵀ·Y");
        }
    }

    [Fact]
    public void Count_sketch_is_the_sparse_embedding_with_one_nonzero_per_column()
    {
        var count = new CountSketchDistribution(17, 300).Sample<double>(99);
        var osnap = new SparseEmbeddingDistribution(17, 300, 1).Sample<double>(99);
        var a = new double[17 * 300];
        var b = new double[17 * 300];
        count.ToDense(new MatrixView<double>(a, 17, 300));
        osnap.ToDense(new MatrixView<double>(b, 17, 300));
        Assert.Equal(a, b);
    }

    [Fact]
    public void Sparse_embedding_columns_have_one_nonzero_per_block()
    {
        var dist = new SparseEmbeddingDistribution(23, 500, 4);
        var sketch = dist.Sample<float>(5);
        var m = new float[23 * 500];
        sketch.ToDense(new MatrixView<float>(m, 23, 500));
        for (int j = 0; j < 500; j++)
        {
            for (int b = 0; b < 4; b++)
            {
                int start = b * 23 / 4, end = (b + 1) * 23 / 4;
                var nonzeros = Enumerable.Range(start, end - start).Where(i => m[i * 500 + j] != 0).ToArray();
                Assert.Single(nonzeros);
                Assert.Equal(0.5f, Math.Abs(m[nonzeros[0] * 500 + j]));
            }
        }
    }

    [Fact]
    public void Sketching_an_empty_or_zero_matrix_gives_zeros()
    {
        foreach (SketchKind kind in Enum.GetValues<SketchKind>())
        {
            ISketch<double> sketch = SketchCase.Of(kind, 5, 33).Sample<double>(1);
            var destination = new double[5 * 4];
            Array.Fill(destination, double.NaN);
            sketch.Apply(new CsrMatrix<double>(33, 4, new int[34], [], []), new MatrixView<double>(destination, 5, 4));
            Assert.All(destination, v => Assert.Equal(0.0, v));
            sketch.Apply(new ReadOnlyMatrixView<double>(Array.Empty<double>(), 33, 0), new MatrixView<double>(Array.Empty<double>(), 5, 0));
        }
    }

    [Fact]
    public void CountSketch_is_OSNAP_with_one_nonzero_per_column()
    {
        ISketch<double> countSketch = new CountSketchDistribution(7, 30).Sample<double>(9);
        ISketch<double> osnap = new SparseEmbeddingDistribution(7, 30, 1).Sample<double>(9);
        Assert.IsAssignableFrom<SparseEmbedding<double>>(countSketch);
        double[] a = new double[7 * 30], b = new double[7 * 30];
        countSketch.ToDense(new MatrixView<double>(a, 7, 30));
        osnap.ToDense(new MatrixView<double>(b, 7, 30));
        Assert.Equal(b, a);
        Assert.Equal(30, a.Count(v => v != 0));
    }
}
