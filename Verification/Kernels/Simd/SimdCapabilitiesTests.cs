using Kernels.Simd;

namespace Kernels.Verification.Kernels.Simd;

/// <summary>
/// Guards the ISA-restricted re-runs of <c>.ci/run</c>: each run states the vector width it means to test in
/// <c>KERNELS_EXPECT_VECTOR_BITS</c>, and this test fails if the runtime knob did not take effect.
/// </summary>
public sealed class SimdCapabilitiesTests
{
    [Fact]
    public void The_requested_vector_width_is_the_one_in_use()
    {
        string? expected = Environment.GetEnvironmentVariable("KERNELS_EXPECT_VECTOR_BITS");
        if (expected is null)
        {
            Assert.Contains(SimdCapabilities.VectorBits, new[] { 0, 128, 256, 512 });
            return;
        }
        Assert.Equal(int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), SimdCapabilities.VectorBits);
    }

    [Fact]
    public void Description_names_the_width()
    {
        string text = SimdCapabilities.Describe();
        Assert.Contains(SimdCapabilities.VectorBits == 0 ? "scalar" : $"{SimdCapabilities.VectorBits}-bit", text);
    }
}
