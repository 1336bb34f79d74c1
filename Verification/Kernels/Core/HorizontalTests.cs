using System.Runtime.Intrinsics;
using FsCheck;
using FsCheck.Xunit;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Core;

/// <summary>Horizontal reductions: the documented fixed order, bit for bit, at every width.</summary>
public sealed class HorizontalTests
{
    /// <summary>The documented order: add the upper half onto the lower half down to 128 bits, then fold left to right.</summary>
    private static float FixedOrderSum(float[] lanes)
    {
        float[] v = lanes;
        while (v.Length * sizeof(float) > 16)
        {
            int half = v.Length / 2;
            v = [.. Enumerable.Range(0, half).Select(i => v[i] + v[i + half])];
        }
        float sum = v[0];
        for (int i = 1; i < v.Length; i++)
        {
            sum += v[i];
        }
        return sum;
    }

    [KernelProperty]
    public void Sum_adds_in_the_fixed_order_at_every_width(int seed)
    {
        float[] lanes = SampleData.Vector<float>(16, ValueKind.Uniform, seed).ToArray();
        Assert.Equal(FixedOrderSum(lanes), Horizontal.Sum(Vector512.Create(lanes)));
        Assert.Equal(FixedOrderSum(lanes[..8]), Horizontal.Sum(Vector256.Create(lanes[..8])));
        Assert.Equal(FixedOrderSum(lanes[..4]), Horizontal.Sum(Vector128.Create(lanes[..4])));
        Assert.Equal(lanes.Max(), Horizontal.Max(Vector512.Create(lanes)));
        Assert.Equal(lanes[..8].Max(), Horizontal.Max(Vector256.Create(lanes[..8])));
        double[] pair = [lanes[0], lanes[1]];
        Assert.Equal(Math.Max(pair[0], pair[1]), Horizontal.Max(Vector128.Create(pair)));
    }

    [Fact]
    public void Max_propagates_NaN_from_any_lane()
    {
        for (int lane = 0; lane < 16; lane++)
        {
            float[] lanes = new float[16];
            lanes[lane] = float.NaN;
            Assert.True(float.IsNaN(Horizontal.Max(Vector512.Create(lanes))), $"lane {lane}");
        }
    }
}
