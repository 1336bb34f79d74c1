namespace Kernels.Training.Ntk;

/// <summary>The early size check of the NTK tools: a problem that cannot fit fails before anything is allocated, naming its size in bytes.</summary>
internal static class MemoryBudget
{
    /// <summary>Throws when <paramref name="elements"/> values of <paramref name="elementSize"/> bytes exceed one array or the memory the GC reports available.</summary>
    /// <exception cref="InsufficientMemoryException">The estimate does not fit; the message gives it in bytes.</exception>
    internal static void Require(long elements, int elementSize, string what)
    {
        long bytes = elements * elementSize;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (elements > Array.MaxLength || bytes > available)
        {
            throw new InsufficientMemoryException(
                $"{what} needs {bytes:N0} bytes ({elements:N0} elements), more than {(elements > Array.MaxLength ? "one array holds" : $"the {available:N0} bytes available")}.");
        }
    }
}
