using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kernels.Bench.Harness;

/// <summary>
/// Plain scalar loops, the "what you would write by hand" baselines of the benchmarks. NoInlining keeps the JIT
/// from specializing them into the caller; they are otherwise compiled with full optimization, so the JIT may
/// auto-vectorize nothing here but is free to unroll.
/// </summary>
public static class ScalarBaselines
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Dot<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Sum<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Nrm2<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T sum = T.Zero;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * x[i];
        }
        return T.Sqrt(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Axpy<T>(T alpha, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    /// <summary>y = A·x for a dense row-major m × n matrix.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Gemv<T>(ReadOnlySpan<T> a, int m, int n, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            y[i] = Dot(a.Slice(i * n, n), x);
        }
    }

    /// <summary>y = Aᵀ·x for a dense row-major m × n matrix, row by row.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void GemvTransposed<T>(ReadOnlySpan<T> a, int m, int n, ReadOnlySpan<T> x, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        y[..n].Clear();
        for (int i = 0; i < m; i++)
        {
            Axpy(x[i], a.Slice(i * n, n), y);
        }
    }

    /// <summary>C = A·B for dense row-major n × n matrices, in the cache-friendlier i-k-j order.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Gemm<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int n) where T : IFloatingPointIeee754<T>
    {
        c[..(n * n)].Clear();
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < n; p++)
            {
                Axpy(a[i * n + p], b.Slice(p * n, n), c.Slice(i * n, n));
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Scale<T>(T alpha, Span<T> x) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= alpha;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Max<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = T.Max(max, x[i]);
        }
        return max;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int ArgMax<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < x.Length; i++)
        {
            if (x[i] > x[best])
            {
                best = i;
            }
        }
        return best;
    }

    /// <summary>A ← A + alpha·x·yᵀ for a dense row-major m × n matrix.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Ger<T>(T alpha, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> a) where T : IFloatingPointIeee754<T>
    {
        int n = y.Length;
        for (int i = 0; i < x.Length; i++)
        {
            Axpy(alpha * x[i], y, a.Slice(i * n, n));
        }
    }

    /// <summary>The textbook in-place radix-2 fast Walsh–Hadamard transform (unnormalized), length a power of two.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void WalshHadamard<T>(Span<T> x) where T : IFloatingPointIeee754<T>
    {
        for (int h = 1; h < x.Length; h *= 2)
        {
            for (int i = 0; i < x.Length; i += 2 * h)
            {
                for (int j = i; j < i + h; j++)
                {
                    T a = x[j], b = x[j + h];
                    x[j] = a + b;
                    x[j + h] = a - b;
                }
            }
        }
    }
}
