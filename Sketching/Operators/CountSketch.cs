using System.Numerics;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A sampled CountSketch: column j of S has the single nonzero σ(j) = ±1 in row h(j). It is the
/// <see cref="SparseEmbedding{T}"/> with one nonzero per column, under the name the literature gives it: the same
/// implementation, and for one seed the same matrix as OSNAP with t = 1. Applying it costs one hash per column of S
/// and one signed row update per row (dense A) or per stored entry (CSR A): O(nnz(A)).
/// </summary>
/// <remarks>
/// h and σ come from one 4-wise independent polynomial hash over 2³¹ − 1,
/// <c>PolynomialHash(4, CounterRandom.Derive(seed, Purpose("osnap")), stream: 0)</c>, through
/// <see cref="Hashing.IHashFunction.BucketAndSign"/>: (h(j), σ(j)) is jointly 4-wise independent, more than
/// Theorem B.3 needs (2-wise h, 4-wise σ). See <see cref="ISketch{T}"/> for determinism.
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class CountSketch<T> : SparseEmbedding<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal CountSketch(CountSketchDistribution distribution, ulong seed) : base(distribution, seed)
    {
    }
}
