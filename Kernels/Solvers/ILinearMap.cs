using System.Numerics;
using Kernels.Blas;

namespace Kernels.Solvers;

/// <summary>
/// A <see cref="Rows"/> × <see cref="Columns"/> linear map A used only through its products with vectors and blocks of
/// vectors, in both directions: a dense or sparse matrix, a Gram matrix AᵀA, a Jacobian J, a random-feature map Φ, a
/// hashed layer, or anything else that is never formed. Sketches, solvers and preconditioners accept any implementation.
/// </summary>
/// <remarks>
/// <para><b>Products.</b> y ← α·A·x + β·y and y ← α·Aᵀ·x + β·y, for a vector x or for a row-major block X whose k
/// columns are the vectors (then Y ← α·A·X + β·Y with X of <see cref="Columns"/> × k and Y of <see cref="Rows"/> × k,
/// and the transpose with the roles swapped). As in BLAS, β = 0 overwrites y without reading it, so NaN or garbage in
/// y does not propagate; α and β must be finite.</para>
/// <para><b>Contract for implementations.</b> Shapes are checked before anything is written and a mismatch throws
/// <see cref="ArgumentException"/> naming the argument and the expected shape; outputs must not share memory with
/// inputs; a non-finite α or β throws <see cref="ArgumentOutOfRangeException"/>. Numerical trouble in the data (NaN,
/// infinity) propagates into y instead of throwing. A product does not allocate when called repeatedly (scratch comes
/// from the caller or the array pool), and the same input gives the same bits on every call, whatever the thread
/// count. <see cref="LinearMapBase{T}"/> makes the checks and leaves only the kernels to write; a map that has only
/// vector products gets its block products from <see cref="LinearMapBlocks.ApplyColumnByColumn{T}"/>.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public interface ILinearMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>m: the length of A·x (and of the x in Aᵀ·x).</summary>
    int Rows { get; }

    /// <summary>n: the length of x in A·x (and of Aᵀ·x).</summary>
    int Columns { get; }

    /// <summary>Computes y ← α·A·x + β·y.</summary>
    /// <param name="alpha">α; finite.</param>
    /// <param name="x">The input, <see cref="Columns"/> elements; not modified.</param>
    /// <param name="beta">β; finite. Zero overwrites y without reading it.</param>
    /// <param name="y">The output, <see cref="Rows"/> elements, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">A length does not match, or y overlaps x.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α or β is not finite.</exception>
    void Apply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y);

    /// <summary>Computes y ← α·Aᵀ·x + β·y.</summary>
    /// <param name="alpha">α; finite.</param>
    /// <param name="x">The input, <see cref="Rows"/> elements; not modified.</param>
    /// <param name="beta">β; finite. Zero overwrites y without reading it.</param>
    /// <param name="y">The output, <see cref="Columns"/> elements, not overlapping <paramref name="x"/>.</param>
    /// <exception cref="ArgumentException">A length does not match, or y overlaps x.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α or β is not finite.</exception>
    void ApplyTranspose(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y);

    /// <summary>Computes Y ← α·A·X + β·Y for the k vectors that are the columns of X.</summary>
    /// <param name="alpha">α; finite.</param>
    /// <param name="x">X, <see cref="Columns"/> × k, row-major; not modified.</param>
    /// <param name="beta">β; finite. Zero overwrites Y without reading it.</param>
    /// <param name="y">Y, <see cref="Rows"/> × k, not sharing an element with X.</param>
    /// <exception cref="ArgumentException">A shape does not match, or Y overlaps X.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α or β is not finite.</exception>
    void Apply(T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y);

    /// <summary>Computes Y ← α·Aᵀ·X + β·Y for the k vectors that are the columns of X.</summary>
    /// <param name="alpha">α; finite.</param>
    /// <param name="x">X, <see cref="Rows"/> × k, row-major; not modified.</param>
    /// <param name="beta">β; finite. Zero overwrites Y without reading it.</param>
    /// <param name="y">Y, <see cref="Columns"/> × k, not sharing an element with X.</param>
    /// <exception cref="ArgumentException">A shape does not match, or Y overlaps X.</exception>
    /// <exception cref="ArgumentOutOfRangeException">α or β is not finite.</exception>
    void ApplyTranspose(T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y);
}
