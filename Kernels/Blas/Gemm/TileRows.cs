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

/// <summary>
/// The vectors of columns a microkernel is compiled for (its tile is two vectors wide): a tile at the column edge with
/// at most one vector's columns (10 classes, or the last 8 of 1,000 columns) computes one vector instead of two.
/// </summary>
internal interface ITileColumns
{
    /// <summary>The vectors computed per row.</summary>
    static abstract int Vectors { get; }
}

/// <summary>One vector of columns.</summary>
internal readonly struct OneVector : ITileColumns
{
    public static int Vectors => 1;
}

/// <summary>Two vectors of columns: a whole tile's width.</summary>
internal readonly struct TwoVectors : ITileColumns
{
    public static int Vectors => 2;
}
