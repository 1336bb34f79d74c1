using System.Buffers;
using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>
/// The Gram operator AᵀA + λ·I or AAᵀ + λ·I of any m × n <see cref="ILinearMap{T}"/> A, applied matrix-free as
/// Aᵀ(A·x) + λx or A(Aᵀ·x) + λx: the normal equations AᵀA·x = Aᵀb of least squares, the Gauss–Newton system
/// J·Jᵀ·g = f − y (A = Jᵀ with <see cref="GramForm.AtA"/>, or A = J with <see cref="GramForm.AAt"/>), and their damped
/// forms. It is symmetric, so its transpose products equal its products.
/// </summary>
/// <remarks>
/// <para><b>Costs.</b> One product with A and one with Aᵀ per vector (block products for blocks), plus an axpy when
/// λ ≠ 0; the intermediate A·x (or Aᵀ·x) lives in scratch from the array pool, so an instance may be applied from several
/// threads at once and allocates nothing after warm-up. It reads A on every call and does not copy it.</para>
/// <para>Results are bitwise reproducible when A's products are. Forming AᵀA·x squares the condition number of A; a
/// sketch-and-QR preconditioner (Kernels.Sketching) makes conjugate gradient's iteration count independent of it.</para>
/// </remarks>
/// <typeparam name="T">Element type, <see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class GramOperator<T> : LinearMapBase<T>, ILinearOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILinearMap<T> _map;

    /// <summary>The Gram operator of <paramref name="map"/> (kept, not copied).</summary>
    /// <param name="map">A, m × n.</param>
    /// <param name="form">AᵀA (dimension n, the default) or AAᵀ (dimension m).</param>
    /// <param name="shift">λ, added to the diagonal; finite (zero by default).</param>
    /// <exception cref="ArgumentNullException"><paramref name="map"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="form"/> is not a defined value, or <paramref name="shift"/> is not finite.</exception>
    public GramOperator(ILinearMap<T> map, GramForm form = GramForm.AtA, T shift = default)
        : base(DimensionOf(map, form), DimensionOf(map, form))
    {
        Guard.RequireFinite(shift, nameof(shift));
        _map = map;
        Form = form;
        Shift = shift;
    }

    /// <summary>A, whose Gram matrix this is.</summary>
    public ILinearMap<T> Map => _map;

    /// <summary>AᵀA or AAᵀ.</summary>
    public GramForm Form { get; }

    /// <summary>λ, the multiple of the identity added.</summary>
    public T Shift { get; }

    /// <inheritdoc/>
    public int Dimension => Rows;

    /// <summary>The product applied first: A for AᵀA, Aᵀ for AAᵀ.</summary>
    private Transpose First => Form == GramForm.AtA ? Transpose.None : Transpose.Transposed;

    /// <summary>The product applied to the first one's result.</summary>
    private Transpose Second => Form == GramForm.AtA ? Transpose.Transposed : Transpose.None;

    /// <summary>The length of the intermediate product: m for AᵀA, n for AAᵀ.</summary>
    private int Inner => Form == GramForm.AtA ? _map.Rows : _map.Columns;

    /// <inheritdoc/>
    protected override void ApplyVector(Transpose transpose, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        T[] buffer = ArrayPool<T>.Shared.Rent(Inner);
        try
        {
            Span<T> t = buffer.AsSpan(0, Inner);
            _map.Apply(First, T.One, x, T.Zero, t);
            _map.Apply(Second, alpha, t, beta, y);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
        if (Shift != T.Zero)
        {
            Level1.Axpy(alpha * Shift, x, y);
        }
    }

    /// <inheritdoc/>
    protected override void ApplyBlock(Transpose transpose, T alpha, ReadOnlyMatrixView<T> x, T beta, MatrixView<T> y)
    {
        int k = x.Columns;
        T[] buffer = ArrayPool<T>.Shared.Rent(Math.Max(1, Inner * k));
        try
        {
            var t = new MatrixView<T>(buffer, Inner, k);
            _map.Apply(First, T.One, x, T.Zero, t);
            _map.Apply(Second, alpha, t, beta, y);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
        if (Shift != T.Zero)
        {
            for (int r = 0; r < x.Rows; r++)
            {
                Level1.Axpy(alpha * Shift, x.Row(r), y.Row(r));
            }
        }
    }

    /// <inheritdoc/>
    /// <returns>
    /// True when A is a <see cref="DenseMap{T}"/> or <see cref="CsrMap{T}"/>: the diagonal then holds A's squared column
    /// norms (AᵀA) or squared row norms (AAᵀ), accumulated in one pass over the stored entries, plus λ. False for other
    /// maps, whose diagonal would cost a product per element.
    /// </returns>
    public bool TryCopyDiagonal(Span<T> diagonal)
    {
        Guard.RequireLength(diagonal.Length, Dimension, nameof(diagonal), "the operator's dimension");
        if (_map is not LinearMapBase<T> known)
        {
            return false;
        }
        T[] buffer = ArrayPool<T>.Shared.Rent(Math.Max(1, Dimension));
        try
        {
            Span<T> sums = buffer.AsSpan(0, Dimension);
            sums.Clear();
            if (!known.TryAddSquaredNorms(Form == GramForm.AtA ? Transpose.None : Transpose.Transposed, sums))
            {
                return false;
            }
            for (int i = 0; i < sums.Length; i++)
            {
                diagonal[i] = sums[i] + Shift;
            }
            return true;
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer);
        }
    }

    private static int DimensionOf(ILinearMap<T> map, GramForm form)
    {
        ArgumentNullException.ThrowIfNull(map);
        return form switch
        {
            GramForm.AtA => map.Columns,
            GramForm.AAt => map.Rows,
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "form must be GramForm.AtA or GramForm.AAt."),
        };
    }
}
