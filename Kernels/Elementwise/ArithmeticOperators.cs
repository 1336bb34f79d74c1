using System.Numerics;
using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Elementwise;

/// <summary>x·y: the Hadamard product, lane by lane.</summary>
internal readonly struct MultiplyOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x * y;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x * y;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x * y;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x * y;
}

/// <summary>x + y, lane by lane: adds a bias row, or one row of a matrix to running column sums.</summary>
internal readonly struct AddOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => x + y;
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => x + y;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => x + y;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => x + y;
}
