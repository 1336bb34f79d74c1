using System.Buffers;
using System.Numerics;
using Kernels.Blas;

namespace Kernels.Linalg;

/// <summary>
/// Eigenvalues and eigenvectors of a symmetric matrix, A = V·diag(λ)·Vᵀ, by Householder reduction to tridiagonal form
/// and the implicit QL method (EISPACK's <c>tred2</c> and <c>tql2</c>, as in JAMA; Wilkinson and Reinsch, <i>Handbook for
/// Automatic Computation II</i>, 1971): about 9n³ flops in all, against 4n³ per sweep and 6–10 sweeps for
/// <see cref="SymmetricEigen"/>'s cyclic Jacobi, and every inner loop a contiguous dot product, axpy or plane rotation of
/// two rows — for the hundreds-to-thousands orders of a Nyström preconditioner's ℓ × ℓ eigenproblem.
/// </summary>
/// <remarks>
/// <para>Same contract as <see cref="SymmetricEigen.Decompose{T}"/>: only the lower triangle of A is read, eigenvalues
/// come in ascending order, eigenvector j is column j of the eigenvector matrix with unit norm, the eigenvectors are
/// orthonormal to O(n·ε), and each eigenvalue is within O(n·ε)·‖A‖ of the exact one (both methods are backward stable).
/// The accumulated transformations are kept transposed, so the QL rotations combine contiguous rows. The matrix is
/// scaled by a power of two first, so no intermediate overflows. Input must be finite (NaN or infinity throws
/// <see cref="ArgumentException"/> with its position); working storage comes from <see cref="ArrayPool{T}"/>.</para>
/// </remarks>
public static class HouseholderQlEigen
{
    /// <summary>QL iterations per eigenvalue after which the method gives up; two or three is typical.</summary>
    private const int MaxIterationsPerEigenvalue = 30;

