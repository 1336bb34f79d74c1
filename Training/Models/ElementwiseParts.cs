using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Simd;

namespace Kernels.Training.Models;

/// <summary>
/// The element-wise passes of an MLP step split across threads (<see cref="ParallelParts"/>, allocation-free): each part
/// takes a contiguous range of whole 64-byte lines, and each element is computed as by one pass over the whole buffer,
/// so the result is the same bits for any thread count.
/// </summary>
internal static class ElementwiseParts
{
    /// <summary>
    /// What one element of a pass counts for against <see cref="BlasOptions.ParallelThreshold"/> (in multiply-adds): 64,
    /// so at the default threshold (2²¹) a pass is split from 2¹⁵ elements on — the dropout of a 50 × 1000 batch, the
    /// step of a 784 × 1000 weight matrix — where it takes some tens of microseconds, as a Gemm at the threshold does;
    /// shorter passes stay on the calling thread, where waking a worker would cost more than it saves.
    /// </summary>
    internal const int ElementCost = 64;

    /// <summary>Elements per 64-byte line: parts start on line boundaries of the buffers.</summary>
    private const int LineElements = 16;

    /// <summary>The parts of a pass over <paramref name="length"/> elements under <paramref name="options"/>: one per thread, or one below the threshold.</summary>
    public static int PartsFor(int length, BlasOptions? options) =>
        (options ?? BlasOptions.Default).ThreadsFor((long)length * ElementCost, (length + LineElements - 1) / LineElements);

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> over <paramref name="length"/> elements, in whole lines (the last part takes the rest).</summary>
    public static (int Start, int Length) Range(int part, int parts, int length)
    {
        int lines = (length + LineElements - 1) / LineElements;
        int start = (int)((long)part * lines / parts) * LineElements;
        int end = part == parts - 1 ? length : (int)((long)(part + 1) * lines / parts) * LineElements;
        start = Math.Min(start, length);
        return (start, Math.Max(0, Math.Min(end, length) - start));
    }

    /// <summary>The step's uniform draws u (indices from 0, as one fill) and H = inverted dropout of R by them.</summary>
    public static void Dropout(CounterRandom random, float[] rectified, float[] draws, float[] activations, int used, float keep, BlasOptions? options)
    {
        int parts = PartsFor(used, options);
        ParallelParts.Run(new DropoutWork(random, rectified, draws, activations, used, keep, parts), parts);
    }

    /// <summary>y ← y + alpha·x for a layer's weights (as <see cref="Level1.Axpy{T}"/>).</summary>
    public static void Axpy(float alpha, float[] x, MlpLayer layer, BlasOptions? options)
    {
        int parts = PartsFor(x.Length, options);
        ParallelParts.Run(new AxpyWork(alpha, x, layer, parts), parts);
    }

    private readonly struct DropoutWork(CounterRandom random, float[] rectified, float[] draws, float[] activations, int used, float keep, int parts) : IParts
    {
        public void Run(int part)
        {
            var (start, length) = Range(part, parts, used);
            Span<float> u = draws.AsSpan(start, length);
            random.FillUniform(u, start);
            BinaryDriver.Run(rectified.AsSpan(start, length), u, activations.AsSpan(start, length), new DropoutOperator(keep));
        }
    }

    private readonly struct AxpyWork(float alpha, float[] x, MlpLayer layer, int parts) : IParts
    {
        public void Run(int part)
        {
            var (start, length) = Range(part, parts, x.Length);
            Level1.Axpy(alpha, x.AsSpan(start, length), layer.Weights.Slice(start, length));
        }
    }
}
