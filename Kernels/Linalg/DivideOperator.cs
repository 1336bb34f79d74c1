using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Linalg;

/// <summary>x / divisor, rounded once (a multiplication by a stored reciprocal would round twice).</summary>
internal readonly struct DivideOperator<T>(T divisor) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x) => x / divisor;
    public Vector128<T> Invoke(Vector128<T> x) => x / Vector128.Create(divisor);
    public Vector256<T> Invoke(Vector256<T> x) => x / Vector256.Create(divisor);
    public Vector512<T> Invoke(Vector512<T> x) => x / Vector512.Create(divisor);
}
