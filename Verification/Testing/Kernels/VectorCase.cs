using System.Numerics;

namespace Kernels.Testing;

/// <summary>
/// A generated test vector, described by a few small numbers so that FsCheck can shrink it and print it:
/// its length, its offset inside a larger buffer (to vary alignment), the kind of values and a data seed.
/// </summary>
public sealed record VectorCase(int Length, int Offset, ValueKind Kind, int Seed)
{
    /// <summary>The values, as a window at <see cref="Offset"/> of a larger array (so aligned and unaligned starts both occur).</summary>
    public Memory<T> Values<T>(int stream = 0) where T : unmanaged, IFloatingPointIeee754<T> =>
        SampleData.Vector<T>(Length, Kind, Seed * 31 + stream, Offset);

    /// <inheritdoc/>
    public override string ToString() => $"VectorCase(n={Length}, offset={Offset}, {Kind}, seed={Seed})";
}
