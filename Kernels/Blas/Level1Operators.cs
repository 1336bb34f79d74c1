using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Blas;

/// <summary>acc + x.</summary>
internal readonly struct SumAccumulator<T> : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Accumulate(T a, T x) => a + x;
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) => a + x;
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) => a + x;
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) => a + x;
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>acc + (s·x)², with s = 1 for the unscaled fast path of <see cref="Level1.Nrm2{T}"/>.</summary>
internal readonly struct ScaledSquaresAccumulator<T>(T scale) : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Accumulate(T a, T x) { T y = x * scale; return VectorMath.MultiplyAdd(y, y, a); }
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) { Vector128<T> y = x * scale; return VectorMath.MultiplyAdd(y, y, a); }
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) { Vector256<T> y = x * scale; return VectorMath.MultiplyAdd(y, y, a); }
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) { Vector512<T> y = x * scale; return VectorMath.MultiplyAdd(y, y, a); }
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>acc + x², the unscaled sum of squares.</summary>
internal readonly struct SquaresAccumulator<T> : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Accumulate(T a, T x) => VectorMath.MultiplyAdd(x, x, a);
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) => VectorMath.MultiplyAdd(x, x, a);
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) => VectorMath.MultiplyAdd(x, x, a);
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) => VectorMath.MultiplyAdd(x, x, a);
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>acc + x·y, fused where the hardware allows.</summary>
internal readonly struct DotAccumulator<T> : IBinaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Accumulate(T a, T x, T y) => VectorMath.MultiplyAdd(x, y, a);
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x, Vector128<T> y) => VectorMath.MultiplyAdd(x, y, a);
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x, Vector256<T> y) => VectorMath.MultiplyAdd(x, y, a);
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x, Vector512<T> y) => VectorMath.MultiplyAdd(x, y, a);
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>IEEE 754-2019 maximum: NaN wins, and +0 counts as greater than −0.</summary>
internal readonly struct MaxAccumulator<T> : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.NegativeInfinity;
    public T Accumulate(T a, T x) => T.Max(a, x);
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) => Vector128.Max(a, x);
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) => Vector256.Max(a, x);
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) => Vector512.Max(a, x);
    public T Combine(T a, T b) => T.Max(a, b);
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
}

/// <summary>Largest |x| (NaN wins), the scale finder of the overflow-safe <see cref="Level1.Nrm2{T}"/>.</summary>
internal readonly struct MaxMagnitudeAccumulator<T> : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Accumulate(T a, T x) => T.Max(a, T.Abs(x));
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) => Vector128.Max(a, Vector128.Abs(x));
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) => Vector256.Max(a, Vector256.Abs(x));
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) => Vector512.Max(a, Vector512.Abs(x));
    public T Combine(T a, T b) => T.Max(a, b);
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => Vector128.Max(a, b);
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
}

/// <summary>alpha·x.</summary>
internal readonly struct ScaleOperator<T>(T alpha) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => alpha * x;
    public Vector128<T> Invoke(Vector128<T> x) => x * alpha;
    public Vector256<T> Invoke(Vector256<T> x) => x * alpha;
    public Vector512<T> Invoke(Vector512<T> x) => x * alpha;
}

/// <summary>alpha·x + y, fused where the hardware allows.</summary>
internal readonly struct AxpyOperator<T>(T alpha) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => VectorMath.MultiplyAdd(alpha, x, y);
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => VectorMath.MultiplyAdd(Vector128.Create(alpha), x, y);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => VectorMath.MultiplyAdd(Vector256.Create(alpha), x, y);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => VectorMath.MultiplyAdd(Vector512.Create(alpha), x, y);
}
