using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Operators;
using Kernels.Solvers;
using Kernels.Sparse;
using Xunit.Sdk;

namespace Kernels.Verification.Testing.Sketching;

/// <summary>
/// <see cref="SketchAssertions"/> on a correct Gaussian sketch, which must pass (false alarm ≤ 10⁻⁶ each, from the
/// bounds below), and on the same sketch with coordinate 0 of its input dropped, which must fail: with the data chosen
/// so that coordinate 0 matters, every draw of the broken sketch fails deterministically (probability 1).
/// </summary>
public sealed class SketchAssertionsTests
{
    private const double FalseAlarm = 1e-6;
    private const int Draws = 20;

    /// <summary>
    /// s = 200, N = 256, Q = [e₀ e₁]: SQ has independent N(0, 1/s) entries, so by Gordon's inequality σ(SQ) lies in
    /// 1 ± (√(d/s) + t) = 1 ± 0.3 (t = 0.2) except with probability 2·exp(−s·t²/2) = 2e⁻⁴ ≈ 0.0366 per draw: eigenvalues in
    /// [0.49, 1.69], ε = 0.69. The broken sketch maps e₀ to 0, so λmin = 0 and the distortion is 1 in every draw.
    /// </summary>
    [Fact]
    public void Subspace_embedding_passes_a_Gaussian_sketch_and_fails_one_that_drops_a_coordinate()
    {
        const int s = 200, n = 256, d = 2;
        double drawFailure = 2 * Math.Exp(-s * 0.2 * 0.2 / 2);
        var basis = new double[n * d];
        basis[0 * d + 0] = 1;
        basis[1 * d + 1] = 1;
        var distribution = new GaussianDistribution(s, n);

        SketchAssertions.AssertSubspaceEmbedding(t => distribution.Sample<double>((ulong)t), new ReadOnlyMatrixView<double>(basis, n, d), 0.69, drawFailure, Draws, FalseAlarm);
        var error = Assert.Throws<XunitException>(() => SketchAssertions.AssertSubspaceEmbedding(t => DroppedCoordinate(distribution.Sample<double>((ulong)t)),
            new ReadOnlyMatrixView<double>(basis, n, d), 0.69, drawFailure, Draws, FalseAlarm));
        Assert.Contains($"{Draws} of {Draws} draws failed", error.Message);
    }

    /// <summary>
    /// k = 1000 rows, the points e₀ … e₇ of R²⁵⁶ (28 pairs), ε = 0.3: <see cref="SketchAssertions.GaussianDistanceFailure"/> gives
    /// δ = 28·(exp(−500(0.3 − ln 1.3)) + exp(−500(−0.3 − ln 0.7))) ≈ 1.9·10⁻⁷ per draw. Dropping coordinate 0 makes
    /// ‖S(e₀ − e₁)‖² = ‖Se₁‖² ≈ 1 against ‖e₀ − e₁‖² = 2: ratio χ²₁₀₀₀/2000 ≈ 0.5 ± 0.02, outside (0.7, 1.3) unless
    /// χ²₁₀₀₀ ≥ 1400, which Chernoff bounds by exp(−500(0.4 − ln 1.4)) ≈ 3·10⁻⁶ per draw.
    /// </summary>
    [Fact]
    public void Distance_ratios_pass_a_Gaussian_sketch_and_fail_one_that_drops_a_coordinate()
    {
        const int k = 1000, n = 256, points = 8;
        double drawFailure = SketchAssertions.GaussianDistanceFailure(k, 0.3, points * (points - 1) / 2);
        Assert.InRange(drawFailure, 1e-7, 3e-7);
        var x = new double[n * points];
        for (int p = 0; p < points; p++)
        {
            x[p * points + p] = 1;
        }
        var distribution = new GaussianDistribution(k, n);

        SketchAssertions.AssertDistanceRatios(t => distribution.Sample<double>((ulong)t), new ReadOnlyMatrixView<double>(x, n, points), 0.3, drawFailure, Draws, FalseAlarm);
        Assert.Throws<XunitException>(() => SketchAssertions.AssertDistanceRatios(t => DroppedCoordinate(distribution.Sample<double>((ulong)t)),
            new ReadOnlyMatrixView<double>(x, n, points), 0.3, drawFailure, Draws, FalseAlarm));
    }

