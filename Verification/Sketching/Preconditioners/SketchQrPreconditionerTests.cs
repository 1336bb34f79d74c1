using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Sketching.Preconditioners;
using Kernels.Solvers;
using Kernels.Sparse;
using Kernels.Verification.Infrastructure;
using Xunit.Abstractions;

namespace Kernels.Verification.Sketching.Preconditioners;

/// <summary>
/// <see cref="SketchQrPreconditioner{T}"/> with <see cref="ConjugateGradient"/> on the normal equations AᵀA·x = Aᵀc:
/// a bounded iteration count over a sweep of condition numbers, where plain CG's count grows; the factor against its
/// definition; the dense, sparse and implicit paths; and bad input.
/// </summary>
public sealed class SketchQrPreconditionerTests(ITestOutputHelper output)
{
    private const int Rows = 2000, Columns = 50;

    public static TheoryData<SketchKind> Embeddings() => new(SketchKind.SparseEmbedding, SketchKind.Gaussian, SketchKind.Srht);

    /// <summary>
    /// A = U·diag(σ)·Vᵀ (2000 × 50) with σ log-spaced from 1 to 1/κ(A), κ(A) = 10¹ … 10⁸, so κ(AᵀA) = κ(A)² reaches 10¹⁶.
    /// With s = 8n rows the sketch embeds the range of A with distortion about ε ≈ 2√(n/s) + n/s ≈ 0.9 at worst in
    /// theory and 0.5 in practice (Gaussian: σ(SU) ∈ 1 ± √(1/8)), so κ(AR⁻¹)² ≤ (1.354/0.646)² ≈ 4.4 and CG's Chebyshev
    /// bound ln(2√κ/10⁻¹⁰)/ln((√κ + 1)/(√κ − 1)) is about 24 iterations, whatever κ(A). The limit asserted is the
    /// issue's 40. Plain CG (capped at 1000 iterations) needs a count that grows with κ. All seeds are fixed.
    /// </summary>
    [Theory]
    [MemberData(nameof(Embeddings))]
    public void Preconditioned_CG_needs_a_bounded_number_of_iterations_whatever_the_condition_number(SketchKind kind)
    {
        int s = 8 * Columns;
        var preconditioner = new SketchQrPreconditioner<double>(SketchCase.Of(kind, s, Rows, 8).Sample<double>(11), Columns);
        double[] c = SampleData.Vector<double>(Rows, ValueKind.Uniform, 3).ToArray();
        var plainCounts = new List<int>();
        for (int logCondition = 1; logCondition <= 8; logCondition++)
        {
            double[] a = new TallCase(Rows, Columns, logCondition, 5).Matrix();
            var gram = new GramOperator<double>(new DenseMap<double>(a, Rows, Columns));
            var b = new double[Columns];
            Level2.Gemv(Transpose.Transposed, 1.0, new ReadOnlyMatrixView<double>(a, Rows, Columns), c, 0.0, b);

            preconditioner.Factor(new ReadOnlyMatrixView<double>(a, Rows, Columns));
            var x = new double[Columns];
            var options = new ConjugateGradientOptions { RelativeTolerance = 1e-10, MaxIterations = 1000 };
            ConjugateGradientResult pcg = ConjugateGradient.Solve(gram, b, x, preconditioner, options);
            ConjugateGradientResult plain = ConjugateGradient.Solve(gram, b, new double[Columns], null, options);
            plainCounts.Add(plain.Status == SolverStatus.Converged ? plain.Iterations : int.MaxValue);
            output.WriteLine($"{kind}, κ(A) = 1e{logCondition}: PCG {pcg.Iterations} iterations ({pcg.Status}, residual {pcg.RelativeResidual:E2}); plain CG {plain.Iterations} ({plain.Status}, residual {plain.RelativeResidual:E2})");

            Assert.True(pcg.Status == SolverStatus.Converged && pcg.Iterations <= 40 && pcg.RelativeResidual <= 1e-10,
                $"{kind}, κ(A) = 1e{logCondition}: PCG {pcg.Status} after {pcg.Iterations} iterations, residual {pcg.RelativeResidual:E3}.");
        }
        // Plain CG: more iterations at every tenfold step of κ(A) up to 10⁴, and far more than 40 (or no convergence) beyond.
        for (int k = 1; k < 4; k++)
        {
            Assert.True(plainCounts[k] > plainCounts[k - 1], $"plain CG counts {string.Join(", ", plainCounts)} should grow with κ.");
        }
        Assert.All(plainCounts.Skip(3), count => Assert.True(count > 40, $"plain CG counts {string.Join(", ", plainCounts)}"));
    }

