using Kernels.Sparse;

namespace Kernels.Bench.Commands;

/// <summary>
/// The test problems of the linear-algebra benchmarks, built from exact formulas so that <c>Bench/peers/linalg.py</c>
/// builds the same bits: powers of two, a 32-bit integer hash, and the integer 5-point stencil.
/// </summary>
public static class LinalgProblems
{
    /// <summary>The n × n Kac–Murdock–Szegő matrix A[i, j] = 0.5^|i − j|, row-major: SPD with condition number about 9.</summary>
    public static double[] Kms(int n)
    {
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                a[i * n + j] = Math.ScaleB(1.0, -Math.Abs(i - j));
            }
        }
        return a;
    }

    /// <summary>An m × n row-major matrix with entries in [−0.5, 0.5) from a multiplicative hash of (i, j) modulo 2³².</summary>
    public static double[] Hashed(int m, int n)
    {
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ulong u = ((ulong)i * 2654435761UL + (ulong)j * 2246822519UL) & 0xFFFFFFFFUL;
                u = ((u ^ (u >> 15)) * 2654435761UL) & 0xFFFFFFFFUL;
                u ^= u >> 13;
                a[i * n + j] = u / 4294967296.0 - 0.5;
            }
        }
        return a;
    }

    /// <summary>
    /// The 2-D Poisson matrix on a g × g grid (5-point stencil, Dirichlet boundary): unknown i·g + j, 4 on the diagonal and
    /// −1 for each grid neighbour; SciPy's kron(I, T) + kron(T, I) with T = tridiag(−1, 2, −1) is the same matrix.
    /// </summary>
    public static CsrMatrix<double> Poisson2D(int g)
    {
        int n = g * g;
        var rowPointers = new int[n + 1];
        var columns = new List<int>(5 * n);
        var values = new List<double>(5 * n);
        for (int i = 0; i < g; i++)
        {
            for (int j = 0; j < g; j++)
            {
                void Add(int column, double value)
                {
                    columns.Add(column);
                    values.Add(value);
                }
                int row = i * g + j;
                if (i > 0) { Add(row - g, -1); }
                if (j > 0) { Add(row - 1, -1); }
                Add(row, 4);
                if (j < g - 1) { Add(row + 1, -1); }
                if (i < g - 1) { Add(row + g, -1); }
                rowPointers[row + 1] = columns.Count;
            }
        }
        return new CsrMatrix<double>(n, n, rowPointers, columns.ToArray(), values.ToArray());
    }

    /// <summary>The right-hand side b[i] = ((37·i) mod 101 − 50) / 50, exact in both languages.</summary>
    public static double[] PoissonRightHandSide(int n) => Enumerable.Range(0, n).Select(i => (37L * i % 101 - 50) / 50.0).ToArray();
}
