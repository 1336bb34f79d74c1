using Kernels.Blas;
using Kernels.Sketching.Diagnostics;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;
using Xunit.Abstractions;

namespace Kernels.Verification.Sketching.Diagnostics;

/// <summary>
/// The oblivious subspace embedding property (Definition 3.1): for d-dimensional subspaces with orthonormal basis Q,
/// <see cref="SubspaceDistortion"/> of CountSketch, OSNAP, Gaussian and SRHT sketches is at most ε at the sketch sizes
/// the theorems give, with their constants written out, and a false-failure probability below 10⁻⁶ per test.
/// </summary>
/// <remarks>
/// <para>The theorems hold for every fixed subspace, so any choice of Q is legitimate. The first trial uses the span of
/// the first d coordinate vectors (for hashing sketches the worst kind: every collision of two of those d columns shows
/// in full); the others use random subspaces (<see cref="TestMatrices.OrthonormalColumns"/>). Every trial draws its own
/// sketch seed. All seeds are fixed, so a run is repeatable.</para>
/// <para>The sizes are what the proofs need, far above what is needed in practice, so these tests catch a wrong scale, a
/// broken hash or a missing sign rather than a constant-factor loss; the observed distortions are written to the test
/// output.</para>
/// </remarks>
public sealed class SubspaceEmbeddingTests(ITestOutputHelper output)
{
    private const double Epsilon = 0.5;

    /// <summary>
    /// CountSketch (t = 1) and OSNAP (t = 4 blocks), second-moment bound. Write M = QᵀSᵀSQ − I. For CountSketch with
    /// 2-wise rows h and 4-wise signs σ, M[a, b] = Σ_{i≠j, h(i)=h(j)} σᵢσⱼQ[i, a]Q[j, b], and only the pairs {i, j} = {k, l}
    /// survive in E M[a, b]², so E‖M‖_F² = (1/s)·Σ_{i≠j}(‖qᵢ‖²‖qⱼ‖² + ⟨qᵢ, qⱼ⟩²) ≤ (d² + ‖QQᵀ‖_F²)/s = (d² + d)/s
    /// (qᵢ the rows of Q; Clarkson–Woodruff, Nelson–Nguyen). OSNAP's SᵀS is the mean of t independent CountSketches of s/t
    /// rows, so its M is the mean of t independent zero-mean terms and E‖M‖_F² ≤ t·(d² + d)/(s/t)/t² = (d² + d)/s too.
    /// Markov on ‖M‖₂² ≤ ‖M‖_F²: P(distortion &gt; ε) ≤ (d² + d)/(s·ε²) = δ with s = ⌈(d² + d)/(ε²δ)⌉.
    /// </summary>
    /// <remarks>
    /// Markov's bound is too weak to make one trial fail with probability 10⁻⁶ at a sensible s, so each trial may fail with
    /// probability δ = 0.1 (raised to 0.1001 for the O(s/p), p = 2³¹ − 1, unevenness of the hash's buckets and signs), and
    /// the test fails only if more than k of 30 trials do, k the smallest count with P(Binomial(30, 0.1001) &gt; k) ≤ 10⁻⁶
    /// (<see cref="Statistics.BinomialUpperQuantile"/>). With d = 6: s = 1680 (420 rows per OSNAP block), N = 8192.
    /// </remarks>
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Hashing_sketches_embed_at_the_second_moment_size(int nonzeros)
    {
        const int d = 6, n = 8192, trials = 30;
        const double delta = 0.1;
        int s = (int)Math.Ceiling((d * d + d) / (Epsilon * Epsilon * delta));
        Assert.Equal(1680, s);
        SketchDistribution distribution = nonzeros == 1 ? new CountSketchDistribution(s, n) : new SparseEmbeddingDistribution(s, n, nonzeros);
        int allowed = Statistics.BinomialUpperQuantile(trials, 1.001 * delta, 1e-6);

        var distortions = Distortions(distribution, n, d, trials);
        int failures = distortions.Count(e => e > Epsilon);
        output.WriteLine($"{distribution}: s = {s}, distortion max {distortions.Max():F4}, median {Median(distortions):F4}, {failures} of {trials} above ε = {Epsilon} (allowed {allowed}).");
        Assert.True(failures <= allowed, $"{failures} of {trials} trials have distortion above {Epsilon}; at most {allowed} may.");
    }

