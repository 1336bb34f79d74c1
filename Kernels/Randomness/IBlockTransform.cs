using System.Runtime.Intrinsics;

namespace Kernels.Randomness;

/// <summary>
/// Turns the four words of Philox blocks into output values, with one implementation per width, as the operator
/// structs of <c>Kernels.Simd</c> do. <see cref="GroupDriver"/> owns the loop, the counters and the edges.
/// </summary>
/// <remarks>
/// A transform makes <see cref="ValuesPerBlock"/> values (rows) from each block and writes row <c>j</c> of a block at
/// <c>lane + GroupDriver.BlocksPerGroup · j</c>, so consecutive blocks fill consecutive elements of each row. All three
/// overloads must compute the same bits lane by lane: the output may not depend on the path taken.
/// </remarks>
/// <typeparam name="TOut">Output element type.</typeparam>
internal interface IBlockTransform<TOut> where TOut : unmanaged
{
    /// <summary>Rows per block: 4 for 32-bit outputs (one per word), 2 for <see cref="double"/> (one per word pair).</summary>
    int ValuesPerBlock { get; }

    /// <summary>Writes the rows of one block, starting at <paramref name="lane"/>.</summary>
    void Store(uint w0, uint w1, uint w2, uint w3, ref TOut lane);

    /// <summary>Writes the rows of eight consecutive blocks (lane i is block i), starting at <paramref name="lanes"/>.</summary>
    void Store(Vector256<uint> w0, Vector256<uint> w1, Vector256<uint> w2, Vector256<uint> w3, ref TOut lanes);

    /// <summary>Writes the rows of sixteen consecutive blocks (lane i is block i), starting at <paramref name="lanes"/>.</summary>
    void Store(Vector512<uint> w0, Vector512<uint> w1, Vector512<uint> w2, Vector512<uint> w3, ref TOut lanes);
}
