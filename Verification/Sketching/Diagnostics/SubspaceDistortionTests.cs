using Kernels.Blas;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Diagnostics;

/// <summary>
/// <see cref="SubspaceDistortion"/> against textbook values: closed-form eigenvalues of the d × d Gram matrix (SQ)ᵀ(SQ)
/// formed by plain loops from the dense S for d ≤ 2, Rayleigh-quotient and trace brackets for larger d, an orthogonal
/// sketch (distortion 0), a collision (eigenvalues 0 and 2); the basis handling; and every kind of bad input.
/// </summary>
public sealed class SubspaceDistortionTests
{
    [KernelProperty(MaxTest = 60)]
    public void Extreme_eigenvalues_match_the_Gram_matrix_formed_by_hand(SketchCase c)
    {
        int n = c.Columns, d = Math.Clamp(c.Width, 1, Math.Min(n, 5));
        ISketch<double> sketch = c.Sketch<double>();
        double[] q = TestMatrices.OrthonormalColumns(n, d, c.Seed);
        SubspaceDistortionResult result = SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, n, d));

        double[,] g = GramOfSketchedBasis(sketch, q, n, d);
        double trace = 0;
        for (int a = 0; a < d; a++)
        {
            trace += g[a, a];
        }
        // Jacobi's eigenvalues are within a few d·ε·‖G‖ of the exact ones (backward stable); ‖G‖ ≤ trace.
        double tolerance = 1e-12 * Math.Max(1, trace);
        string context = $"{c}, d = {d}: got [{result.MinEigenvalue:R}, {result.MaxEigenvalue:R}]";
        Assert.Equal(d, result.Dimension);
        if (d == 1)
        {
            Assert.True(Math.Abs(result.MinEigenvalue - g[0, 0]) <= tolerance && Math.Abs(result.MaxEigenvalue - g[0, 0]) <= tolerance, $"{context}, ‖Sq‖² = {g[0, 0]:R}");
        }
        else if (d == 2)
        {
            double mean = (g[0, 0] + g[1, 1]) / 2, radius = Math.Sqrt(Math.Pow((g[0, 0] - g[1, 1]) / 2, 2) + g[1, 0] * g[1, 0]);
            Assert.True(Math.Abs(result.MinEigenvalue - (mean - radius)) <= tolerance && Math.Abs(result.MaxEigenvalue - (mean + radius)) <= tolerance,
                $"{context}, closed form [{mean - radius:R}, {mean + radius:R}]");
        }
        // Any d: λmin ≤ xᵀGx/xᵀx ≤ λmax (coordinate vectors and a random one) and d·λmin ≤ tr G ≤ d·λmax.
        var random = new System.Random(c.Seed);
        var x = new double[d];
        for (int trial = 0; trial <= d; trial++)
        {
            for (int a = 0; a < d; a++)
            {
                x[a] = trial < d ? (a == trial ? 1 : 0) : random.NextDouble() - 0.5;
            }
            double quotient = Rayleigh(g, x);
            Assert.True(result.MinEigenvalue - tolerance <= quotient && quotient <= result.MaxEigenvalue + tolerance, $"{context}, Rayleigh quotient {quotient:R}");
        }
        Assert.True(d * result.MinEigenvalue - tolerance <= trace && trace <= d * result.MaxEigenvalue + tolerance, $"{context}, trace {trace:R}");
        Assert.Equal(Math.Max(result.MaxEigenvalue - 1, 1 - result.MinEigenvalue), result.Distortion);
        Assert.Equal(Math.Sqrt(Math.Max(result.MinEigenvalue, 0)), result.MinSingularValue);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(16, 5)]
    [InlineData(256, 12)]
    public void An_orthogonal_sketch_has_distortion_zero(int n, int d)
    {
        // An SRHT with s = N (a power of two) keeps every row of H: S = (H/√N)·D is orthogonal, so SQ has orthonormal columns.
        ISketch<double> sketch = new SrhtDistribution(n, n).Sample<double>(5);
        double[] q = TestMatrices.OrthonormalColumns(n, d, 9);
        SubspaceDistortionResult result = SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, n, d));
        Assert.True(result.Distortion <= 1e-13, $"distortion {result.Distortion:E3}");
        Assert.True(result.IsWithin(1e-13));
    }

    [Fact]
    public void A_collision_gives_eigenvalues_zero_and_two()
    {
        // S = [σ₀ σ₁] (one row, two columns), Q = I₂: (SQ)ᵀ(SQ) = [[1, σ₀σ₁], [σ₀σ₁, 1]], eigenvalues 0 and 2, distortion 1.
        ISketch<double> sketch = new CountSketchDistribution(1, 2).Sample<double>(3);
        double[] q = [1, 0, 0, 1];
        SubspaceDistortionResult result = SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 2, 2));
        Assert.Equal(0, result.MinEigenvalue, 15);
        Assert.Equal(2, result.MaxEigenvalue, 15);
        Assert.Equal(1, result.Distortion, 15);
        Assert.False(result.IsWithin(0.99));
    }

    [Fact]
    public void Float_agrees_with_double()
    {
        const int n = 300, d = 6;
        double[] q = TestMatrices.OrthonormalColumns(n, d, 4);
        var distribution = new SparseEmbeddingDistribution(120, n, 3);
        var exact = SubspaceDistortion.Measure(distribution.Sample<double>(8), new ReadOnlyMatrixView<double>(q, n, d));
        float[] qf = q.Select(v => (float)v).ToArray();
        var single = SubspaceDistortion.Measure(distribution.Sample<float>(8), new ReadOnlyMatrixView<float>(qf, n, d));
        Assert.Equal(exact.MinEigenvalue, single.MinEigenvalue, 4);
        Assert.Equal(exact.MaxEigenvalue, single.MaxEigenvalue, 4);
    }

    // ---- Basis handling ------------------------------------------------------------------------------------------

    [Fact]
    public void A_non_orthonormal_basis_is_rejected_unless_orthonormalization_is_requested()
    {
        const int n = 200, d = 4;
        ISketch<double> sketch = new GaussianDistribution(60, n).Sample<double>(2);
        double[] q = TestMatrices.OrthonormalColumns(n, d, 6);
        var view = new ReadOnlyMatrixView<double>(q, n, d);
        Assert.True(SubspaceDistortion.OrthonormalityError(view) <= SubspaceDistortion.DefaultTolerance<double>(n, d));

        // B = Q·G with G invertible spans the same subspace; it is rejected as it stands, accepted when orthonormalized,
        // and gives the eigenvalues of Q's (they depend only on the subspace).
        double[,] mix = { { 2, 1, 0, 0 }, { 0, 1, 3, 0 }, { 1, 0, 1, 1 }, { 0, -1, 0, 2 } };
        var b = new double[n * d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                for (int k = 0; k < d; k++)
                {
                    b[i * d + j] += q[i * d + k] * mix[k, j];
                }
            }
        }
        var mixed = new ReadOnlyMatrixView<double>(b, n, d);
        var error = Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(b, n, d)));
        Assert.Contains("Orthonormalize", error.Message);
        SubspaceDistortionResult reference = SubspaceDistortion.Measure(sketch, view);
        SubspaceDistortionResult orthonormalized = SubspaceDistortion.Measure(sketch, mixed, BasisHandling.Orthonormalize);
        Assert.Equal(reference.MinEigenvalue, orthonormalized.MinEigenvalue, 12);
        Assert.Equal(reference.MaxEigenvalue, orthonormalized.MaxEigenvalue, 12);

        // A small departure from orthonormality: rejected at the default tolerance, accepted at a looser explicit one.
        double[] nudged = (double[])q.Clone();
        nudged[0] += 1e-6;
        var nudgedView = new ReadOnlyMatrixView<double>(nudged, n, d);
        Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(nudged, n, d)));
        Assert.Equal(reference.MaxEigenvalue, SubspaceDistortion.Measure(sketch, nudgedView, tolerance: 1e-5).MaxEigenvalue, 4);

        // A rank-deficient basis cannot be orthonormalized.
        double[] repeated = (double[])q.Clone();
        for (int i = 0; i < n; i++)
        {
            repeated[i * d + 3] = 2 * repeated[i * d + 1];
        }
        var rankError = Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(repeated, n, d), BasisHandling.Orthonormalize));
        Assert.Contains("rank-deficient", rankError.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_bases_are_rejected(double bad)
    {
        const int n = 32, d = 3;
        ISketch<double> sketch = new CountSketchDistribution(10, n).Sample<double>(1);
        double[] q = TestMatrices.OrthonormalColumns(n, d, 2);
        q[7] = bad;
        Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, n, d)));
        Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, n, d), BasisHandling.Orthonormalize));
    }

    [Fact]
    public void Shapes_and_options_are_validated()
    {
        ISketch<double> sketch = new CountSketchDistribution(10, 20).Sample<double>(1);
        double[] q = TestMatrices.OrthonormalColumns(20, 3, 2);
        Assert.Throws<ArgumentNullException>("sketch", () => SubspaceDistortion.Measure<double>(null!, new ReadOnlyMatrixView<double>(q, 20, 3)));
        Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 19, 3)));
        Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 20, 0)));
        double[] wide = new double[4 * 5];
        ISketch<double> small = new GaussianDistribution(3, 4).Sample<double>(1);
        Assert.Throws<ArgumentException>("basis", () => SubspaceDistortion.Measure(small, new ReadOnlyMatrixView<double>(wide, 4, 5)));
        Assert.Throws<ArgumentOutOfRangeException>("tolerance", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 20, 3), tolerance: -1));
        Assert.Throws<ArgumentOutOfRangeException>("tolerance", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 20, 3), tolerance: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("handling", () => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 20, 3), (BasisHandling)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, 20, 3), options: new BlasOptions { MaxThreads = 0 }));
    }

    /// <summary>(SQ)ᵀ(SQ) by plain loops in double from the dense S.</summary>
    private static double[,] GramOfSketchedBasis(ISketch<double> sketch, double[] q, int n, int d)
    {
        int s = sketch.Rows;
        var dense = new double[s * n];
        sketch.ToDense(new MatrixView<double>(dense, s, n));
        var sq = new double[s, d];
        for (int r = 0; r < s; r++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int a = 0; a < d; a++)
                {
                    sq[r, a] += dense[r * n + i] * q[i * d + a];
                }
            }
        }
        var g = new double[d, d];
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                for (int r = 0; r < s; r++)
                {
                    g[a, b] += sq[r, a] * sq[r, b];
                }
            }
        }
        return g;
    }

    private static double Rayleigh(double[,] g, double[] x)
    {
        double numerator = 0, denominator = 0;
        for (int a = 0; a < x.Length; a++)
        {
            denominator += x[a] * x[a];
            for (int b = 0; b < x.Length; b++)
            {
                numerator += x[a] * g[a, b] * x[b];
            }
        }
        return numerator / denominator;
    }
}
