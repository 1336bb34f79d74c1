using System.Numerics;
using Kernels.Blas;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A sampled CountSketch: column j of S has the single nonzero σ(j) = ±1 in row h(j). Applying it costs one hash per
/// column of S and one signed row update per row (dense A) or per stored entry (CSR A): O(nnz(A)).
/// </summary>
/// <remarks>
/// h and σ come from one 4-wise independent polynomial hash over 2³¹ − 1,
/// <c>PolynomialHash(4, CounterRandom.Derive(seed, Purpose("osnap")), stream: 0)</c>,
/// through <see cref="Hashing.IHashFunction.BucketAndSign"/>: (h(j), σ(j)) is jointly 4-wise independent, more than
/// Theorem B.3 needs (2-wise h, 4-wise σ). The operator is <see cref="SparseEmbedding{T}"/> with one nonzero per
/// column and the same seed gives the same matrix. See <see cref="ISketch{T}"/> for determinism.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CountSketch<T> : SketchOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SignedBlockHashing<T> _hashing;

    internal CountSketch(CountSketchDistribution distribution, ulong seed) : base(distribution.Rows, distribution.Columns, seed)
    {
        Distribution = distribution;
        _hashing = new SignedBlockHashing<T>(distribution.Rows, distribution.Columns, 1, seed);
    }

    /// <summary>The distribution this operator was drawn from.</summary>
    public CountSketchDistribution Distribution { get; }

    /// <summary>The nonzeros of column <paramref name="column"/>: one (row, value) per block, blocks in order.</summary>
    internal void ColumnEntries(int column, Span<int> rows, Span<T> values) => _hashing.Entries(column, rows, values);

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
