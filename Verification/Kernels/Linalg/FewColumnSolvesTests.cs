using System.Numerics;
using Kernels.Blas;
using Kernels.Linalg;

namespace Kernels.Verification.Kernels.Linalg;

/// <summary>
/// <see cref="FewColumnSolves"/>, the refinement kernels of <see cref="MixedPrecisionCholesky"/>, against scalar loops: the
/// symmetric residual Bᵀ − Xᵀ·A from the lower triangle only, and the two substitutions with a lower triangular factor, at
/// orders that leave a partial group of four rows, span several substitution blocks (256 rows) and chunks (512 elements),
/// and column counts above the 64 running dots a group keeps; every result has the same bits on one thread or several.
/// </summary>
public sealed class FewColumnSolvesTests
{
    private static readonly BlasOptions Threaded = new() { MaxThreads = 3, ParallelThreshold = 0 };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(7, 10)]
    [InlineData(67, 5)]
    [InlineData(531, 10)]
    [InlineData(90, 70)]
    public void Residual_matches_a_scalar_loop_over_the_whole_symmetric_matrix(int n, int c)
    {
        // Entries are multiples of 1/64 in [−½, ½]: every product is a multiple of 2⁻¹², and every partial sum (at most
        // n + 1 ≤ 532 terms of magnitude ≤ ¼) is exact in double, so the residual is exact in any order of summation.
        var random = new Random(n * 1000 + c);
        double Draw() => random.Next(-32, 33) / 64.0;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k <= i; k++)
            {
                a[i * n + k] = Draw();
            }
            a.AsSpan(i * n + i + 1, n - i - 1).Fill(double.NaN);                      // the upper triangle is never read
        }
        double[] bt = Enumerable.Range(0, c * n).Select(_ => Draw()).ToArray();
        double[] xt = Enumerable.Range(0, c * n).Select(_ => Draw()).ToArray();
        double[] Run(BlasOptions options)
        {
            double[] rt = new double[c * n];
            FewColumnSolves.Residual(new ReadOnlyMatrixView<double>(a, n, n), new ReadOnlyMatrixView<double>(bt, c, n),
                new ReadOnlyMatrixView<double>(xt, c, n), new MatrixView<double>(rt, c, n), options);
            return rt;
        }
        double[] one = Run(BlasOptions.SingleThreaded), many = Run(Threaded);
        for (int j = 0; j < c; j++)
        {
            for (int i = 0; i < n; i++)
            {
                // r = b − Σ_k A[i, k]·x[k] with A[i, k] = A[k, i] above the diagonal.
                double exact = bt[j * n + i];
                for (int k = 0; k < n; k++)
                {
                    exact -= (k <= i ? a[i * n + k] : a[k * n + i]) * xt[j * n + k];
                }
                Tolerance.AssertIdentical(exact, one[j * n + i], $"n = {n}, c = {c}: r[{j}, {i}]");
                Tolerance.AssertIdentical(one[j * n + i], many[j * n + i], $"n = {n}, c = {c}: r[{j}, {i}] on several threads");
            }
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(6, 3)]
    [InlineData(257, 10)]
    [InlineData(530, 2)]
    [InlineData(70, 66)]
    public void Substitutions_match_scalar_substitution(int n, int c)
    {
        Check<double>(n, c);
        Check<float>(n, c);
    }

    /// <summary>
    /// L has diagonal entries in [1, 2] and off-diagonal ones in ±½/n, so every row sum of |L⁻¹|·|L| stays near 1 and the
    /// substitutions are forward stable: each computed solution entry is within (n + 2)·ε·(4·max |r|) of the exact one,
    /// twice (forward and backward). The reference is the same substitution in scalar double from the same (widened) entries,
    /// within that bound at double's ε, so 4·(n + 2)·ε·2 (ε of T) bounds the difference.
    /// </summary>
    private static void Check<T>(int n, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(n * 7 + c);
        T[] l = new T[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < i; k++)
            {
                l[i * n + k] = T.CreateChecked((random.NextDouble() - 0.5) / n);
            }
            l[i * n + i] = T.CreateChecked(1 + random.NextDouble());
            l.AsSpan(i * n + i + 1, n - i - 1).Fill(T.NaN);                            // the upper triangle is never read
        }
        T[] rt = Enumerable.Range(0, c * n).Select(_ => T.CreateChecked(random.NextDouble() - 0.5)).ToArray();
        T[] Run(BlasOptions options)
        {
            T[] dt = (T[])rt.Clone();
            FewColumnSolves.Run(new ReadOnlyMatrixView<T>(l, n, n), new MatrixView<T>(dt, c, n), options);
            return dt;
        }
        T[] one = Run(BlasOptions.SingleThreaded), many = Run(Threaded);
        for (int j = 0; j < c; j++)
        {
            // L·y = r, then Lᵀ·d = y, in scalar double.
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                double sum = double.CreateChecked(rt[j * n + i]);
                for (int k = 0; k < i; k++)
                {
                    sum -= double.CreateChecked(l[i * n + k]) * y[k];
                }
                y[i] = sum / double.CreateChecked(l[i * n + i]);
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double sum = y[i];
                for (int k = i + 1; k < n; k++)
                {
                    sum -= double.CreateChecked(l[k * n + i]) * y[k];
                }
                y[i] = sum / double.CreateChecked(l[i * n + i]);
            }
            for (int i = 0; i < n; i++)
            {
                Tolerance.AssertClose(one[j * n + i], y[i], 4 * 0.5, 4 * (n + 2), $"{typeof(T).Name}, n = {n}, c = {c}: d[{j}, {i}]");
                Tolerance.AssertIdentical(one[j * n + i], many[j * n + i], $"{typeof(T).Name}, n = {n}, c = {c}: d[{j}, {i}] on several threads");
            }
        }
    }
}