    [Fact]
    public void Apply_is_the_inverse_of_RtR_and_the_split_solves_compose_to_it()
    {
        const int n = 12, rows = 300;
        double[] a = new TallCase(rows, n, 3, 8).Matrix();
        var preconditioner = new SketchQrPreconditioner<double>(new GaussianDistribution(48, rows).Sample<double>(1), n);
        Assert.False(preconditioner.IsFactored);
        preconditioner.Factor(new ReadOnlyMatrixView<double>(a, rows, n));
        Assert.True(preconditioner.IsFactored);
        var r = new double[n * n];
        preconditioner.CopyR(new MatrixView<double>(r, n, n));

        // R is upper triangular, and RᵀR = (SA)ᵀ(SA) (the QR of S·A determines RᵀR).
        var sa = new double[48 * n];
        preconditioner.Sketch!.Apply(new ReadOnlyMatrixView<double>(a, rows, n), new MatrixView<double>(sa, 48, n));
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i > j)
                {
                    Assert.Equal(0.0, r[i * n + j]);
                }
                double rtr = 0, gram = 0;
                for (int k = 0; k < n; k++)
                {
                    rtr += r[k * n + i] * r[k * n + j];
                }
                for (int k = 0; k < 48; k++)
                {
                    gram += sa[k * n + i] * sa[k * n + j];
                }
                Assert.True(Math.Abs(rtr - gram) <= 1e-13 * 48, $"(RᵀR)[{i}, {j}] = {rtr:R}, (SA)ᵀ(SA) = {gram:R}");
            }
        }

        // z = M⁻¹r: RᵀR·z reproduces r; SolveRTranspose then SolveR gives the same bits.
        double[] residual = SampleData.Vector<double>(n, ValueKind.Uniform, 2).ToArray();
        var z = new double[n];
        preconditioner.Apply(residual, z);
        for (int i = 0; i < n; i++)
        {
            double sum = 0;
            for (int k = 0; k < n; k++)
            {
                double rz = 0;
                for (int j = 0; j < n; j++)
                {
                    rz += r[k * n + j] * z[j];
                }
                sum += r[k * n + i] * rz;
            }
            Assert.True(Math.Abs(sum - residual[i]) <= 1e-9 * (1 + Math.Abs(residual[i])), $"(RᵀR·z)[{i}] = {sum:R}, r = {residual[i]:R}");
        }
        double[] split = (double[])residual.Clone();
        preconditioner.SolveRTranspose(split);
        preconditioner.SolveR(split);
        Assert.Equal(z, split);
    }

    [Fact]
    public void Dense_sparse_and_implicit_A_give_the_same_factor()
    {
        const int n = 20, rows = 900;
        double[] a = new TallCase(rows, n, 2, 4).Matrix();
        // Zero out most of A so that the CSR form is genuinely sparse, keeping full column rank (row i keeps column i mod n).
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if ((i + 3 * j) % 5 != 0 && j != i % n)
                {
                    a[i * n + j] = 0;
                }
            }
        }
        ISketch<double> sketch = new SparseEmbeddingDistribution(100, rows, 4).Sample<double>(6);
        var dense = new SketchQrPreconditioner<double>(sketch, n);
        var sparse = new SketchQrPreconditioner<double>(sketch, n);
        var blocks = new SketchQrPreconditioner<double>(sketch, n);
        dense.Factor(new ReadOnlyMatrixView<double>(a, rows, n));
        sparse.Factor(CsrMatrix<double>.FromDense(new ReadOnlyMatrixView<double>(a, rows, n)));
        blocks.Factor(new OpaqueMap<double>(a, rows, n));
        var expected = new double[n * n];
        var actual = new double[n * n];
        dense.CopyR(new MatrixView<double>(expected, n, n));
        foreach (var other in new[] { sparse, blocks })
        {
            other.CopyR(new MatrixView<double>(actual, n, n));
            for (int k = 0; k < actual.Length; k++)
            {
                Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-12 * (1 + Math.Abs(expected[k])), $"R[{k / n}, {k % n}]: {actual[k]:R} vs {expected[k]:R}");
            }
        }
    }

    /// <summary>
    /// A preconditioner built without a sketch factors the S·A it is given: the same R bits as one that sketches A
    /// itself with that S (the same QR of the same s × n matrix), and the caller's S·A is copied, not kept.
    /// </summary>
    [Fact]
    public void A_caller_sketched_SA_gives_the_same_factor_and_sketchless_use_is_guarded()
    {
        const int n = 5, rows = 120, s = 20;
        double[] a = new TallCase(rows, n, 3, 4).Matrix();
        ISketch<double> sketch = new SparseEmbeddingDistribution(s, rows, 4).Sample<double>(8);
        var own = new SketchQrPreconditioner<double>(sketch, n);
        own.Factor(new ReadOnlyMatrixView<double>(a, rows, n));
        var sa = new double[s * n];
        sketch.Apply(new ReadOnlyMatrixView<double>(a, rows, n), new MatrixView<double>(sa, s, n));
        var given = new SketchQrPreconditioner<double>(s, n);
        Assert.Null(given.Sketch);
        Assert.Equal(s, given.SketchRows);
        given.FactorSketched(new ReadOnlyMatrixView<double>(sa, s, n));
        Array.Clear(sa);
        var expected = new double[n * n];
        var actual = new double[n * n];
        own.CopyR(new MatrixView<double>(expected, n, n));
        given.CopyR(new MatrixView<double>(actual, n, n));
        Assert.Equal(expected, actual);

        Assert.Throws<InvalidOperationException>(() => given.Factor(new ReadOnlyMatrixView<double>(a, rows, n)));
        Assert.Throws<InvalidOperationException>(() => given.Factor(new OpaqueMap<double>(a, rows, n)));
        Assert.Throws<ArgumentException>("sketched", () => given.FactorSketched(new ReadOnlyMatrixView<double>(new double[(s - 1) * n], s - 1, n)));
        Assert.Throws<ArgumentException>("sketched", () => given.FactorSketched(new ReadOnlyMatrixView<double>(new double[s * (n + 1)], s, n + 1)));
        var bad = new double[s * n];
        bad[7] = double.NaN;
        Assert.Throws<ArgumentException>("sketched", () => given.FactorSketched(new ReadOnlyMatrixView<double>(bad, s, n)));
        Assert.False(given.IsFactored);
        var deficient = new double[s * n];
        for (int r = 0; r < s; r++)
        {
            deficient[r * n] = deficient[r * n + 1] = r + 1;
        }
        Assert.Contains("rank-deficient", Assert.Throws<ArgumentException>("sketched", () => given.FactorSketched(new ReadOnlyMatrixView<double>(deficient, s, n))).Message);
        Assert.False(given.IsFactored);
        Assert.Throws<ArgumentOutOfRangeException>("columns", () => new SketchQrPreconditioner<double>(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>("sketchRows", () => new SketchQrPreconditioner<double>(4, 5));
    }

    [Fact]
    public void A_rank_deficient_A_is_reported_and_leaves_the_preconditioner_unfactored()
    {
        const int n = 6, rows = 80;
        double[] a = new TallCase(rows, n, 1, 2).Matrix();
        var preconditioner = new SketchQrPreconditioner<double>(new GaussianDistribution(24, rows).Sample<double>(3), n);
        preconditioner.Factor(new ReadOnlyMatrixView<double>(a, rows, n));
        for (int i = 0; i < rows; i++)
        {
            a[i * n + 5] = a[i * n + 0] - a[i * n + 2];
        }
        var error = Assert.Throws<ArgumentException>("a", () => preconditioner.Factor(new ReadOnlyMatrixView<double>(a, rows, n)));
        Assert.Contains("rank-deficient", error.Message);
        Assert.False(preconditioner.IsFactored);
        Assert.Throws<InvalidOperationException>(() => preconditioner.Apply(new double[n], new double[n]));
        Assert.Throws<InvalidOperationException>(() => preconditioner.SolveR(new double[n]));
        Assert.Throws<InvalidOperationException>(() => preconditioner.CopyR(new MatrixView<double>(new double[n * n], n, n)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_entries_of_A_are_rejected(double bad)
    {
        const int n = 4, rows = 50;
        double[] a = new TallCase(rows, n, 1, 2).Matrix();
        a[37] = bad;
        foreach (SketchKind kind in Enum.GetValues<SketchKind>())
        {
            var preconditioner = new SketchQrPreconditioner<double>(SketchCase.Of(kind, 16, rows).Sample<double>(1), n);
            Assert.Throws<ArgumentException>("a", () => preconditioner.Factor(new ReadOnlyMatrixView<double>(a, rows, n)));
            // (A CSR matrix cannot hold a NaN or infinity: CsrMatrix rejects them when it is built.)
            Assert.Throws<ArgumentException>("a", () => preconditioner.Factor(new OpaqueMap<double>(a, rows, n)));
            Assert.False(preconditioner.IsFactored);
        }
    }

    [Fact]
    public void Shapes_and_sizes_are_validated()
    {
        ISketch<double> sketch = new CountSketchDistribution(8, 30).Sample<double>(1);
        Assert.Throws<ArgumentNullException>("sketch", () => new SketchQrPreconditioner<double>(null!, 3));
        Assert.Throws<ArgumentOutOfRangeException>("columns", () => new SketchQrPreconditioner<double>(sketch, 0));
        // A sketch with fewer rows than A has columns cannot give a square invertible R.
        Assert.Throws<ArgumentException>("sketch", () => new SketchQrPreconditioner<double>(sketch, 9));

        var preconditioner = new SketchQrPreconditioner<double>(sketch, 3);
        Assert.Throws<ArgumentException>("a", () => preconditioner.Factor(new ReadOnlyMatrixView<double>(new double[29 * 3], 29, 3)));
        Assert.Throws<ArgumentException>("a", () => preconditioner.Factor(new ReadOnlyMatrixView<double>(new double[30 * 4], 30, 4)));
        Assert.Throws<ArgumentException>("a", () => preconditioner.Factor(new OpaqueMap<double>(new double[31 * 3], 31, 3)));
        Assert.Throws<ArgumentNullException>("a", () => preconditioner.Factor((CsrMatrix<double>)null!));

        preconditioner.Factor(new ReadOnlyMatrixView<double>(new TallCase(30, 3, 1, 1).Matrix(), 30, 3));
        Assert.Throws<ArgumentException>("r", () => preconditioner.Apply(new double[2], new double[3]));
        Assert.Throws<ArgumentException>("z", () => preconditioner.Apply(new double[3], new double[4]));
        var shared = new double[3];
        Assert.Throws<ArgumentException>(() => preconditioner.Apply(shared, shared));
        Assert.Throws<ArgumentException>("x", () => preconditioner.SolveR(new double[4]));
        Assert.Throws<ArgumentException>("destination", () => preconditioner.CopyR(new MatrixView<double>(new double[6], 2, 3)));
        Assert.Throws<ArgumentException>("preconditioner", () => ConjugateGradient.Solve(new DenseOperator<double>(new double[16], 4), new double[4], new double[4], preconditioner));
    }
}
