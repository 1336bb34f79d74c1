using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Solvers;
using Kernels.Verification.Infrastructure;
using Xunit.Abstractions;

namespace Kernels.Verification.Sketching.Preconditioners;

/// <summary>
/// <see cref="NystromPreconditioner{T}"/> against the textbook formulas of Frangella, Tropp and Udell: the Nyström
/// approximation K̂ = Y(ΩᵀY)⁻¹Yᵀ with Y = KΩ, P = (K̂ + μΠ)/(λ̂_ℓ + μ) + (I − Π) with Π the projector onto range(Y)
/// (their eq. 5.2; P⁻¹ is eq. 5.3), and its two closed forms: P⁻¹ = (λ_min + μ)(K + μI)⁻¹ when ℓ = n, and
/// P⁻¹ = μ(K + μI)⁻¹ when rank K &lt; ℓ. Then PCG on a kernel matrix against plain CG, and bad input.
/// </summary>
public sealed class NystromPreconditionerTests(ITestOutputHelper output)
{
    /// <summary>ℓ = n: K̂ = K (the test matrix spans everything), so P⁻¹ = (λ_min(K) + μ)·(K + μI)⁻¹.</summary>
    [Theory]
    [InlineData(12, 3, 0.01)]
    [InlineData(30, 6, 1.0)]
    public void Full_rank_sketch_gives_the_scaled_inverse(int n, int logCondition, double mu)
    {
        double[] lambda = TestMatrices.LogSpaced(n, Math.Pow(10, logCondition));
        double[] k = TestMatrices.SymmetricWithEigenvalues(lambda, 3);
        var preconditioner = new NystromPreconditioner<double>(new DenseOperator<double>(k, n), mu, new GaussianDistribution(n, n).Sample<double>(4));
        Assert.Equal((n, n, mu), (preconditioner.Dimension, preconditioner.Rank, preconditioner.Shift));
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(preconditioner.Eigenvalues[i] - lambda[i]) <= 1e-11, $"λ̂[{i}] = {preconditioner.Eigenvalues[i]:R}, λ = {lambda[i]:R}");
        }
        AssertInverseOf(preconditioner, k, n, mu, lambda[^1] + mu, 1e-10);
    }

    /// <summary>rank K = r &lt; ℓ: K̂ = K and λ̂_ℓ = 0, so P⁻¹ = μ·U(Λ + μI)⁻¹Uᵀ + (I − UUᵀ) = μ·(K + μI)⁻¹.</summary>
    [Fact]
    public void Low_rank_kernel_gives_mu_times_the_inverse()
    {
        const int n = 40, rank = 5, ell = 8;
        const double mu = 0.05;
        double[] lambda = new double[n];
        for (int i = 0; i < rank; i++)
        {
            lambda[i] = Math.Pow(2, -i);
        }
        double[] k = TestMatrices.SymmetricWithEigenvalues(lambda, 7);
        var preconditioner = new NystromPreconditioner<double>(new DenseOperator<double>(k, n), mu, new GaussianDistribution(ell, n).Sample<double>(2));
        for (int i = 0; i < ell; i++)
        {
            Assert.True(Math.Abs(preconditioner.Eigenvalues[i] - lambda[i]) <= 1e-12, $"λ̂[{i}] = {preconditioner.Eigenvalues[i]:R}, λ = {lambda[i]:R}");
        }
        AssertInverseOf(preconditioner, k, n, mu, mu, 1e-10);
    }

    /// <summary>
    /// ℓ &lt; rank K, every test-matrix kind: the eigenvalues are those of K̂ = Y(ΩᵀY)⁻¹Yᵀ (checked through the
    /// invariants Σλ̂ = tr K̂ and Σλ̂² = ‖K̂‖_F²), and z = P⁻¹r satisfies P·z = r for P = (K̂ + μΠ)/(λ̂_ℓ + μ) + I − Π,
    /// everything formed by plain loops in double from the dense Ω = Sᵀ.
    /// </summary>
    [Theory]
    [InlineData(SketchKind.Gaussian)]
    [InlineData(SketchKind.Srht)]
    [InlineData(SketchKind.SparseEmbedding)]
    public void Apply_matches_the_textbook_preconditioner(SketchKind kind)
    {
        const int n = 24, ell = 7;
        const double mu = 1e-3;
        double[] lambda = TestMatrices.LogSpaced(n, 1e4);
        double[] k = TestMatrices.SymmetricWithEigenvalues(lambda, 5);
        ISketch<double> test = SketchCase.Of(kind, ell, n, 3).Sample<double>(9);
        var preconditioner = new NystromPreconditioner<double>(new DenseOperator<double>(k, n), mu, test);

        var st = new double[ell * n];
        test.ToDense(new MatrixView<double>(st, ell, n));
        double[,] y = new double[n, ell];                                     // Y = K·Ω, Ω = Sᵀ
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < ell; a++)
            {
                for (int j = 0; j < n; j++)
                {
                    y[i, a] += k[i * n + j] * st[a * n + j];
                }
            }
        }
        double[,] core = new double[ell, ell], yty = new double[ell, ell];   // ΩᵀY and YᵀY
        for (int a = 0; a < ell; a++)
        {
            for (int b = 0; b < ell; b++)
            {
                for (int i = 0; i < n; i++)
                {
                    core[a, b] += st[a * n + i] * y[i, b];
                    yty[a, b] += y[i, a] * y[i, b];
                }
            }
        }
        double[,] approximation = Sandwich(y, Solve(core, Transposed(y)));    // K̂ = Y·(ΩᵀY)⁻¹·Yᵀ
        double[,] projector = Sandwich(y, Solve(yty, Transposed(y)));         // Π = Y·(YᵀY)⁻¹·Yᵀ

        double trace = 0, frobenius = 0, sum = 0, squares = 0;
        for (int i = 0; i < n; i++)
        {
            trace += approximation[i, i];
            for (int j = 0; j < n; j++)
            {
                frobenius += approximation[i, j] * approximation[i, j];
            }
        }
        foreach (double value in preconditioner.Eigenvalues)
        {
            sum += value;
            squares += value * value;
        }
        Assert.True(Math.Abs(sum - trace) <= 1e-10 * trace, $"{kind}: Σλ̂ = {sum:R}, tr K̂ = {trace:R}");
        Assert.True(Math.Abs(squares - frobenius) <= 1e-10 * frobenius, $"{kind}: Σλ̂² = {squares:R}, ‖K̂‖_F² = {frobenius:R}");
        for (int i = 1; i < ell; i++)
        {
            Assert.True(preconditioner.Eigenvalues[i] <= preconditioner.Eigenvalues[i - 1] && preconditioner.Eigenvalues[i] >= 0, $"{kind}: eigenvalues must be descending and non-negative");
        }

        double smallest = preconditioner.Eigenvalues[ell - 1] + mu;
        double[] r = SampleData.Vector<double>(n, ValueKind.Uniform, 4).ToArray();
        var z = new double[n];
        preconditioner.Apply(r, z);
        for (int i = 0; i < n; i++)
        {
            double pz = 0;
            for (int j = 0; j < n; j++)
            {
                double p = (approximation[i, j] + mu * projector[i, j]) / smallest + (i == j ? 1 : 0) - projector[i, j];
                pz += p * z[j];
            }
            Assert.True(Math.Abs(pz - r[i]) <= 1e-8 * (1 + Math.Abs(r[i])), $"{kind}: (P·z)[{i}] = {pz:R}, r = {r[i]:R}");
        }
    }

    /// <summary>
    /// Kernel ridge regression with a Gaussian (RBF) kernel on 400 points in the unit square, bandwidth 0.3 and μ = 10⁻⁴:
    /// the spectrum decays fast, so d_eff(μ) is small and a rank-40 Nyström preconditioner leaves PCG a small, κ-independent
    /// count, while plain CG's grows with κ(K + μI) ≈ λmax/μ.
    /// </summary>
    [Fact]
    public void Nystrom_PCG_needs_fewer_iterations_than_plain_CG_on_a_kernel_matrix()
    {
        const int n = 400, ell = 40;
        const double mu = 1e-4, bandwidth = 0.3;
        var random = new System.Random(12);
        var points = Enumerable.Range(0, n).Select(_ => (random.NextDouble(), random.NextDouble())).ToArray();
        var k = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dx = points[i].Item1 - points[j].Item1, dy = points[i].Item2 - points[j].Item2;
                k[i * n + j] = Math.Exp(-(dx * dx + dy * dy) / (2 * bandwidth * bandwidth)) + (i == j ? mu : 0);
            }
        }
        var kernel = new DenseOperator<double>(k, n);     // K + μI
        double[] b = SampleData.Vector<double>(n, ValueKind.Uniform, 1).ToArray();
        var options = new ConjugateGradientOptions { RelativeTolerance = 1e-8, MaxIterations = 4000 };

        // The preconditioner is built from K + μI with the remaining shift μ: the same P as from K with μ, up to the
        // Nyström shift, since K̂ of K + μI is K̂ + μ·Π; building it from K itself needs a K operator, given here too.
        var unshifted = (double[])k.Clone();
        for (int i = 0; i < n; i++)
        {
            unshifted[i * n + i] -= mu;
        }
        var preconditioner = new NystromPreconditioner<double>(new DenseOperator<double>(unshifted, n), mu, new GaussianDistribution(ell, n).Sample<double>(3));
        var x = new double[n];
        var xPlain = new double[n];
        ConjugateGradientResult pcg = ConjugateGradient.Solve(kernel, b, x, preconditioner, options);
        ConjugateGradientResult plain = ConjugateGradient.Solve(kernel, b, xPlain, null, options);
        output.WriteLine($"RBF kernel, n = {n}, μ = {mu}, ℓ = {ell}: λ̂₁ = {preconditioner.Eigenvalues[0]:F2}, λ̂_ℓ = {preconditioner.Eigenvalues[ell - 1]:E2}; " +
            $"Nyström PCG {pcg.Iterations} iterations ({pcg.Status}), plain CG {plain.Iterations} ({plain.Status}).");
        Assert.Equal(SolverStatus.Converged, pcg.Status);
        Assert.Equal(SolverStatus.Converged, plain.Status);
        Assert.True(3 * pcg.Iterations < plain.Iterations, $"Nyström PCG {pcg.Iterations} iterations, plain CG {plain.Iterations}.");
        double scale = x.Max(Math.Abs);
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(x[i] - xPlain[i]) <= 1e-3 * scale, $"x[{i}]: {x[i]:R} vs {xPlain[i]:R}");
        }
    }

    [Fact]
    public void Bad_input_throws()
    {
        const int n = 10;
        double[] k = TestMatrices.SymmetricWithEigenvalues(TestMatrices.LogSpaced(n, 10), 1);
        var kernel = new DenseOperator<double>(k, n);
        ISketch<double> test = new GaussianDistribution(4, n).Sample<double>(1);
        Assert.Throws<ArgumentNullException>("kernel", () => new NystromPreconditioner<double>(null!, 1.0, test));
        Assert.Throws<ArgumentNullException>("testMatrix", () => new NystromPreconditioner<double>(kernel, 1.0, null!));
        foreach (double shift in new[] { 0.0, -1.0, double.NaN, double.PositiveInfinity })
        {
            Assert.Throws<ArgumentOutOfRangeException>("shift", () => new NystromPreconditioner<double>(kernel, shift, test));
        }
        // The test matrix must be ℓ × n with ℓ ≤ n.
        Assert.Throws<ArgumentException>("testMatrix", () => new NystromPreconditioner<double>(kernel, 1.0, new GaussianDistribution(4, n + 1).Sample<double>(1)));
        Assert.Throws<ArgumentException>("testMatrix", () => new NystromPreconditioner<double>(kernel, 1.0, new GaussianDistribution(n + 1, n).Sample<double>(1)));
        // K must be positive semidefinite and finite.
        double[] negative = k.Select(v => -v).ToArray();
        Assert.Throws<ArgumentException>("kernel", () => new NystromPreconditioner<double>(new DenseOperator<double>(negative, n), 1.0, test));
        double[] broken = (double[])k.Clone();
        broken[13] = double.NaN;
        Assert.Throws<ArgumentException>("kernel", () => new NystromPreconditioner<double>(new DenseOperator<double>(broken, n), 1.0, test));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NystromPreconditioner<double>(kernel, 1.0, test, new BlasOptions { MaxThreads = 0 }));

        var preconditioner = new NystromPreconditioner<double>(kernel, 1.0, test);
        Assert.Throws<ArgumentException>("r", () => preconditioner.Apply(new double[n - 1], new double[n]));
        Assert.Throws<ArgumentException>("z", () => preconditioner.Apply(new double[n], new double[n + 1]));
        var shared = new double[n];
        Assert.Throws<ArgumentException>(() => preconditioner.Apply(shared, shared));
    }

    /// <summary>Checks (K + μI)·z = scale·r for z = P⁻¹r, i.e. P⁻¹ = scale·(K + μI)⁻¹.</summary>
    private static void AssertInverseOf(NystromPreconditioner<double> preconditioner, double[] k, int n, double mu, double scale, double tolerance)
    {
        double[] r = SampleData.Vector<double>(n, ValueKind.Uniform, 6).ToArray();
        var z = new double[n];
        preconditioner.Apply(r, z);
        for (int i = 0; i < n; i++)
        {
            double kz = mu * z[i];
            for (int j = 0; j < n; j++)
            {
                kz += k[i * n + j] * z[j];
            }
            Assert.True(Math.Abs(kz - scale * r[i]) <= tolerance * (1 + Math.Abs(scale * r[i])), $"((K + μI)z)[{i}] = {kz:R}, expected {scale * r[i]:R}");
        }
    }

    /// <summary>X = A⁻¹B for a small square A by Gaussian elimination with partial pivoting.</summary>
    private static double[,] Solve(double[,] a, double[,] b)
    {
        int m = a.GetLength(0), columns = b.GetLength(1);
        var lhs = (double[,])a.Clone();
        var rhs = (double[,])b.Clone();
        for (int p = 0; p < m; p++)
        {
            int pivot = p;
            for (int i = p + 1; i < m; i++)
            {
                if (Math.Abs(lhs[i, p]) > Math.Abs(lhs[pivot, p]))
                {
                    pivot = i;
                }
            }
            for (int j = 0; j < m; j++)
            {
                (lhs[p, j], lhs[pivot, j]) = (lhs[pivot, j], lhs[p, j]);
            }
            for (int j = 0; j < columns; j++)
            {
                (rhs[p, j], rhs[pivot, j]) = (rhs[pivot, j], rhs[p, j]);
            }
            for (int i = p + 1; i < m; i++)
            {
                double factor = lhs[i, p] / lhs[p, p];
                for (int j = p; j < m; j++)
                {
                    lhs[i, j] -= factor * lhs[p, j];
                }
                for (int j = 0; j < columns; j++)
                {
                    rhs[i, j] -= factor * rhs[p, j];
                }
            }
        }
        for (int i = m - 1; i >= 0; i--)
        {
            for (int j = 0; j < columns; j++)
            {
                double value = rhs[i, j];
                for (int l = i + 1; l < m; l++)
                {
                    value -= lhs[i, l] * rhs[l, j];
                }
                rhs[i, j] = value / lhs[i, i];
            }
        }
        return rhs;
    }

    private static double[,] Transposed(double[,] a)
    {
        var t = new double[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                t[j, i] = a[i, j];
            }
        }
        return t;
    }

    /// <summary>Y·X for Y (n × ℓ) and X (ℓ × n).</summary>
    private static double[,] Sandwich(double[,] y, double[,] x)
    {
        int n = y.GetLength(0), ell = y.GetLength(1);
        var product = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                for (int a = 0; a < ell; a++)
                {
                    product[i, j] += y[i, a] * x[a, j];
                }
            }
        }
        return product;
    }
}
