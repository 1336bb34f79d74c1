using System.Numerics;
using Kernels.Blas;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A sampled OSNAP sparse embedding: column j of S has one nonzero ±1/√t in each of t row blocks (see
/// <see cref="SparseEmbeddingDistribution"/>). Applying it costs O(t·nnz(A)).
/// </summary>
/// <remarks>
/// Block b takes its row and sign from the 4-wise independent
/// <c>PolynomialHash(4, CounterRandom.Derive(seed, Purpose("osnap")), stream: b)</c> through
/// <see cref="Hashing.IHashFunction.BucketAndSign"/>; blocks are independent. With t = 1 and the same seed it is the
/// same matrix as <see cref="CountSketch{T}"/>, which is this class under its own name. See <see cref="ISketch{T}"/> for
/// determinism.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public class SparseEmbedding<T> : SketchOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SignedBlockHashing<T> _hashing;

    internal SparseEmbedding(SparseEmbeddingDistribution distribution, ulong seed) : base(distribution.Rows, distribution.Columns, seed)
    {
        Distribution = distribution;
        _hashing = new SignedBlockHashing<T>(distribution.Rows, distribution.Columns, distribution.NonzerosPerColumn, seed);
    }

    /// <summary>The distribution this operator was drawn from (a <see cref="CountSketchDistribution"/> for a <see cref="CountSketch{T}"/>).</summary>
    public SparseEmbeddingDistribution Distribution { get; }

    private protected override void ApplyVector(ReadOnlySpan<T> x, Span<T> destination) => _hashing.ApplyVector(x, destination);

    private protected override void ApplyDense(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions options)
    {
        SignedBlockHashing<T>.Clear(destination);
        _hashing.Accumulate(0, a, destination, options);
    }

    private protected override void ApplySparse(CsrMatrix<T> a, MatrixView<T> destination) => _hashing.ApplySparse(a, destination);

    private protected override void ApplyTransposeVector(ReadOnlySpan<T> y, Span<T> destination) => _hashing.ApplyTransposeVector(y, destination);

    private protected override void ApplyTransposeDense(ReadOnlyMatrixView<T> y, MatrixView<T> destination) => _hashing.ApplyTransposeDense(y, destination);

    private protected override void WriteRows(int firstRow, MatrixView<T> destination) => _hashing.WriteRows(firstRow, destination);
}
