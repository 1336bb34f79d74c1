using System.Numerics;
using Kernels.Blas;
using Kernels.Solvers;
using Kernels.Sparse;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A sampled sketching operator S: a <see cref="Rows"/> × <see cref="Columns"/> random matrix (s × N, usually s ≪ N)
/// that is applied without being materialized. S·A sketches the columns of A: every column of A (a point in R^N)
/// becomes a column of S·A (a point in R^s).
/// </summary>
/// <remarks>
/// <para><b>Seeds decide everything.</b> Entry (i, j) depends only on the distribution, the seed and (i, j): the same
/// seed gives the same operator on every machine. Each output element is accumulated in an order fixed by the
/// operator and the shapes, so results do not depend on the thread count, and sketching A column block by column
/// block gives exactly the columns of sketching it whole.</para>
/// <para><b>Arguments.</b> Shapes are checked before anything is written; a mismatch throws
/// <see cref="ArgumentException"/> naming the argument and the expected shape. Outputs must not share memory with
/// inputs. NaN and infinity in the data propagate as in the matrix product.</para>
/// <para>Operators are immutable and may be applied from several threads at once.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ISketch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>s: the sketch (output) dimension.</summary>
    int Rows { get; }

    /// <summary>N: the input dimension.</summary>
    int Columns { get; }

    /// <summary>The seed this operator was sampled with.</summary>
    ulong Seed { get; }

    /// <summary>destination ← S·x, for x of length N and a destination of length s.</summary>
    void Apply(ReadOnlySpan<T> x, Span<T> destination);

    /// <summary>destination ← S·A for a dense row-major A (N × d) and destination (s × d).</summary>
    /// <param name="a">The matrix whose columns are sketched.</param>
    /// <param name="destination">Receives S·A.</param>
    /// <param name="options">Thread cap and threshold; the result does not depend on them.</param>
    void Apply(ReadOnlyMatrixView<T> a, MatrixView<T> destination, BlasOptions? options = null);

    /// <summary>destination ← S·A for a sparse A (N × d) and dense destination (s × d); work proportional to the stored entries.</summary>
    void Apply(CsrMatrix<T> a, MatrixView<T> destination);

    /// <summary>
    /// destination ← S·A for any N × d <see cref="ILinearMap{T}"/> A, such as the transposed Jacobian Jᵀ, which is never
    /// formed. A <see cref="DenseMap{T}"/> or <see cref="CsrMap{T}"/> takes the dense or sparse path above. Any other map
    /// is asked for (S·A)ᵀ = Aᵀ·Sᵀ in blocks: a few rows of S are written out, transposed into an N × b scratch block
    /// and multiplied by Aᵀ (<see cref="ILinearMap{T}.ApplyTranspose(T, ReadOnlyMatrixView{T}, T, MatrixView{T})"/>), so
    /// the cost is s products with Aᵀ plus writing S out densely once (s·N values; the hashed sketches hash their N
    /// columns again for each block of rows), and A is never held whole.
    /// </summary>
    /// <param name="a">A, with N = <see cref="Columns"/> rows.</param>
    /// <param name="destination">Receives S·A (s × d).</param>
    /// <param name="options">Thread cap and threshold of the dense path; the result does not depend on them.</param>
    void Apply(ILinearMap<T> a, MatrixView<T> destination, BlasOptions? options = null);

    /// <summary>destination ← Sᵀ·y, for y of length s and a destination of length N.</summary>
    void ApplyTranspose(ReadOnlySpan<T> y, Span<T> destination);

    /// <summary>destination ← Sᵀ·Y for a dense Y (s × d) and destination (N × d).</summary>
    void ApplyTranspose(ReadOnlyMatrixView<T> y, MatrixView<T> destination);

    /// <summary>Writes S itself (s × N), for references, diagnostics and small problems: the only way S is ever materialized.</summary>
    void ToDense(MatrixView<T> destination);
}
