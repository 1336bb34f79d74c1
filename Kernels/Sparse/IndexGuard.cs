using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Sparse;

/// <summary>Range checks on index spans, done in full before a kernel writes anything.</summary>
internal static class IndexGuard
{
    /// <summary>
    /// Throws unless every index is in [0, <paramref name="bound"/>). Seen as unsigned, a negative index is larger
    /// than any valid one, so a single vectorized unsigned maximum decides both ends; only a failure scans again,
    /// to name the first offending position.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is negative or ≥ <paramref name="bound"/>.</exception>
    public static void RequireAllBelow(ReadOnlySpan<int> indices, int bound, string name)
    {
        if (indices.IsEmpty || (uint)AggregationDriver.Run(indices, default(UnsignedMaxAccumulator)) < (uint)bound)
        {
            return;
        }
        for (int k = 0; k < indices.Length; k++)
        {
            if ((uint)indices[k] >= (uint)bound)
            {
                throw new ArgumentOutOfRangeException(name, $"{name}[{k}] is {indices[k]}; every index must be in [0, {bound}).");
            }
        }
    }

    /// <summary>Maximum of the indices read as unsigned integers; 0 is the identity.</summary>
    private readonly struct UnsignedMaxAccumulator : IUnaryAccumulator<int>
    {
        public int Identity => 0;
        public int Accumulate(int a, int x) => Combine(a, x);
        public Vector128<int> Accumulate(Vector128<int> a, Vector128<int> x) => Combine(a, x);
        public Vector256<int> Accumulate(Vector256<int> a, Vector256<int> x) => Combine(a, x);
        public Vector512<int> Accumulate(Vector512<int> a, Vector512<int> x) => Combine(a, x);
        public int Combine(int a, int b) => (int)Math.Max((uint)a, (uint)b);
        public Vector128<int> Combine(Vector128<int> a, Vector128<int> b) => Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsInt32();
        public Vector256<int> Combine(Vector256<int> a, Vector256<int> b) => Vector256.Max(a.AsUInt32(), b.AsUInt32()).AsInt32();
        public Vector512<int> Combine(Vector512<int> a, Vector512<int> b) => Vector512.Max(a.AsUInt32(), b.AsUInt32()).AsInt32();
    }
}
