namespace Kernels.Blas;

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
