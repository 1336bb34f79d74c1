using System.Numerics;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The Jacobi (diagonal) preconditioner M = diag(A): z[i] = r[i] / A[i, i]. Cheap, and effective when the diagonal
/// varies across rows; a constant diagonal (such as the Poisson matrix's) leaves the iteration count unchanged.
/// </summary>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class JacobiPreconditioner<T> : IPreconditioner<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _diagonal;

    /// <summary>A preconditioner from the given diagonal, which is copied.</summary>
    /// <exception cref="ArgumentException">An entry is not positive and finite (M must be SPD); the message gives its index and value.</exception>
    public JacobiPreconditioner(ReadOnlySpan<T> diagonal)
    {
        ElementType.Require<T>();
        for (int i = 0; i < diagonal.Length; i++)
        {
            if (!(T.IsFinite(diagonal[i]) && diagonal[i] > T.Zero))
            {
                throw new ArgumentException($"diagonal[{i}] is {diagonal[i]}; a Jacobi preconditioner needs a positive, finite diagonal.", nameof(diagonal));
            }
        }
        _diagonal = diagonal.ToArray();
    }

    /// <summary>A preconditioner from the diagonal of <paramref name="op"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="op"/> is null.</exception>
    /// <exception cref="ArgumentException">The operator does not know its diagonal, or a diagonal entry is not positive and finite.</exception>
    public static JacobiPreconditioner<T> FromOperator(ILinearOperator<T> op)
    {
        ArgumentNullException.ThrowIfNull(op);
        var diagonal = new T[op.Dimension];
        if (!op.TryCopyDiagonal(diagonal))
        {
            throw new ArgumentException($"{op.GetType().Name} does not provide its diagonal; pass the diagonal to the JacobiPreconditioner constructor instead.", nameof(op));
        }
        return new JacobiPreconditioner<T>(diagonal);
    }

    /// <inheritdoc/>
    public int Dimension => _diagonal.Length;

    /// <inheritdoc/>
    public void Apply(ReadOnlySpan<T> r, Span<T> z)
    {
        OperatorGuard.RequireVectors(Dimension, r, nameof(r), z, nameof(z));
        BinaryDriver.Run(r, _diagonal, z, default(QuotientOperator<T>));
    }
}