    [Fact]
    public void Gaussian_distance_failure_is_the_Chernoff_bound_and_at_most_one()
    {
        double upper = Math.Exp(-50 * (0.5 - Math.Log(1.5))), lower = Math.Exp(-50 * (-0.5 - Math.Log(0.5)));
        Assert.Equal(3 * (upper + lower), SketchAssertions.GaussianDistanceFailure(100, 0.5, 3), 15);
        Assert.Equal(1, SketchAssertions.GaussianDistanceFailure(1, 0.1, 10));
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        double[] e0 = [1, 0];
        ISketch<double> Sample(int t) => new GaussianDistribution(2, 2).Sample<double>((ulong)t);
        Assert.Throws<ArgumentNullException>("sample", () => SketchAssertions.AssertSubspaceEmbedding<double>(null!, new ReadOnlyMatrixView<double>(e0, 2, 1), 0.5, 0.1, 5, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => SketchAssertions.AssertSubspaceEmbedding(Sample, new ReadOnlyMatrixView<double>(e0, 2, 1), 0, 0.1, 5, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("drawFailure", () => SketchAssertions.AssertSubspaceEmbedding(Sample, new ReadOnlyMatrixView<double>(e0, 2, 1), 0.5, 1, 5, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("draws", () => SketchAssertions.AssertDistanceRatios(Sample, new ReadOnlyMatrixView<double>(e0, 2, 1), 0.5, 0.1, 0, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("falseAlarm", () => SketchAssertions.AssertDistanceRatios(Sample, new ReadOnlyMatrixView<double>(e0, 2, 1), 0.5, 0.1, 5, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>("epsilon", () => SketchAssertions.AssertDistanceRatios(Sample, new ReadOnlyMatrixView<double>(e0, 2, 1), 1, 0.1, 5, FalseAlarm));
        Assert.Throws<ArgumentException>("points", () => SketchAssertions.AssertDistanceRatios(Sample, new ReadOnlyMatrixView<double>(new double[6], 3, 2), 0.5, 0.1, 5, FalseAlarm));
        Assert.Throws<ArgumentOutOfRangeException>("rows", () => SketchAssertions.GaussianDistanceFailure(0, 0.5, 1));
    }

    /// <summary>S with column <paramref name="coordinate"/> zeroed: the sketch ignores that coordinate of its input.</summary>
    private static ISketch<T> DroppedCoordinate<T>(ISketch<T> inner, int coordinate = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dense = new T[inner.Rows * inner.Columns];
        inner.ToDense(new MatrixView<T>(dense, inner.Rows, inner.Columns));
        for (int i = 0; i < inner.Rows; i++)
        {
            dense[i * inner.Columns + coordinate] = T.Zero;
        }
        return new DenseSketch<T>(dense, inner.Rows, inner.Columns, inner.Seed);
    }

    /// <summary>A sketch given by its dense matrix; only the dense paths the assertions use are implemented.</summary>
    private sealed class DenseSketch<T>(T[] matrix, int rows, int columns, ulong seed) : ISketch<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int Rows => rows;

        public int Columns => columns;

        public ulong Seed => seed;

        private ReadOnlyMatrixView<T> S => new(matrix, rows, columns);

        public void Apply(ReadOnlySpan<T> x, Span<T> destination) =>
            Level3.Gemm(Transpose.None, Transpose.None, T.One, S, new ReadOnlyMatrixView<T>(x, columns, 1), T.Zero, new MatrixView<T>(destination, rows, 1));

        public void Apply(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions? options = null) =>
            Level3.Gemm(Transpose.None, Transpose.None, T.One, S, a, T.Zero, destination, options);

        public void Apply(CsrMatrix<T> a, MatrixView<T> destination) => throw new NotSupportedException();

        public void Apply(ILinearMap<T> a, MatrixView<T> destination, BlasOptions? options = null) => throw new NotSupportedException();

        public void ApplyTranspose(ReadOnlySpan<T> y, Span<T> destination) => throw new NotSupportedException();

        public void ApplyTranspose(ReadOnlyMatrixView<T> y, MatrixView<T> destination) => throw new NotSupportedException();

        public void ToDense(MatrixView<T> destination)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    destination[i, j] = matrix[i * columns + j];
                }
            }
        }
    }
}
