using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Blas;

/// <summary>
/// What the microkernel's store does after C ← α·acc + β·C on the last depth block: add a bias row (one value per
/// column of C) and apply an activation, while the tile is still in registers. <see cref="None"/> does nothing, and is
/// what every earlier depth block uses.
/// </summary>
/// <remarks>The operations and their order are those of the separate kernels (add, then the maximum), so a fused product
/// gives the same bits as Gemm followed by <c>Arithmetic.AddRowBias</c> and <c>Rectifiers</c>.</remarks>
internal readonly unsafe struct OutputTransform<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The bias of the tile's first column, or null for no bias.</summary>
    private readonly T* _bias;
    private readonly GemmActivation _activation;
    private readonly T _shift;

    public OutputTransform(T* bias, GemmActivation activation, T shift)
    {
        _bias = bias;
        _activation = activation;
        _shift = shift;
    }

    /// <summary>No bias, no activation.</summary>
    public static OutputTransform<T> None => default;

    /// <summary>Whether the transform leaves values unchanged (so the store can skip it).</summary>
    public bool IsIdentity
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _bias == null && _activation == GemmActivation.Identity;
    }

    /// <summary>The same transform for a tile starting <paramref name="columns"/> columns to the right.</summary>
    public OutputTransform<T> Offset(int columns) => new(_bias == null ? null : _bias + columns, _activation, _shift);

    /// <summary>Transforms the value of column <paramref name="column"/> of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Apply(T v, int column)
    {
        if (_bias != null)
        {
            v += _bias[column];
        }
        return _activation switch
        {
            GemmActivation.Relu => T.Max(v, T.Zero),
            GemmActivation.ShiftedRelu => T.Max(v - _shift, T.Zero),
            _ => v,
        };
    }

    /// <summary>Transforms the values of columns <paramref name="column"/> … of the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Apply(Vector128<T> v, int column)
    {
        if (_bias != null)
        {
            v += Vector128.Load(_bias + column);
        }
        return _activation switch
        {
            GemmActivation.Relu => Vector128.Max(v, Vector128<T>.Zero),
            GemmActivation.ShiftedRelu => Vector128.Max(v - Vector128.Create(_shift), Vector128<T>.Zero),
            _ => v,
        };
    }

    /// <inheritdoc cref="Apply(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Apply(Vector256<T> v, int column)
    {
        if (_bias != null)
        {
            v += Vector256.Load(_bias + column);
        }
        return _activation switch
        {
            GemmActivation.Relu => Vector256.Max(v, Vector256<T>.Zero),
            GemmActivation.ShiftedRelu => Vector256.Max(v - Vector256.Create(_shift), Vector256<T>.Zero),
            _ => v,
        };
    }

    /// <inheritdoc cref="Apply(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Apply(Vector512<T> v, int column)
    {
        if (_bias != null)
        {
            v += Vector512.Load(_bias + column);
        }
        return _activation switch
        {
            GemmActivation.Relu => Vector512.Max(v, Vector512<T>.Zero),
            GemmActivation.ShiftedRelu => Vector512.Max(v - Vector512.Create(_shift), Vector512<T>.Zero),
            _ => v,
        };
    }
}
