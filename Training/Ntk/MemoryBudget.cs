namespace Kernels.Training.Ntk;

/// <summary>The early size check of the NTK tools: a problem that cannot fit fails before anything is allocated, naming its size in bytes.</summary>
internal static class MemoryBudget
{
    // A cap below the machine's memory for the current call chain only (async-local, so tests running in parallel do not
    // see each other's): the n × n checks of the tools that take an n × n kernel cannot otherwise be reached by a test,
    // since the kernel itself must fit in one array.
    private static readonly AsyncLocal<long?> Cap = new();

    /// <summary>Lowers the budget to <paramref name="bytes"/> on this call chain until the result is disposed.</summary>
    internal static IDisposable Limit(long bytes)
    {
        long? previous = Cap.Value;
        Cap.Value = bytes;
        return new Restore(previous);
    }

    /// <summary>Throws when <paramref name="elements"/> values of <paramref name="elementSize"/> bytes exceed one array or the memory the GC reports available.</summary>
    /// <exception cref="InsufficientMemoryException">The estimate does not fit; the message gives it in bytes.</exception>
    internal static void Require(long elements, int elementSize, string what)
    {
        long bytes = elements * elementSize;
        long available = Math.Min(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, Cap.Value ?? long.MaxValue);
        if (elements > Array.MaxLength || bytes > available)
        {
            throw new InsufficientMemoryException(
                $"{what} needs {bytes:N0} bytes ({elements:N0} elements), more than {(elements > Array.MaxLength ? "one array holds" : $"the {available:N0} bytes available")}.");
        }
    }

    private sealed class Restore(long? previous) : IDisposable
    {
        public void Dispose() => Cap.Value = previous;
    }
}
