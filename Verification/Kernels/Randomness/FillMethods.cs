using Kernels.Randomness;

namespace Kernels.Verification.Kernels.Randomness;

/// <summary>The generator's fill methods, with fixed parameters, each seen as a sequence of bit patterns.</summary>
public enum FillMethod
{
    /// <summary><c>FillUInt32</c>.</summary>
    Words,

    /// <summary><c>FillUniform&lt;float&gt;</c> on [0, 1).</summary>
    UniformSingle,

    /// <summary><c>FillUniform&lt;double&gt;</c> on [0, 1).</summary>
    UniformDouble,

    /// <summary><c>FillUniform&lt;float&gt;</c> on [−3.5, 7.25).</summary>
    RangeSingle,

    /// <summary><c>FillUniform&lt;double&gt;</c> on [−1e-3, 2.5e3).</summary>
    RangeDouble,

    /// <summary><c>FillNormal&lt;float&gt;</c> with mean 0, standard deviation 1.</summary>
    NormalSingle,

    /// <summary><c>FillNormal&lt;double&gt;</c> with mean −2, standard deviation 0.5.</summary>
    NormalDouble,
}

/// <summary>Runs a <see cref="FillMethod"/> over an index range, whole or in pieces, on chosen paths.</summary>
internal static class FillMethods
{
    public static FillMethod[] All { get; } = Enum.GetValues<FillMethod>();

    /// <summary>
    /// Values <c>start … start + length − 1</c> as bit patterns, made by filling each piece (offset, length) with its own
    /// call, piece i on <c>paths[i mod paths.Count]</c>, one after another or all in parallel.
    /// </summary>
    public static ulong[] Fill(FillMethod method, CounterRandom random, long start, int length,
        IEnumerable<(int Offset, int Length)> pieces, IReadOnlyList<VectorPath> paths, bool inParallel = false)
    {
        var jobs = pieces.Select((piece, i) => (piece.Offset, piece.Length, Path: paths[i % paths.Count])).ToArray();
        return method switch
        {
            FillMethod.Words => Run<uint>((d, k, p) => random.FillUInt32(d, k, p), w => w),
            FillMethod.UniformSingle => Run<float>((d, k, p) => random.FillUniform(d, 0f, 1f, k, p), Bits),
            FillMethod.UniformDouble => Run<double>((d, k, p) => random.FillUniform(d, 0.0, 1.0, k, p), BitConverter.DoubleToUInt64Bits),
            FillMethod.RangeSingle => Run<float>((d, k, p) => random.FillUniform(d, -3.5f, 7.25f, k, p), Bits),
            FillMethod.RangeDouble => Run<double>((d, k, p) => random.FillUniform(d, -1e-3, 2.5e3, k, p), BitConverter.DoubleToUInt64Bits),
            FillMethod.NormalSingle => Run<float>((d, k, p) => random.FillNormal(d, 0f, 1f, k, p), Bits),
            FillMethod.NormalDouble => Run<double>((d, k, p) => random.FillNormal(d, -2.0, 0.5, k, p), BitConverter.DoubleToUInt64Bits),
            _ => throw new ArgumentOutOfRangeException(nameof(method)),
        };

        ulong[] Run<T>(Filler<T> fill, Func<T, ulong> bits)
        {
            T[] values = new T[length];
            void FillPiece((int Offset, int Length, VectorPath Path) job)
            {
                // Offsets run up to length, so an empty piece may start just past the last value. When that value is
                // long.MaxValue, the piece's start would be 2⁶³, which no long can name (start + offset wraps to
                // long.MinValue, which CounterRandom rightly refuses); it would write nothing, so it is not called.
                if (job.Length == 0 && start > long.MaxValue - job.Offset)
                {
                    return;
                }
                fill(values.AsSpan(job.Offset, job.Length), start + job.Offset, job.Path);
            }
            if (inParallel)
            {
                Parallel.ForEach(jobs, FillPiece);
            }
            else
            {
                Array.ForEach(jobs, FillPiece);
            }
            return Array.ConvertAll(values, v => bits(v));
        }
    }

    /// <summary>The whole range in one call on the widest path.</summary>
    public static ulong[] Fill(FillMethod method, CounterRandom random, long start, int length) =>
        Fill(method, random, start, length, [(0, length)], [VectorPaths.Widest]);

    private delegate void Filler<T>(Span<T> destination, long startIndex, VectorPath path);

    private static ulong Bits(float value) => BitConverter.SingleToUInt32Bits(value);
}
