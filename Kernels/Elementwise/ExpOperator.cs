using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Elementwise;

/// <summary>eˣ by <see cref="ExpApproximation"/>, the same bits on every path.</summary>
internal readonly struct ExpOperator<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => ExpApproximation.Exp(x);
    public Vector128<T> Invoke(Vector128<T> x) => ExpApproximation.Exp(x);
    public Vector256<T> Invoke(Vector256<T> x) => ExpApproximation.Exp(x);
    public Vector512<T> Invoke(Vector512<T> x) => ExpApproximation.Exp(x);
}
