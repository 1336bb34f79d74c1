using System.Runtime.Intrinsics;

namespace Kernels.Activations;

/// <summary>
/// How <see cref="ThresholdProducts"/> lays out the n points: in groups of one vector's width, each group stored
/// transposed — for k = 0 … d − 1, one vector holding coordinate k of the group's points (zero in the lanes past
/// the last point) — so that the kernel multiplies a whole group by one broadcast weight w[r, k] and never sums
/// across lanes.
/// </summary>
/// <remarks>
/// Whole groups take the widest accelerated vector; the remaining points, if any, take one group of the narrowest
/// width that holds them (4 or 8 points rather than a mostly empty 16), so n = 4 or n = 20 does not pay for 16 lanes
/// per group. Without hardware intrinsics every point is a group of one.
/// </remarks>
internal readonly struct TransposedPoints
{
    /// <summary>The layout of <paramref name="points"/> points on this machine's vector widths.</summary>
    /// <exception cref="ArgumentException">The packed points (n·d floats, n rounded up to whole groups) exceed one array; the message gives the bytes.</exception>
    public TransposedPoints(int points, int dimension)
    {
        int widest = Vector512.IsHardwareAccelerated ? Vector512<float>.Count
            : Vector256.IsHardwareAccelerated ? Vector256<float>.Count
            : Vector128.IsHardwareAccelerated ? Vector128<float>.Count
            : 1;
        Points = points;
        Dimension = dimension;
        WholeGroups = points / widest;
        Width = widest;
        int rest = points - WholeGroups * widest;
        LastWidth = rest == 0 ? 0
            : rest <= Vector128<float>.Count ? Vector128<float>.Count
            : rest <= Vector256<float>.Count ? Vector256<float>.Count
            : widest;
        long length = ((long)WholeGroups * widest + LastWidth) * dimension;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException(
                $"Packing {points} points of dimension {dimension} takes {length * sizeof(float):N0} bytes ({length} floats), more than one array holds.", nameof(points));
        }
        Length = (int)length;
    }

    /// <summary>n.</summary>
    public int Points { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>Groups of <see cref="Width"/> points.</summary>
    public int WholeGroups { get; }

    /// <summary>Points per whole group: the widest accelerated vector.</summary>
    public int Width { get; }

    /// <summary>Lanes of the last, partial group; 0 when every group is whole.</summary>
    public int LastWidth { get; }

    /// <summary>Number of groups.</summary>
    public int Groups => WholeGroups + (LastWidth == 0 ? 0 : 1);

    /// <summary>Floats the packed points take.</summary>
    public int Length { get; }

    /// <summary>Lanes (vector width) of group <paramref name="group"/>.</summary>
    public int WidthOf(int group) => group < WholeGroups ? Width : LastWidth;

    /// <summary>The first point of group <paramref name="group"/>.</summary>
    public int FirstPoint(int group) => group * Width;

    /// <summary>Points in group <paramref name="group"/> (the lanes past them are zero).</summary>
    public int PointsIn(int group) => Math.Min(WidthOf(group), Points - FirstPoint(group));

    /// <summary>Where group <paramref name="group"/> starts in the packed floats.</summary>
    public int Offset(int group) => group * Width * Dimension;

    /// <summary>Writes the points' groups to <paramref name="packed"/> (<see cref="Length"/> floats).</summary>
    public void Pack(ReadOnlyMatrixView<float> points, Span<float> packed)
    {
        int d = Dimension;
        for (int group = 0; group < Groups; group++)
        {
            int width = WidthOf(group), first = FirstPoint(group), count = PointsIn(group);
            Span<float> block = packed.Slice(Offset(group), width * d);
            block.Clear();
            for (int p = 0; p < count; p++)
            {
                ReadOnlySpan<float> x = points.Row(first + p);
                for (int k = 0; k < d; k++)
                {
                    block[k * width + p] = x[k];
                }
            }
        }
    }
}
