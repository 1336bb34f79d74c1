namespace Kernels.Activations;

/// <summary>
/// A few points X (n × d) packed once into the transposed groups that <see cref="ThresholdProducts"/>' kernel
/// multiplies (coordinate k of up to 16 points per vector), for callers that take the products of the same points
/// with many small sets of rows: <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, PackedPoints, MatrixView{float}, Blas.BlasOptions?)"/>
/// then neither packs them again nor rents scratch. The products have the same bits as from the unpacked points.
/// </summary>
/// <remarks>Holds a copy: later changes to the caller's points do not reach it. Immutable, so any number of threads
/// may use one at once. Takes about n·d floats (rounded up to whole groups of points).</remarks>
public sealed class PackedPoints
{
    /// <summary>Packs a copy of <paramref name="points"/> (n × d, any stride; n = 0 or d = 0 allowed).</summary>
    /// <param name="points">X, n × d: row i is point x_i.</param>
    /// <exception cref="ArgumentException">The packed copy (n·d floats, n rounded up to whole groups) exceeds one array; the message gives the bytes.</exception>
    public PackedPoints(ReadOnlyMatrixView<float> points)
    {
        Layout = new TransposedPoints(points.Rows, points.Columns);
        Packed = new float[Layout.Length];
        Layout.Pack(points, Packed);
    }

    /// <summary>Number of points n.</summary>
    public int Rows => Layout.Points;

    /// <summary>Dimension d of the points.</summary>
    public int Columns => Layout.Dimension;

    /// <summary>Where each group of points lies in <see cref="Packed"/>.</summary>
    internal TransposedPoints Layout { get; }

    /// <summary>The packed groups.</summary>
    internal float[] Packed { get; }
}
