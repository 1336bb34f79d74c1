using System.Runtime.Intrinsics;
using Kernels.Activations;

namespace Kernels.Verification.Kernels.Activations;

/// <summary><see cref="PackedPoints"/> (and its <see cref="TransposedPoints"/> layout) against the definition of the packing, and its bad input.</summary>
public sealed class PackedPointsTests
{
    /// <summary>
    /// The definition, written out independently of the layout's own arithmetic: whole groups of the widest
    /// accelerated vector's lanes, then one group of the narrowest of 4, 8 or the widest lanes that holds the rest
    /// (every point a group of one without intrinsics); each group stored coordinate-major, zero past its last point.
    /// Sizes cover n = 0, a partial group of each width, whole groups only and both together; a stride wider than d.
    /// </summary>
    [Theory]
    [InlineData(0, 3)]
    [InlineData(5, 0)]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(7, 2)]
    [InlineData(16, 3)]
    [InlineData(20, 4)]
    [InlineData(37, 7)]
    public void Packs_each_group_coordinate_major_with_zero_lanes_past_the_points(int n, int d)
    {
        const int stride = 9;
        var data = new float[Math.Max(0, (n - 1) * stride + Math.Max(d, 1))];
        var random = new Random(n * 31 + d);
        for (int k = 0; k < data.Length; k++)
        {
            data[k] = (float)(random.NextDouble() * 2 - 1);
        }
        var x = new ReadOnlyMatrixView<float>(data, n, d, Math.Max(d, stride));
        var packed = new PackedPoints(x);

        int widest = Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : Vector128.IsHardwareAccelerated ? 4 : 1;
        var expected = new List<float>();
        for (int first = 0; first < n; first += widest)
        {
            int count = Math.Min(widest, n - first);
            int width = count == widest ? widest : count <= 4 ? 4 : count <= 8 ? 8 : widest;
            for (int k = 0; k < d; k++)
            {
                for (int lane = 0; lane < width; lane++)
                {
                    expected.Add(lane < count ? data[(first + lane) * x.Stride + k] : 0f);
                }
            }
        }
        Assert.Equal(n, packed.Rows);
        Assert.Equal(d, packed.Columns);
        Assert.Equal(expected.Count, packed.Layout.Length);
        Assert.Equal(expected, packed.Packed.AsSpan(0, packed.Layout.Length).ToArray());

        // A copy: later changes to the caller's points do not reach it.
        Array.Fill(data, float.NaN);
        Assert.Equal(expected, packed.Packed.AsSpan(0, packed.Layout.Length).ToArray());
    }

    /// <summary>
    /// Points whose packed copy exceeds one array are refused with the size in bytes, not an overflow: 2¹⁶ points of
    /// dimension 2¹⁵ are 2³¹ floats (8 GiB), one more than an int holds. Nothing is allocated before the check.
    /// </summary>
    [Fact]
    public void A_packing_larger_than_an_array_fails_with_its_size_in_bytes()
    {
        var error = Assert.Throws<ArgumentException>("points", () => new TransposedPoints(1 << 16, 1 << 15));
        Assert.Contains($"{(1L << 31) * sizeof(float):N0} bytes", error.Message);
        Assert.Equal((1 << 16) * 16, new TransposedPoints(1 << 16, 16).Length);
    }
}
