using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>max(x, 0) under IEEE 754-2019 <c>maximum</c>: NaN stays NaN and −0 becomes +0, on every path.</summary>
internal readonly struct ReluOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Max(x, T.Zero);
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.Max(x, Vector128<T>.Zero);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.Max(x, Vector256<T>.Zero);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Max(x, Vector512<T>.Zero);
}

/// <summary>max(x − bias, 0) under IEEE 754-2019 <c>maximum</c>.</summary>
internal readonly struct ShiftedReluOperator<T>(T bias) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => T.Max(x - bias, T.Zero);
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.Max(x - Vector128.Create(bias), Vector128<T>.Zero);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.Max(x - Vector256.Create(bias), Vector256<T>.Zero);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Max(x - Vector512.Create(bias), Vector512<T>.Zero);
}

/// <summary>1 where x ≥ bias, else 0 (so 0 for NaN): the all-ones comparison mask ANDed with the bits of 1.</summary>
internal readonly struct ShiftedReluMaskOperator<T>(T bias) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x >= bias ? T.One : T.Zero;
    public Vector128<T> Invoke(Vector128<T> x) => Vector128.GreaterThanOrEqual(x, Vector128.Create(bias)) & Vector128.Create(T.One);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.GreaterThanOrEqual(x, Vector256.Create(bias)) & Vector256.Create(T.One);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.GreaterThanOrEqual(x, Vector512.Create(bias)) & Vector512.Create(T.One);
}

/// <summary>dy where x ≥ bias, else +0 (so +0 for NaN x): a select by the comparison mask, not a product, so an inactive
/// position gives 0 even when dy is infinite or NaN.</summary>
internal readonly struct ShiftedReluBackwardOperator<T>(T bias) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T dy) => x >= bias ? dy : T.Zero;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> dy) => Vector128.GreaterThanOrEqual(x, Vector128.Create(bias)) & dy;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> dy) => Vector256.GreaterThanOrEqual(x, Vector256.Create(bias)) & dy;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> dy) => Vector512.GreaterThanOrEqual(x, Vector512.Create(bias)) & dy;
}
