using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Elementwise;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>e^(x − shift): a softmax numerator, with the row maximum as the shift so that it never overflows.</summary>
internal readonly struct ShiftedExpOperator<T>(T shift) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => ExpApproximation.Exp(x - shift);
    public Vector128<T> Invoke(Vector128<T> x) => ExpApproximation.Exp(x - Vector128.Create(shift));
    public Vector256<T> Invoke(Vector256<T> x) => ExpApproximation.Exp(x - Vector256.Create(shift));
    public Vector512<T> Invoke(Vector512<T> x) => ExpApproximation.Exp(x - Vector512.Create(shift));
}

/// <summary>Σ e^(x − shift), the sum inside a log-sum-exp, without storing the terms.</summary>
internal readonly struct ShiftedExpSumAccumulator<T>(T shift) : IUnaryAccumulator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Identity => T.Zero;
    public T Accumulate(T a, T x) => a + ExpApproximation.Exp(x - shift);
    public Vector128<T> Accumulate(Vector128<T> a, Vector128<T> x) => a + ExpApproximation.Exp(x - Vector128.Create(shift));
    public Vector256<T> Accumulate(Vector256<T> a, Vector256<T> x) => a + ExpApproximation.Exp(x - Vector256.Create(shift));
    public Vector512<T> Accumulate(Vector512<T> a, Vector512<T> x) => a + ExpApproximation.Exp(x - Vector512.Create(shift));
    public T Combine(T a, T b) => a + b;
    public Vector128<T> Combine(Vector128<T> a, Vector128<T> b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}