    /// <summary>
    /// Gaussian sketch, S = G/√s. For orthonormal Q, G·Q is an s × d matrix of independent N(0, 1) entries, and
    /// (Davidson–Szarek; Vershynin 2012, Cor. 5.35) √s − √d − τ ≤ σmin(GQ) ≤ σmax(GQ) ≤ √s + √d + τ except with
    /// probability 2·exp(−τ²/2). So every σ(SQ) lies in [1 − a, 1 + a] with a = (√d + τ)/√s, and the distortion is at most
    /// (1 + a)² − 1 ≤ ε once a ≤ √(1 + ε) − 1 (the lower side, 1 − (1 − a)², is then smaller). Union over T = 6 trials:
    /// τ = √(2·ln(2T/10⁻⁶)) makes every trial pass except with probability 10⁻⁶; s = ⌈((√d + τ)/(√(1 + ε) − 1))²⌉ = 1444
    /// for d = 8, N = 2048.
    /// </summary>
    [Fact]
    public void Gaussian_sketch_embeds_at_the_Davidson_Szarek_size()
    {
        const int d = 8, n = 2048, trials = 6;
        double tau = Math.Sqrt(2 * Math.Log(2 * trials / 1e-6));
        int s = (int)Math.Ceiling(Math.Pow((Math.Sqrt(d) + tau) / (Math.Sqrt(1 + Epsilon) - 1), 2));
        Assert.Equal(1444, s);
        AssertAll(new GaussianDistribution(s, n), n, d, trials);
    }

    /// <summary>
    /// SRHT, S = √(N/s)·P·(H/√N)·D with N a power of two (no padding). Tropp (2011, "Improved analysis of the subsampled
    /// randomized Hadamard transform"), Lemma 3.3: every row of (H/√N)·D·Q has squared norm at most M/N,
    /// M = (√d + √(8·ln(N/δ₁)))², except with probability δ₁. Given that, SᵀS restricted to Q is (N/s) times a sum of s
    /// rank-one terms sampled without replacement, each of norm ≤ M/N, with mean I; the matrix Chernoff bound for sampling
    /// without replacement (his Lemma 3.4, after Gross–Nesme) gives P(λmax ≥ 1 + ε) ≤ d·exp(−c₊·s/M) and
    /// P(λmin ≤ 1 − ε) ≤ d·exp(−c₋·s/M), with c₊ = (1 + ε)ln(1 + ε) − ε = 0.1082 and c₋ = ε + (1 − ε)ln(1 − ε) = 0.1534 for
    /// ε = ½. So s = ⌈M·ln(2d/δ₂)/c₊⌉ fails with probability at most δ₁ + δ₂. Over T = 3 trials with δ₁ = δ₂ = 10⁻⁶/(2T):
    /// d = 4, N = 2¹⁸ gives s = 47 181 ≤ N.
    /// </summary>
    [Fact]
    public void Srht_embeds_at_Tropps_size()
    {
        const int d = 4, n = 1 << 18, trials = 3;
        double part = 1e-6 / (2 * trials);
        double m = Math.Pow(Math.Sqrt(d) + Math.Sqrt(8 * Math.Log(n / part)), 2);
        double upper = (1 + Epsilon) * Math.Log(1 + Epsilon) - Epsilon;
        Assert.True(upper < Epsilon + (1 - Epsilon) * Math.Log(1 - Epsilon), "the upper tail should be the binding one");
        int s = (int)Math.Ceiling(m * Math.Log(2 * d / part) / upper);
        Assert.InRange(s, 47_000, n);
        AssertAll(new SrhtDistribution(s, n), n, d, trials);
    }

    private void AssertAll(SketchDistribution distribution, int n, int d, int trials)
    {
        double[] distortions = Distortions(distribution, n, d, trials);
        output.WriteLine($"{distribution}: distortion max {distortions.Max():F4}, median {Median(distortions):F4} over {trials} subspaces (ε = {Epsilon}).");
        for (int trial = 0; trial < trials; trial++)
        {
            Assert.True(distortions[trial] <= Epsilon, $"{distribution}, trial {trial}: distortion {distortions[trial]:F4} > {Epsilon}.");
        }
    }

    private static double[] Distortions(SketchDistribution distribution, int n, int d, int trials)
    {
        var distortions = new double[trials];
        for (int trial = 0; trial < trials; trial++)
        {
            double[] q = trial == 0 ? CoordinateBasis(n, d) : TestMatrices.OrthonormalColumns(n, d, 1000 + trial);
            ISketch<double> sketch = distribution.Sample<double>((ulong)(77 + trial));
            distortions[trial] = SubspaceDistortion.Measure(sketch, new ReadOnlyMatrixView<double>(q, n, d)).Distortion;
        }
        return distortions;
    }

    /// <summary>The first d columns of the N × N identity.</summary>
    private static double[] CoordinateBasis(int n, int d)
    {
        var q = new double[n * d];
        for (int j = 0; j < d; j++)
        {
            q[j * d + j] = 1;
        }
        return q;
    }

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
