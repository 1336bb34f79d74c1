using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Solvers;

/// <summary>z + β·p: the conjugate-gradient direction update p ← z + β·p in one pass, fused where the hardware allows.</summary>
internal readonly struct DirectionUpdateOperator<T>(T beta) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T z, T p) => VectorMath.MultiplyAdd(beta, p, z);
    public Vector128<T> Invoke(Vector128<T> z, Vector128<T> p) => VectorMath.MultiplyAdd(Vector128.Create(beta), p, z);
    public Vector256<T> Invoke(Vector256<T> z, Vector256<T> p) => VectorMath.MultiplyAdd(Vector256.Create(beta), p, z);
    public Vector512<T> Invoke(Vector512<T> z, Vector512<T> p) => VectorMath.MultiplyAdd(Vector512.Create(beta), p, z);
}
