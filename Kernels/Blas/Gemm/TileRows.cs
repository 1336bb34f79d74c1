namespace Kernels.Blas;

/// <summary>
/// A row count a microkernel is compiled for. Each implementation is a struct, so the JIT specializes the kernel per
/// count and drops the rows beyond it: an edge tile of few rows (the last 2 rows of a 50-row batch) computes 4 or 8 rows
/// instead of a full tile's, with the same packed panels and the same order of operations per element.
/// </summary>
internal interface ITileRows
{
    /// <summary>The rows computed.</summary>
    static abstract int Count { get; }
}

/// <summary>Four rows of a tile.</summary>
internal readonly struct FourRows : ITileRows
{
    public static int Count => 4;
}

/// <summary>Eight rows of a tile.</summary>
internal readonly struct EightRows : ITileRows
{
    public static int Count => 8;
}

/// <summary>Twelve rows: a whole 512-bit tile.</summary>
internal readonly struct TwelveRows : ITileRows
{
    public static int Count => 12;
}
