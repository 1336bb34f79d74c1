using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kernels.Blas;
using Kernels.Sparse;

namespace Kernels.Bench.Micro;

// Inside the namespace, so that MathNet's Matrix<T> wins over the globally imported Kernels.Core.Matrix<T>.
using MathNet.Numerics.LinearAlgebra;

/// <summary>
/// Sparse kernels on an N × N float matrix with 32 stored entries per row at random columns (about 131 k entries),
/// against scalar CSR loops and MathNet.Numerics' sparse matrix. Gather and ScatterAdd use the matrix's column
/// indices, the access pattern of a CSR product.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SparseBenchmarks
{
    private const int EntriesPerRow = 32;

    /// <summary>Columns of the dense B and C in the SpMM benchmarks.</summary>
    private const int DenseColumns = 64;

    private CsrMatrix<float> _a = null!;
    private int[] _rowPointers = null!;
    private int[] _columnIndices = null!;
    private float[] _values = null!;
    private Matrix<float> _mathNetA = null!;
    private float[] _x = null!;
    private float[] _y = null!;
    private float[] _b = null!;
    private float[] _c = null!;
    private float[] _gathered = null!;
    private Vector<float> _mathNetX = null!;
    private Vector<float> _mathNetY = null!;
    private Matrix<float> _mathNetB = null!;
    private Matrix<float> _mathNetC = null!;

    /// <summary>Rows and columns of A: one vector-aligned size and one odd size.</summary>
    [Params(4096, 4099)]
    public int N { get; set; }

    /// <summary>Builds the seeded matrix and operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(42);
        var rows = new int[N * EntriesPerRow];
        var cols = new int[N * EntriesPerRow];
        var vals = new float[N * EntriesPerRow];
        for (int r = 0, k = 0; r < N; r++)
        {
            foreach (int c in Enumerable.Range(0, N).OrderBy(_ => random.Next()).Take(EntriesPerRow))
            {
                rows[k] = r;
                cols[k] = c;
                vals[k] = (float)(random.NextDouble() * 2 - 1);
                k++;
            }
        }
        _a = CsrMatrix<float>.FromTriplets(N, N, rows, cols, vals);
        _rowPointers = _a.RowPointers.ToArray();
        _columnIndices = _a.ColumnIndices.ToArray();
        _values = _a.Values.ToArray();
        _mathNetA = Matrix<float>.Build.SparseFromCompressedSparseRowFormat(N, N, _values.Length, _rowPointers, _columnIndices, _values);

        _x = Enumerable.Range(0, N).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        _y = new float[N];
        _b = Enumerable.Range(0, N * DenseColumns).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        _c = new float[N * DenseColumns];
        _gathered = new float[_columnIndices.Length];
        _mathNetX = Vector<float>.Build.DenseOfArray(_x);
        _mathNetY = Vector<float>.Build.Dense(N);
        _mathNetB = Matrix<float>.Build.DenseOfRowMajor(N, DenseColumns, _b);
        _mathNetC = Matrix<float>.Build.Dense(N, DenseColumns);
    }

    // ---- SpMV: y ← A·x -----------------------------------------------------------------------------------

    /// <summary>Textbook CSR loop: one scalar dot product per row.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("SpMV")]
    public float SpMVScalar()
    {
        for (int r = 0; r < N; r++)
        {
            float sum = 0;
            for (int k = _rowPointers[r]; k < _rowPointers[r + 1]; k++)
            {
                sum += _values[k] * _x[_columnIndices[k]];
            }
            _y[r] = sum;
        }
        return _y[N - 1];
    }

    /// <summary>MathNet.Numerics sparse matrix times dense vector.</summary>
    [Benchmark, BenchmarkCategory("SpMV")]
    public float SpMVMathNet()
    {
        _mathNetA.Multiply(_mathNetX, _mathNetY);
        return _mathNetY[N - 1];
    }

    /// <summary><see cref="SparseBlas.SpMV{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("SpMV")]
    public float SpMVKernels()
    {
        SparseBlas.SpMV(1f, _a, _x, 0f, _y);
        return _y[N - 1];
    }

    // ---- SpMVTranspose: y ← Aᵀ·x --------------------------------------------------------------------------

    /// <summary>Scalar scatter of each row, weighted by x[r].</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("SpMVTranspose")]
    public float SpMVTransposeScalar()
    {
        Array.Clear(_y);
        for (int r = 0; r < N; r++)
        {
            float xr = _x[r];
            for (int k = _rowPointers[r]; k < _rowPointers[r + 1]; k++)
            {
                _y[_columnIndices[k]] += xr * _values[k];
            }
        }
        return _y[N - 1];
    }

    /// <summary>MathNet.Numerics transpose-multiply.</summary>
    [Benchmark, BenchmarkCategory("SpMVTranspose")]
    public float SpMVTransposeMathNet()
    {
        _mathNetA.TransposeThisAndMultiply(_mathNetX, _mathNetY);
        return _mathNetY[N - 1];
    }

    /// <summary><see cref="SparseBlas.SpMVTranspose{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("SpMVTranspose")]
    public float SpMVTransposeKernels()
    {
        SparseBlas.SpMVTranspose(1f, _a, _x, 0f, _y);
        return _y[N - 1];
    }

    // ---- SpMM: C ← A·B, B and C N × 64 ---------------------------------------------------------------------

    /// <summary>Scalar CSR × dense: each stored entry adds a scaled row of B to a row of C.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("SpMM")]
    public float SpMMScalar()
    {
        Array.Clear(_c);
        for (int r = 0; r < N; r++)
        {
            int cRow = r * DenseColumns;
            for (int k = _rowPointers[r]; k < _rowPointers[r + 1]; k++)
            {
                float v = _values[k];
                int bRow = _columnIndices[k] * DenseColumns;
                for (int j = 0; j < DenseColumns; j++)
                {
                    _c[cRow + j] += v * _b[bRow + j];
                }
            }
        }
        return _c[^1];
    }

    /// <summary>MathNet.Numerics sparse × dense (column-major dense storage).</summary>
    [Benchmark, BenchmarkCategory("SpMM")]
    public float SpMMMathNet()
    {
        _mathNetA.Multiply(_mathNetB, _mathNetC);
        return _mathNetC[N - 1, DenseColumns - 1];
    }

    /// <summary><see cref="SparseBlas.SpMM{T}"/>.</summary>
    [Benchmark, BenchmarkCategory("SpMM")]
    public float SpMMKernels()
    {
        SparseBlas.SpMM(1f, _a, new ReadOnlyMatrixView<float>(_b, N, DenseColumns), 0f, new MatrixView<float>(_c, N, DenseColumns));
        return _c[^1];
    }

    // ---- Gather: g[k] = x[col[k]] over all stored entries --------------------------------------------------

    /// <summary>Scalar indexed copy.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Gather")]
    public float GatherScalar()
    {
        for (int k = 0; k < _columnIndices.Length; k++)
        {
            _gathered[k] = _x[_columnIndices[k]];
        }
        return _gathered[^1];
    }

    /// <summary><see cref="GatherScatter.Gather{T}"/>, index validation included.</summary>
    [Benchmark, BenchmarkCategory("Gather")]
    public float GatherKernels()
    {
        GatherScatter.Gather<float>(_x, _columnIndices, _gathered);
        return _gathered[^1];
    }

    // ---- ScatterAdd: y[col[k]] += 0.5·values[k] ------------------------------------------------------------

    /// <summary>Scalar indexed accumulation.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("ScatterAdd")]
    public float ScatterAddScalar()
    {
        for (int k = 0; k < _columnIndices.Length; k++)
        {
            _y[_columnIndices[k]] += 0.5f * _values[k];
        }
        return _y[N - 1];
    }

    /// <summary><see cref="GatherScatter.ScatterAdd{T}"/>, index validation included.</summary>
    [Benchmark, BenchmarkCategory("ScatterAdd")]
    public float ScatterAddKernels()
    {
        GatherScatter.ScatterAdd<float>(0.5f, _values, _columnIndices, _y);
        return _y[N - 1];
    }
}
