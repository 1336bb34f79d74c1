using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;
using Kernels.Randomness;

namespace Kernels.Solvers;

/// <summary>
/// The Lanczos method with full reorthogonalization for the extreme eigenvalues of a symmetric
/// <see cref="ILinearOperator{T}"/>, used only through its products: the spectrum of a kernel matrix, the condition number
/// of a preconditioned system, or the spectral error of an approximation (ε of (1 − ε)·A ≼ B ≼ (1 + ε)·A).
/// </summary>
/// <remarks>
/// <para><b>Iteration.</b> From a unit start vector v₁: w = A·v_j − α_j·v_j − β_{j−1}·v_{j−1} with α_j = v_jᵀA·v_j,
/// then w is orthogonalized twice against every stored v ("twice is enough", Giraud–Langou–Rozložník), β_j = ‖w‖ and
/// v_{j+1} = w/β_j. The Ritz values are the eigenvalues θ of the tridiagonal T_k (α on the diagonal, β beside it), taken
/// by <see cref="SymmetricEigen"/> in double; the residual of the Ritz pair with eigenvector s is β_k·|s_k|, and an
/// eigenvalue of A lies within it of θ. The extreme Ritz values converge first, at a rate set by the gap to the next
/// eigenvalue relative to the spread of the spectrum.</para>
/// <para><b>Start and restarts.</b> The start vector is standard normal from
/// <c>CounterRandom(Derive(seed, Purpose("lanczos")), 0)</c>, so the result is reproducible. When w vanishes (an invariant
/// subspace; β_j ≤ n·ε·‖T‖) a fresh random vector from stream j + 1, orthogonalized against the basis, continues the
/// iteration with β_j = 0, so an unlucky start does not hide the rest of the spectrum.</para>
/// <para><b>Cost.</b> k operator products, about 8·n·k² flops of reorthogonalization (Gemv), and a Jacobi
/// eigensolve of T at checkpoints spaced about 10 % apart; memory is the k × n basis, checked against the largest array
/// before anything is allocated.</para>
/// </remarks>
public static class Lanczos
{
    /// <summary>The seed purpose of the start vector (see the README's Seeds note).</summary>
    internal static readonly ulong SeedPurpose = CounterRandom.Purpose("lanczos");

    /// <summary>Estimates the smallest and largest eigenvalues of the symmetric operator A.</summary>
    /// <param name="op">A, symmetric, n × n with n ≥ 1.</param>
    /// <param name="options">Steps, tolerance and seed; null means <see cref="LanczosOptions.Default"/>.</param>
    /// <returns>The extreme Ritz values, their residuals, the steps taken and whether the tolerance was met. A NaN or
    /// infinity in a product gives NaN values and <see cref="LanczosResult.Converged"/> false rather than an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="op"/> is null.</exception>
    /// <exception cref="ArgumentException">The operator has dimension 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="InsufficientMemoryException">The k × n basis would exceed the largest array (the message gives its size in bytes).</exception>
    public static LanczosResult ExtremeEigenvalues<T>(ILinearOperator<T> op, LanczosOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentNullException.ThrowIfNull(op);
        options ??= LanczosOptions.Default;
        options.Validate();
        int n = op.Dimension;
        if (n < 1)
        {
            throw new ArgumentException("The operator has dimension 0; Lanczos needs n ≥ 1.", nameof(op));
        }
        int k = Math.Min(options.MaxIterations, n);
        long elements = (long)k * n;
        if (elements > Array.MaxLength)
        {
            long bytes = elements * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            throw new InsufficientMemoryException(
                $"The Lanczos basis of {k} vectors of {n} elements needs {bytes:N0} bytes, more than one array holds; lower MaxIterations.");
        }
        return Iterate(op, n, k, options);
    }

