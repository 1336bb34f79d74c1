namespace Kernels.Training.Data;

/// <summary>
/// The contents of an IDX file of unsigned bytes (the format of MNIST and Fashion-MNIST): its dimensions, outermost
/// first, and its elements in row-major order.
/// </summary>
public sealed class IdxArray
{
    private readonly int[] _dimensions;
    private readonly byte[] _data;

    /// <summary>An array over <paramref name="dimensions"/> and <paramref name="data"/>, which the caller hands over.</summary>
    internal IdxArray(int[] dimensions, byte[] data)
    {
        _dimensions = dimensions;
        _data = data;
    }

    /// <summary>The dimensions, outermost first (e.g. [count, 28, 28] for images, [count] for labels); each at least 1.</summary>
    public ReadOnlySpan<int> Dimensions => _dimensions;

    /// <summary>The elements in row-major order; as many as the product of <see cref="Dimensions"/>.</summary>
    public ReadOnlySpan<byte> Data => _data;
}