    /// <summary>
    /// Computes the eigenvalues (ascending) and unit eigenvectors of the symmetric matrix whose lower triangle is
    /// <paramref name="a"/>: A·V[:, j] = λⱼ·V[:, j].
    /// </summary>
    /// <param name="a">The symmetric n × n matrix; only its lower triangle is read.</param>
    /// <param name="eigenvalues">n elements: the eigenvalues, ascending.</param>
    /// <param name="eigenvectors">n × n: column j is the unit eigenvector of eigenvalue j. Must not share memory with <paramref name="a"/>.</param>
    /// <exception cref="ArgumentException">A is not square or holds a NaN or infinity, a destination has the wrong shape, or the eigenvectors share memory with A.</exception>
    /// <exception cref="InvalidOperationException">The QL iteration did not converge (not observed for finite input).</exception>
    public static void Decompose<T>(ReadOnlyMatrixView<T> a, Span<T> eigenvalues, MatrixView<T> eigenvectors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        SymmetricEigen.ValidateDecompose(a, eigenvalues, eigenvectors);
        int n = a.Rows;
        if (n == 0)
        {
            return;
        }
        T[] work = ArrayPool<T>.Shared.Rent(n * n);
        T[] offDiagonal = ArrayPool<T>.Shared.Rent(n);
        try
        {
            var w = new MatrixView<T>(work.AsSpan(0, n * n), n, n);          // Vᵀ: row j holds column j of V
            int scale = SymmetricEigen.LoadScaled(a, w);                    // A is symmetric, so Vᵀ starts as A too
            Span<T> d = eigenvalues, e = offDiagonal.AsSpan(0, n);
            Tridiagonalize(w, d, e);
            DiagonalizeTridiagonal(w, d, e);
            SortAscending(w, d);
            for (int j = 0; j < n; j++)
            {
                d[j] = T.ScaleB(d[j], -scale);
                ReadOnlySpan<T> v = w.Row(j);
                for (int i = 0; i < n; i++)
                {
                    eigenvectors[i, j] = v[i];
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(work);
            ArrayPool<T>.Shared.Return(offDiagonal);
        }
    }

    /// <summary>
    /// tred2: Householder reflections reduce A (in <paramref name="w"/>) to the tridiagonal matrix with diagonal d and
    /// sub-diagonal e[1..], and accumulate their product into <paramref name="w"/> (transposed: V[k, j] is w[j, k]).
    /// </summary>
    private static void Tridiagonalize<T>(MatrixView<T> w, Span<T> d, Span<T> e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = w.Rows;
        for (int j = 0; j < n; j++)
        {
            d[j] = w[j, n - 1];
        }
        for (int i = n - 1; i > 0; i--)
        {
            T scale = T.Zero, h = T.Zero;
            for (int k = 0; k < i; k++)
            {
                scale += T.Abs(d[k]);
            }
            if (scale == T.Zero)
            {
                e[i] = d[i - 1];
                for (int j = 0; j < i; j++)
                {
                    d[j] = w[j, i - 1];
                    w[j, i] = T.Zero;
                    w[i, j] = T.Zero;
                }
            }
            else
            {
                for (int k = 0; k < i; k++)
                {
                    d[k] /= scale;
                    h += d[k] * d[k];
                }
                T f = d[i - 1];
                T g = T.Sqrt(h);
                if (f > T.Zero)
                {
                    g = -g;
                }
                e[i] = scale * g;
                h -= f * g;
                d[i - 1] = f - g;
                e[..i].Clear();
                // e = A·u on the leading i × i block (its lower triangle, row j of w holding column j).
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    w[i, j] = f;
                    ReadOnlySpan<T> below = w.Row(j)[(j + 1)..i];
                    g = e[j] + w[j, j] * f + Level1.Dot<T>(below, d[(j + 1)..i]);
                    Level1.Axpy<T>(f, below, e[(j + 1)..i]);
                    e[j] = g;
                }
                f = T.Zero;
                for (int j = 0; j < i; j++)
                {
                    e[j] /= h;
                    f += e[j] * d[j];
                }
                T hh = f / (h + h);
                for (int j = 0; j < i; j++)
                {
                    e[j] -= hh * d[j];
                }
                // The rank-two update A ← A − u·eᵀ − e·uᵀ on the lower triangle.
                for (int j = 0; j < i; j++)
                {
                    f = d[j];
                    g = e[j];
                    Span<T> column = w.Row(j)[j..i];
                    Level1.Axpy<T>(-f, e[j..i], column);
                    Level1.Axpy<T>(-g, d[j..i], column);
                    d[j] = w[j, i - 1];
                    w[j, i] = T.Zero;
                }
            }
            d[i] = h;
        }
        // Accumulate the reflections.
        for (int i = 0; i < n - 1; i++)
        {
            w[i, n - 1] = w[i, i];
            w[i, i] = T.One;
            T h = d[i + 1];
            Span<T> reflector = w.Row(i + 1)[..(i + 1)];
            if (h != T.Zero)
            {
                for (int k = 0; k <= i; k++)
                {
                    d[k] = reflector[k] / h;
                }
                for (int j = 0; j <= i; j++)
                {
                    Span<T> column = w.Row(j)[..(i + 1)];
                    T g = Level1.Dot<T>(reflector, column);
                    Level1.Axpy<T>(-g, d[..(i + 1)], column);
                }
            }
            reflector.Clear();
        }
        for (int j = 0; j < n; j++)
        {
            d[j] = w[j, n - 1];
            w[j, n - 1] = T.Zero;
        }
        w[n - 1, n - 1] = T.One;
        e[0] = T.Zero;
    }

    /// <summary>tql2: implicit QL with Wilkinson shifts on the tridiagonal (d, e), rotating the rows of <paramref name="w"/> along.</summary>
    private static void DiagonalizeTridiagonal<T>(MatrixView<T> w, Span<T> d, Span<T> e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        for (int i = 1; i < n; i++)
        {
            e[i - 1] = e[i];
        }
        e[n - 1] = T.Zero;
        T f = T.Zero, largest = T.Zero;
        T epsilon = T.BitIncrement(T.One) - T.One;
        T two = T.CreateChecked(2);
        for (int l = 0; l < n; l++)
        {
            largest = T.Max(largest, T.Abs(d[l]) + T.Abs(e[l]));
            int m = l;
            while (m < n - 1 && T.Abs(e[m]) > epsilon * largest)
            {
                m++;
            }
            if (m > l)
            {
                int iterations = 0;
                do
                {
                    if (++iterations > MaxIterationsPerEigenvalue)
                    {
                        throw new InvalidOperationException($"The QL iteration did not converge for eigenvalue {l} in {MaxIterationsPerEigenvalue} iterations.");
                    }
                    T g = d[l];
                    T p = (d[l + 1] - g) / (two * e[l]);
                    T r = T.Hypot(p, T.One);
                    if (p < T.Zero)
                    {
                        r = -r;
                    }
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    T dl1 = d[l + 1];
                    T h = g - d[l];
                    for (int i = l + 2; i < n; i++)
                    {
                        d[i] -= h;
                    }
                    f += h;
                    p = d[m];
                    T c = T.One, c2 = c, c3 = c;
                    T el1 = e[l + 1];
                    T s = T.Zero, s2 = T.Zero;
                    for (int i = m - 1; i >= l; i--)
                    {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = T.Hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        Rotate(w.Row(i), w.Row(i + 1), c, s);
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                }
                while (T.Abs(e[l]) > epsilon * largest);
            }
            d[l] += f;
            e[l] = T.Zero;
        }
    }

    /// <summary>(x, y) ← (c·x − s·y, s·x + c·y) elementwise: the plane rotation of two eigenvector rows.</summary>
    private static void Rotate<T>(Span<T> x, Span<T> y, T c, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var vc = new Vector<T>(c);
            var vs = new Vector<T>(s);
            for (; k <= x.Length - Vector<T>.Count; k += Vector<T>.Count)
            {
                var xk = new Vector<T>(x[k..]);
                var yk = new Vector<T>(y[k..]);
                (vc * xk - vs * yk).CopyTo(x[k..]);
                (vs * xk + vc * yk).CopyTo(y[k..]);
            }
        }
        for (; k < x.Length; k++)
        {
            T xk = x[k], yk = y[k];
            x[k] = c * xk - s * yk;
            y[k] = s * xk + c * yk;
        }
    }

    /// <summary>Selection sort of the eigenvalues, swapping the eigenvector rows along.</summary>
    private static void SortAscending<T>(MatrixView<T> w, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = d.Length;
        for (int i = 0; i < n - 1; i++)
        {
            int smallest = i;
            for (int j = i + 1; j < n; j++)
            {
                if (d[j] < d[smallest])
                {
                    smallest = j;
                }
            }
            if (smallest != i)
            {
                (d[i], d[smallest]) = (d[smallest], d[i]);
                Span<T> a = w.Row(i), b = w.Row(smallest);
                for (int k = 0; k < n; k++)
                {
                    (a[k], b[k]) = (b[k], a[k]);
                }
            }
        }
    }
}
