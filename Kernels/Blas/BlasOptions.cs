namespace Kernels.Blas;

/// <summary>
/// Execution options of the level-2 and level-3 kernels: a thread cap, the size above which threads are used,
/// and Gemm's cache blocking. Results never depend on these: every output element is computed in the same
/// order whatever the thread count.
/// </summary>
public sealed record BlasOptions
{
    /// <summary>Options with every default: all processors, automatic threshold, tuned blocking.</summary>
    public static BlasOptions Default { get; } = new();

    /// <summary>Options that keep the work on the calling thread.</summary>
    public static BlasOptions SingleThreaded { get; } = new() { MaxThreads = 1 };

    /// <summary>Largest number of threads one call may use (default: <see cref="Environment.ProcessorCount"/>).</summary>
    public int MaxThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Calls with fewer multiply-adds than this run on the calling thread only (default 2²¹, about a 128³ Gemm
    /// or a 1448² Gemv).</summary>
    public long ParallelThreshold { get; init; } = 1L << 21;

    /// <summary>Gemm cache blocking; <c>null</c> picks <see cref="GemmBlocking.Default(int)"/> for the element size.</summary>
    public GemmBlocking? Blocking { get; init; }

    /// <summary>Throws if a field is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaxThreads"/> &lt; 1, a negative threshold, or a non-positive block.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxThreads, 1, nameof(MaxThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(ParallelThreshold, nameof(ParallelThreshold));
        Blocking?.Validate();
    }

    /// <summary>
    /// Threads to use for <paramref name="multiplyAdds"/> of work split into at most <paramref name="parts"/> pieces:
    /// 1 below <see cref="ParallelThreshold"/>, otherwise the smaller of <see cref="MaxThreads"/> and the part count
    /// (at least 1). An operator written outside the library sizes its <see cref="ParallelParts"/> calls with it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="multiplyAdds"/> or <paramref name="parts"/> is negative.</exception>
    public int ThreadsFor(long multiplyAdds, int parts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(multiplyAdds);
        Guard.RequireAtLeast(parts, 0, nameof(parts));
        return multiplyAdds < ParallelThreshold ? 1 : Math.Max(1, Math.Min(MaxThreads, parts));
    }
}
