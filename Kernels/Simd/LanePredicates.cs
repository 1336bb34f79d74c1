using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Kernels.Simd;

/// <summary>
/// Holds where the element is ≥ a threshold, under IEEE comparison: NaN never holds, −0 and +0 are equal. The test
/// behind <c>Threshold</c>, <c>ThresholdProducts</c> and the trees' node searches.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct GreaterOrEqualPredicate<T> : ILanePredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // The threshold is broadcast once, here, rather than per compare: a tree query compares it with hundreds of nodes.
    private readonly T _threshold;
    private readonly Vector128<T> _threshold128;
    private readonly Vector256<T> _threshold256;
    private readonly Vector512<T> _threshold512;

    /// <summary>The test x ≥ <paramref name="threshold"/>; ±∞ selects every value (−∞) or only +∞.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is NaN (no value could hold).</exception>
    public GreaterOrEqualPredicate(T threshold)
    {
        Guard.RequireNotNaN(threshold, nameof(threshold));
        _threshold = threshold;
        _threshold128 = Vector128.Create(threshold);
        _threshold256 = Vector256.Create(threshold);
        _threshold512 = Vector512.Create(threshold);
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(T x) => x >= _threshold;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Test(Vector128<T> x) => Vector128.GreaterThanOrEqual(x, _threshold128);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Test(Vector256<T> x) => Vector256.GreaterThanOrEqual(x, _threshold256);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Test(Vector512<T> x) => Vector512.GreaterThanOrEqual(x, _threshold512);
}

/// <summary>Holds where the element equals a value (IEEE: −0 equals +0). <c>Level1.ArgMax</c> finds the maximum's first index with it.</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct EqualPredicate<T> : ILanePredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _value;

    /// <summary>The test x = <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN (NaN equals nothing; use <see cref="NaNPredicate{T}"/>).</exception>
    public EqualPredicate(T value)
    {
        Guard.RequireNotNaN(value, nameof(value));
        _value = value;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(T x) => x == _value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Test(Vector128<T> x) => Vector128.Equals(x, Vector128.Create(_value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Test(Vector256<T> x) => Vector256.Equals(x, Vector256.Create(_value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Test(Vector512<T> x) => Vector512.Equals(x, Vector512.Create(_value));
}

/// <summary>Holds where the element is NaN (it is the one value not equal to itself).</summary>
/// <typeparam name="T">The element type.</typeparam>
public readonly struct NaNPredicate<T> : ILanePredicate<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Test(T x) => T.IsNaN(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Test(Vector128<T> x) => ~Vector128.Equals(x, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Test(Vector256<T> x) => ~Vector256.Equals(x, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Test(Vector512<T> x) => ~Vector512.Equals(x, x);
}
