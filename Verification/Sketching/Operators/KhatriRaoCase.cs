using System.Numerics;
using Kernels.Sketching.Operators;
using Kernels.Sparse;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>A random P (C × n CSR, 0–3 entries per row, ascending columns, weights in ±[0.5, 1.5]) and X (n × d).</summary>
internal sealed class KhatriRaoCase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private KhatriRaoCase(int[] rowPointers, int[] columns, T[] values, T[] x, int n, int d)
    {
        RowPointers = rowPointers;
        Columns = columns;
        Values = values;
        XData = x;
        N = n;
        D = d;
    }

    public int[] RowPointers { get; }

    public int[] Columns { get; }

    public T[] Values { get; }

    public T[] XData { get; }

    public int N { get; }

    public int D { get; }

    public ReadOnlyMatrixView<T> X => new(XData, N, D);

    public static KhatriRaoCase<T> Draw(int neurons, int n, int d, int seed)
    {
        var random = new Random(seed);
        var pointers = new int[neurons + 1];
        var columns = new List<int>();
        var values = new List<T>();
        for (int c = 0; c < neurons; c++)
        {
            int count = random.Next(4);
            foreach (int i in Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(Math.Min(count, n)).Order())
            {
                columns.Add(i);
                values.Add(T.CreateChecked((random.Next(2) * 2 - 1) * (0.5 + random.NextDouble())));
            }
            pointers[c + 1] = columns.Count;
        }
        var x = new T[n * d];
        for (int e = 0; e < x.Length; e++)
        {
            x[e] = T.CreateChecked(random.NextDouble() * 2 - 1);
        }
        return new KhatriRaoCase<T>(pointers, columns.ToArray(), values.ToArray(), x, n, d);
    }

    /// <summary>A = P ⊙ Xᵀ as a CSR matrix (row c·d + k holds P[c, i]·X[i, k] in column i).</summary>
    public CsrMatrix<T> Materialized()
    {
        int neurons = RowPointers.Length - 1;
        var pointers = new int[neurons * D + 1];
        var columns = new List<int>();
        var values = new List<T>();
        for (int c = 0; c < neurons; c++)
        {
            for (int k = 0; k < D; k++)
            {
                for (int e = RowPointers[c]; e < RowPointers[c + 1]; e++)
                {
                    columns.Add(Columns[e]);
                    values.Add(Values[e] * XData[Columns[e] * D + k]);
                }
                pointers[c * D + k + 1] = columns.Count;
            }
        }
        return new CsrMatrix<T>(neurons * D, N, pointers, columns.ToArray(), values.ToArray());
    }

    /// <summary>S·A with the sampled operator of the same seed on the materialized A.</summary>
    public T[] MaterializedSketch(int s, int t, ulong seed)
    {
        var a = Materialized();
        var result = new T[s * N];
        new SparseEmbeddingDistribution(s, a.Rows, t).Sample<T>(seed).Apply(a, new MatrixView<T>(result, s, N));
        return result;
    }

    /// <summary>Σ_{c,k} |A[c·d + k, i]| for each column i: a bound on the sum of |terms| of any element of S·A's column i.</summary>
    public double[] ColumnMagnitudes()
    {
        var sums = new double[N];
        for (int c = 0; c + 1 < RowPointers.Length; c++)
        {
            for (int e = RowPointers[c]; e < RowPointers[c + 1]; e++)
            {
                for (int k = 0; k < D; k++)
                {
                    sums[Columns[e]] += Math.Abs(double.CreateChecked(Values[e] * XData[Columns[e] * D + k]));
                }
            }
        }
        return sums;
    }
}
