using System.Numerics;
using Kernels.Blas;
using Kernels.Solvers;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// A dense matrix behind a type that no consumer recognizes: its products forward to a <see cref="DenseMap{T}"/>, so
/// code that special-cases dense and CSR maps (the sketches) takes its path for a general <see cref="ILinearMap{T}"/>.
/// </summary>
public sealed class OpaqueMap<T>(ReadOnlyMemory<T> matrix, int rows, int columns) : ILinearMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly DenseMap<T> _inner = new(matrix, rows, columns);

    public int Rows => _inner.Rows;

    public int Columns => _inner.Columns;

    public void Apply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) => _inner.Apply(alpha, x, beta, y);

    public void ApplyTranspose(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) => _inner.ApplyTranspose(alpha, x, beta, y);

    public void Apply(T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y) => _inner.Apply(alpha, x, beta, y);

    public void ApplyTranspose(T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y) => _inner.ApplyTranspose(alpha, x, beta, y);
}