    private static LanczosResult Iterate<T>(ILinearOperator<T> op, int n, int k, LanczosOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var basis = new T[(long)k * n];
        var w = new T[n];
        var coefficients = new T[k];
        var alpha = new double[k];
        var beta = new double[k];
        ulong seed = CounterRandom.Derive(options.Seed, SeedPurpose);
        if (!TryStart(seed, 0, basis, 0, n, w, coefficients))
        {
            return new LanczosResult(double.NaN, double.NaN, double.NaN, double.NaN, 0, false);
        }

        double norm = 0, epsilon = double.CreateChecked(T.BitIncrement(T.One) - T.One);
        int nextCheck = Math.Min(5, k);
        var last = new LanczosResult(double.NaN, double.NaN, double.NaN, double.NaN, 0, false);
        for (int j = 0; j < k; j++)
        {
            Span<T> v = basis.AsSpan(j * n, n);
            op.Apply(T.One, v, T.Zero, w);
            T a = Level1.Dot<T>(v, w);
            if (!T.IsFinite(a))
            {
                return new LanczosResult(double.NaN, double.NaN, double.NaN, double.NaN, j + 1, false);
            }
            Level1.Axpy(-a, v, w);
            if (j > 0)
            {
                Level1.Axpy(-T.CreateChecked(beta[j - 1]), basis.AsSpan((j - 1) * n, n), w);
            }
            var stored = new ReadOnlyMatrixView<T>(basis, j + 1, n);
            Orthogonalize(stored, w, coefficients);
            Orthogonalize(stored, w, coefficients);
            alpha[j] = double.CreateChecked(a);
            beta[j] = double.CreateChecked(Level1.Nrm2<T>(w));
            if (!double.IsFinite(alpha[j]) || !double.IsFinite(beta[j]))
            {
                return new LanczosResult(double.NaN, double.NaN, double.NaN, double.NaN, j + 1, false);
            }
            norm = Math.Max(norm, Math.Abs(alpha[j]) + beta[j] + (j > 0 ? beta[j - 1] : 0));
            bool full = j + 1 == n;
            bool invariant = !full && beta[j] <= n * epsilon * norm;
            if (full || j + 1 == k || (j + 1 >= nextCheck && !invariant))
            {
                last = RitzValues(alpha, beta, j + 1, full);
                if (full || last.SmallestResidual <= options.RelativeTolerance * Math.Max(Math.Abs(last.Smallest), Math.Abs(last.Largest)) &&
                    last.LargestResidual <= options.RelativeTolerance * Math.Max(Math.Abs(last.Smallest), Math.Abs(last.Largest)))
                {
                    return last with { Converged = true };
                }
                nextCheck = Math.Max(j + 6, (int)(1.1 * (j + 1)));
            }
            if (j + 1 == k)
            {
                break;
            }
            if (invariant)
            {
                beta[j] = 0;
                if (!TryStart(seed, (ulong)j + 1, basis, j + 1, n, w, coefficients))
                {
                    // The basis spans the whole space to working precision: T's eigenvalues are A's.
                    return RitzValues(alpha, beta, j + 1, full: true) with { Converged = true };
                }
            }
            else
            {
                Level1.Scale(T.One / T.CreateChecked(beta[j]), w, basis.AsSpan((j + 1) * n, n));
            }
        }
        return last;
    }

    /// <summary>Writes basis vector <paramref name="index"/>: random from <paramref name="stream"/>, orthogonal to the ones before, unit length.</summary>
    /// <returns>False when nothing is left after orthogonalization (the basis already spans the space).</returns>
    private static bool TryStart<T>(ulong seed, ulong stream, T[] basis, int index, int n, Span<T> w, Span<T> coefficients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        new CounterRandom(seed, stream).FillNormal(w, T.Zero, T.One);
        T before = Level1.Nrm2<T>(w);
        if (index > 0)
        {
            var stored = new ReadOnlyMatrixView<T>(basis, index, n);
            Orthogonalize(stored, w, coefficients);
            Orthogonalize(stored, w, coefficients);
        }
        T after = Level1.Nrm2<T>(w);
        T epsilon = T.BitIncrement(T.One) - T.One;
        if (!(after > T.CreateChecked(n) * epsilon * before))
        {
            return false;
        }
        Level1.Scale(T.One / after, w, basis.AsSpan(index * n, n));
        return true;
    }

    /// <summary>w ← w − V·(Vᵀ·w) for the stored basis V (its rows).</summary>
    private static void Orthogonalize<T>(ReadOnlyMatrixView<T> stored, Span<T> w, Span<T> coefficients)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> c = coefficients[..stored.Rows];
        Level2.Gemv(Transpose.None, T.One, stored, w, T.Zero, c);
        Level2.Gemv(Transpose.Transposed, -T.One, stored, c, T.One, w);
    }

    /// <summary>The extreme eigenvalues of the leading j × j block of T and their residuals β_j·|s_j|.</summary>
    private static LanczosResult RitzValues(double[] alpha, double[] beta, int j, bool full)
    {
        var t = new double[j * j];
        for (int i = 0; i < j; i++)
        {
            t[i * j + i] = alpha[i];
            if (i + 1 < j)
            {
                t[(i + 1) * j + i] = beta[i];
                t[i * j + i + 1] = beta[i];
            }
        }
        var values = new double[j];
        var vectors = new double[j * j];
        SymmetricEigen.Decompose(new ReadOnlyMatrixView<double>(t, j, j), values, new MatrixView<double>(vectors, j, j));
        double tail = full ? 0 : beta[j - 1];
        double smallResidual = tail * Math.Abs(vectors[(j - 1) * j]);
        double largeResidual = tail * Math.Abs(vectors[(j - 1) * j + j - 1]);
        return new LanczosResult(values[0], values[j - 1], smallResidual, largeResidual, j, false);
    }
}
