using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Solvers;

namespace Kernels.Training.Ntk;

/// <summary>
/// The random-feature matrix Φ of the NTK (§D of the papers): row i is φ(x_i) = (1/√m)·[s_r·x_i·1(⟨w_r, x_i⟩ ≥ 0)] over
/// r = 1..m, so Φ is n × m·d and Φ·Φᵀ → K as m grows (s_r = 1 for plain sampling; √(p/q) after leverage sampling). These
/// are the Jacobian rows of the 2-layer ReLU net with b = 0 with respect to its first-layer weights, up to the output
/// weights' signs.
/// </summary>
/// <remarks>
/// <para><b>Never materialized.</b> Only the n × m masks c_ir = s_r·1(⟨w_r, x_i⟩ ≥ 0)/√m are stored (computed once by one
/// Gemm X·Wᵀ). With u ∈ R^{md} read as the m × d matrix U: Φ·u = rowsum(C ⊙ (X·Uᵀ)) — one n × m × d Gemm and n dot
/// products — and Φᵀ·v = (C ⊙ v·1ᵀ)ᵀ·X — a row scaling and one Gemm. Both cost 2·n·m·d flops against n·m·d for the
/// stored matrix, with d times less memory.</para>
/// <para>Block products (k vectors at once, as <see cref="ConjugateGradientBatch"/> and <see cref="FeatureRidge{T}"/> use
/// them) stack the k columns so each direction is one Gemm of k times the width, not k Gemms.</para>
/// <para>Products take their scratch (n × m per vector, n × k·m and k·m × d per block, in column chunks of at most 2²⁰
/// elements) from the array pool and allocate nothing else; the same bits for any thread
/// count (Gemm is deterministic, the row sums run in a fixed order).</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class RandomFeatureMap<T> : LinearMapBase<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _points;
    private readonly Matrix<T> _masks;
    private readonly BlasOptions? _options;

    /// <summary>Builds Φ for the points X and the features (W, s).</summary>
    /// <param name="points">X, n × d, finite; copied.</param>
    /// <param name="features">The m weights and scales, of dimension d.</param>
    /// <param name="options">Threads for the Gemm products.</param>
    /// <exception cref="ArgumentNullException"><paramref name="features"/> is null.</exception>
    /// <exception cref="ArgumentException">The dimensions differ or X is not finite.</exception>
    /// <exception cref="InsufficientMemoryException">m·d exceeds the largest vector length or the n × m masks do not fit (the message gives the bytes).</exception>
    public RandomFeatureMap(ReadOnlyMatrixView<T> points, RandomFeatures<T> features, BlasOptions? options = null)
        : base(points.Rows, CheckedColumns(features, points.Columns))
    {
        NeuralTangentKernel.RequireFinite(points, nameof(points));
        options?.Validate();
        MemoryBudget.Require((long)points.Rows * features.Count, System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), $"The {points.Rows} × {features.Count} feature masks (n = points.Rows, m = features.Count)");
        Features = features;
        _options = options;
        _points = new Matrix<T>(points);
        _masks = new Matrix<T>(points.Rows, features.Count);
        Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, points, features.Weights, T.Zero, _masks.View, options);
        T root = T.One / T.Sqrt(T.CreateChecked(features.Count));
        for (int i = 0; i < points.Rows; i++)
        {
            Span<T> row = _masks.Row(i);
            for (int r = 0; r < row.Length; r++)
            {
                row[r] = row[r] >= T.Zero ? features.Scales[r] * root : T.Zero;
            }
        }
    }

    private static int CheckedColumns(RandomFeatures<T> features, int dimension)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.Dimension != dimension)
        {
            throw new ArgumentException($"points has {dimension} columns; expected {features.Dimension}, the dimension of the features' weights.", "points");
        }
        long columns = (long)features.Count * dimension;
        if (columns > Array.MaxLength)
        {
            throw new InsufficientMemoryException(
                $"Φ has m·d = {columns:N0} columns; a vector of them needs {columns * System.Runtime.CompilerServices.Unsafe.SizeOf<T>():N0} bytes, more than one array holds.");
        }
        return (int)columns;
    }

    /// <summary>The features (W, s) the map was built from.</summary>
    public RandomFeatures<T> Features { get; }

    /// <summary>The points X (n × d).</summary>
    public ReadOnlyMatrixView<T> Points => _points.ReadOnlyView;

    /// <summary>The masks c_ir = s_r·1(⟨w_r, x_i⟩ ≥ 0)/√m, n × m.</summary>
    public ReadOnlyMatrixView<T> Masks => _masks.ReadOnlyView;

    /// <inheritdoc/>
    protected override void ApplyVector(Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        int n = Rows, m = Features.Count, d = Features.Dimension;
        T[] rented = ArrayPool<T>.Shared.Rent(n * m);
        try
        {
            var scratch = new MatrixView<T>(rented, n, m);
            if (transpose == Transpose.None)
            {
                // P = X·Uᵀ, then y_i = α·⟨c_i, p_i⟩ + β·y_i.
                Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, Points, new ReadOnlyMatrixView<T>(x, m, d), T.Zero, scratch, _options);
                for (int i = 0; i < n; i++)
                {
                    T dot = alpha * Level1.Dot<T>(_masks.Row(i), scratch.Row(i));
                    y[i] = beta == T.Zero ? dot : dot + beta * y[i];
                }
            }
            else
            {
                // A = C ⊙ v·1ᵀ, then U = α·Aᵀ·X + β·U.
                for (int i = 0; i < n; i++)
                {
                    Level1.Scale(x[i], _masks.Row(i), scratch.Row(i));
                }
                Level3.Gemm(Transpose.Transposed, Transpose.None, alpha, scratch, Points, beta, new MatrixView<T>(y, m, d), _options);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// All k columns in one Gemm each way (in chunks of columns whose scratch stays under <see cref="BlockScratchLimit"/>
    /// elements): with the columns' U_j stacked into S (k·m × d), Φ·X reads its entries from P = X_pts·Sᵀ (n × k·m), and
    /// Φᵀ·V is S = Aᵀ·X_pts for A = [C ⊙ v_1·1ᵀ … C ⊙ v_k·1ᵀ] (n × k·m). Same flops as k vector products, in one
    /// wide Gemm instead of k narrow ones.
    /// </remarks>
    protected override void ApplyBlock(Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
    {
        int n = Rows, m = Features.Count, d = Features.Dimension, k = x.Columns;
        int chunk = (int)Math.Clamp(BlockScratchLimit / ((long)n * m + (long)m * d), 1, Math.Max(k, 1));
        T[] products = ArrayPool<T>.Shared.Rent(n * m * chunk);
        T[] stacked = ArrayPool<T>.Shared.Rent(m * d * chunk);
        try
        {
            for (int j0 = 0; j0 < k; j0 += chunk)
            {
                int kc = Math.Min(chunk, k - j0);
                var p = new MatrixView<T>(products, n, kc * m);
                var s = new MatrixView<T>(stacked, kc * m, d);
                if (transpose == Transpose.None)
                {
                    // S row (j·m + r) = u_{j,r}: X's rows r·d .. r·d + d − 1, column j0 + j.
                    for (int r = 0; r < m; r++)
                    {
                        for (int t = 0; t < d; t++)
                        {
                            ReadOnlySpan<T> source = x.Row(r * d + t).Slice(j0, kc);
                            for (int j = 0; j < kc; j++)
                            {
                                stacked[((long)j * m + r) * d + t] = source[j];
                            }
                        }
                    }
                    Level3.Gemm(Transpose.None, Transpose.Transposed, T.One, Points, s.AsReadOnly(), T.Zero, p, _options);
                    for (int i = 0; i < n; i++)
                    {
                        ReadOnlySpan<T> masks = _masks.Row(i), row = p.Row(i);
                        Span<T> output = y.Row(i).Slice(j0, kc);
                        for (int j = 0; j < kc; j++)
                        {
                            T dot = alpha * Level1.Dot<T>(masks, row.Slice(j * m, m));
                            output[j] = beta == T.Zero ? dot : dot + beta * output[j];
                        }
                    }
                }
                else
                {
                    for (int i = 0; i < n; i++)
                    {
                        ReadOnlySpan<T> v = x.Row(i).Slice(j0, kc);
                        Span<T> row = p.Row(i);
                        for (int j = 0; j < kc; j++)
                        {
                            Level1.Scale(v[j], _masks.Row(i), row.Slice(j * m, m));
                        }
                    }
                    Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, p.AsReadOnly(), Points, T.Zero, s, _options);
                    for (int r = 0; r < m; r++)
                    {
                        for (int t = 0; t < d; t++)
                        {
                            Span<T> output = y.Row(r * d + t).Slice(j0, kc);
                            for (int j = 0; j < kc; j++)
                            {
                                T value = alpha * stacked[((long)j * m + r) * d + t];
                                output[j] = beta == T.Zero ? value : value + beta * output[j];
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(stacked);
            ArrayPool<T>.Shared.Return(products);
        }
    }

    /// <summary>
    /// The most scratch elements a block product takes from the pool at once (2²⁰, 8 MB of doubles) unless one column needs more:
    /// wider chunks leave the cache and, for small d (where the product is bound by the n × k·m intermediate, not the Gemm),
    /// ran slower than one column at a time.
    /// </summary>
    private const long BlockScratchLimit = 1L << 20;

    /// <summary>Writes the diagonal of ΦᵀΦ (m·d entries: Σ_i c_ir²·x_ik²), for a Jacobi preconditioner of the primal ridge system.</summary>
    /// <param name="diagonal">m·d elements, overwritten.</param>
    /// <exception cref="ArgumentException"><paramref name="diagonal"/> does not have m·d elements.</exception>
    public void GramDiagonal(Span<T> diagonal)
    {
        Guard.RequireLength(diagonal.Length, Columns, nameof(diagonal), "m·d, the columns of Φ");
        int n = Rows, m = Features.Count, d = Features.Dimension;
        var squaredMasks = new Matrix<T>(n, m);
        var squaredPoints = new Matrix<T>(n, d);
        for (int i = 0; i < n; i++)
        {
            Elementwise.Arithmetic.Hadamard<T>(_masks.Row(i), _masks.Row(i), squaredMasks.Row(i));
            Elementwise.Arithmetic.Hadamard<T>(_points.Row(i), _points.Row(i), squaredPoints.Row(i));
        }
        Level3.Gemm(Transpose.Transposed, Transpose.None, T.One, squaredMasks.ReadOnlyView, squaredPoints.ReadOnlyView, T.Zero,
            new MatrixView<T>(diagonal, m, d), _options);
    }
}
