using System.Numerics;
using Kernels.Sparse;

namespace Kernels.Testing;

/// <summary>
/// Dense test matrices with a prescribed spectrum, for the factorization and solver tests: U·diag(σ)·Vᵀ with random
/// orthonormal U and V, and symmetric V·diag(λ)·Vᵀ. Everything is built in double by plain loops that share no code
/// with the library, so a bug in a kernel cannot hide in its own test data. The same seed gives the same matrix.
/// </summary>
public static class TestMatrices
{
    /// <summary>
    /// An m × n row-major matrix (m ≥ n) with orthonormal columns: the first n columns of the identity multiplied by
    /// max(n, 2) Householder reflectors I − 2vvᵀ with Gaussian directions v.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative or <paramref name="m"/> is below <paramref name="n"/>.</exception>
    public static double[] OrthonormalColumns(int m, int n, int seed)
    {
        Guard.RequireAtLeast(n, 0, nameof(n));
        Guard.RequireAtLeast(m, n, nameof(m));
        var random = new System.Random(seed);
        var q = new double[m * n];
        for (int i = 0; i < n; i++)
        {
            q[i * n + i] = 1;
        }
        if (m == 0 || n == 0)
        {
            return q;
        }
        var v = new double[m];
        var w = new double[n];
        for (int reflector = 0; reflector < Math.Max(n, 2); reflector++)
        {
            double norm = 0;
            for (int i = 0; i < m; i++)
            {
                v[i] = Gaussian(random);
                norm += v[i] * v[i];
            }
            norm = Math.Sqrt(norm);
            for (int i = 0; i < m; i++)
            {
                v[i] /= norm;
            }
            // q ← q − 2·v·(vᵀq)
            Array.Clear(w);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    w[j] += v[i] * q[i * n + j];
                }
            }
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    q[i * n + j] -= 2 * v[i] * w[j];
                }
            }
        }
        return q;
    }

    /// <summary>n values spaced evenly in logarithm from 1 down to 1/κ (just 1 when n = 1): the spectrum of a matrix with condition number κ.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative, or κ is below 1 or not finite.</exception>
    public static double[] LogSpaced(int n, double condition)
    {
        Guard.RequireAtLeast(n, 0, nameof(n));
        RequireCondition(condition);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = n == 1 ? 1 : Math.Pow(condition, -(double)i / (n - 1));
        }
        return values;
    }

    /// <summary>The m × n row-major matrix U·diag(σ)·Vᵀ, with U (m × n) and V (n × n) orthonormal, so its singular values are σ.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative or <paramref name="m"/> is below <paramref name="n"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sigma"/> does not hold n values.</exception>
    public static double[] WithSingularValues(int m, int n, ReadOnlySpan<double> sigma, int seed)
    {
        Guard.RequireAtLeast(n, 0, nameof(n));
        Guard.RequireAtLeast(m, n, nameof(m));
        Guard.RequireLength(sigma.Length, n, nameof(sigma), "n, one singular value per column");
        double[] u = OrthonormalColumns(m, n, seed);
        double[] v = OrthonormalColumns(n, n, seed ^ 0x5bd1e995);
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += u[i * n + k] * sigma[k] * v[j * n + k];
                }
                a[i * n + j] = sum;
            }
        }
        return a;
    }

    /// <summary>
    /// An m × n row-major matrix of rank <paramref name="rank"/> (at most min(m, n)): U·diag(σ)·Vᵀ with U m × r and V n × r
    /// orthonormal, σ spaced evenly in logarithm from 1 down to 1/κ (<see cref="LogSpaced"/>), so its nonzero singular
    /// values are σ and its other min(m, n) − r are exactly zero in exact arithmetic (about ε after rounding).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative, the rank is outside [0, min(m, n)], or κ is below 1 or not finite.</exception>
    public static double[] RankDeficient(int m, int n, int rank, double condition, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rank, Math.Min(m, n));
        RequireCondition(condition);
        double[] u = OrthonormalColumns(m, rank, seed);
        double[] v = OrthonormalColumns(n, rank, seed ^ 0x2545F491);
        double[] sigma = LogSpaced(rank, condition);
        var a = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < rank; k++)
                {
                    sum += u[i * rank + k] * sigma[k] * v[j * rank + k];
                }
                a[i * n + j] = sum;
            }
        }
        return a;
    }

    /// <summary>
    /// <paramref name="count"/> points drawn uniformly from the unit sphere in R^<paramref name="dimension"/>, as the
    /// columns of a dimension × count row-major matrix (the orientation sketches embed): each is a standard normal
    /// vector divided by its norm, which is uniform on the sphere by rotation invariance.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is below 1 or <paramref name="count"/> is negative.</exception>
    public static double[] UnitSphere(int dimension, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new System.Random(seed);
        var points = new double[dimension * count];
        var x = new double[dimension];
        for (int p = 0; p < count; p++)
        {
            double norm;
            do
            {
                norm = 0;
                for (int i = 0; i < dimension; i++)
                {
                    x[i] = Gaussian(random);
                    norm += x[i] * x[i];
                }
            }
            while (norm == 0);
            norm = Math.Sqrt(norm);
            for (int i = 0; i < dimension; i++)
            {
                points[i * count + p] = x[i] / norm;
            }
        }
        return points;
    }

    /// <summary>The n × n symmetric matrix V·diag(λ)·Vᵀ with V orthogonal, exactly symmetric (each entry is computed once and mirrored).</summary>
    public static double[] SymmetricWithEigenvalues(ReadOnlySpan<double> lambda, int seed)
    {
        int n = lambda.Length;
        double[] v = OrthonormalColumns(n, n, seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++)
                {
                    sum += v[i * n + k] * lambda[k] * v[j * n + k];
                }
                a[i * n + j] = sum;
                a[j * n + i] = sum;
            }
        }
        return a;
    }

    /// <summary>
    /// <paramref name="source"/> (rows × cols, dense) rounded to <typeparamref name="T"/> and stored with row stride
    /// <paramref name="stride"/>; the padding holds <paramref name="padding"/> so that reading or writing it shows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is negative or the stride is below <paramref name="cols"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="source"/> does not hold rows·cols values.</exception>
    public static T[] Stored<T>(double[] source, int rows, int cols, int stride, T padding) where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(source);
        Guard.RequireAtLeast(rows, 0, nameof(rows));
        Guard.RequireAtLeast(cols, 0, nameof(cols));
        Guard.RequireAtLeast(stride, cols, nameof(stride));
        Guard.RequireLength(source.Length, rows * cols, nameof(source), "rows·cols");
        var data = new T[rows == 0 ? 0 : (rows - 1) * stride + cols];
        Array.Fill(data, padding);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                data[i * stride + j] = T.CreateChecked(source[i * cols + j]);
            }
        }
        return data;
    }

    /// <summary>
    /// The 1-D Poisson matrix tridiag(−1, 2, −1) of order n. Its eigenvalues are 2 − 2·cos(jπ/(n + 1)), j = 1..n, so
    /// κ = (1 + cos(π/(n + 1))) / (1 − cos(π/(n + 1))) ≈ 4(n + 1)²/π².
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is below 1.</exception>
    public static CsrMatrix<T> Poisson1D<T>(int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.RequireAtLeast(n, 1, nameof(n));
        var rows = new List<int>();
        var cols = new List<int>();
        var values = new List<T>();
        for (int i = 0; i < n; i++)
        {
            for (int j = Math.Max(0, i - 1); j <= Math.Min(n - 1, i + 1); j++)
            {
                rows.Add(i);
                cols.Add(j);
                values.Add(T.CreateChecked(i == j ? 2 : -1));
            }
        }
        return CsrMatrix<T>.FromTriplets(n, n, rows.ToArray(), cols.ToArray(), values.ToArray());
    }

    /// <summary>
    /// The 2-D Poisson matrix (5-point stencil, 4 on the diagonal, −1 for each grid neighbour) on a g × g grid, unknown
    /// i·g + j for grid point (i, j): the matrix that <c>compare linalg</c> regenerates on both sides.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="g"/> is below 1.</exception>
    public static CsrMatrix<T> Poisson2D<T>(int g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Guard.RequireAtLeast(g, 1, nameof(g));
        var rows = new List<int>();
        var cols = new List<int>();
        var values = new List<T>();
        for (int i = 0; i < g; i++)
        {
            for (int j = 0; j < g; j++)
            {
                int row = i * g + j;
                foreach (var (di, dj, v) in new[] { (-1, 0, -1), (0, -1, -1), (0, 0, 4), (0, 1, -1), (1, 0, -1) })
                {
                    if (i + di >= 0 && i + di < g && j + dj >= 0 && j + dj < g)
                    {
                        rows.Add(row);
                        cols.Add((i + di) * g + j + dj);
                        values.Add(T.CreateChecked(v));
                    }
                }
            }
        }
        return CsrMatrix<T>.FromTriplets(g * g, g * g, rows.ToArray(), cols.ToArray(), values.ToArray());
    }

    /// <summary>The condition number of <see cref="Poisson1D{T}"/> of order n, shifted by σ·I.</summary>
    public static double Poisson1DCondition(int n, double shift)
    {
        double c = Math.Cos(Math.PI / (n + 1));
        return (2 + 2 * c + shift) / (2 - 2 * c + shift);
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Gaussian(System.Random random)
    {
        double u = 1 - random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    private static void RequireCondition(double condition)
    {
        if (!(double.IsFinite(condition) && condition >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(condition), condition, "κ must be finite and at least 1.");
        }
    }
}
