using Kernels.Simd;

namespace Kernels.Verification.Kernels.Simd;

/// <summary><see cref="SetBits"/> against a bit-by-bit loop.</summary>
public sealed class SetBitsTests
{
    [Fact]
    public void Lists_the_set_bits_ascending()
    {
        var random = new System.Random(5);
        var masks = new List<ulong> { 0, 1, ulong.MaxValue, 1UL << 63, 0x8000_0000_0000_0001 };
        for (int k = 0; k < 200; k++)
        {
            masks.Add((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63));
        }
        foreach (ulong mask in masks)
        {
            var listed = new List<int>();
            foreach (int bit in new SetBits(mask))
            {
                listed.Add(bit);
            }
            Assert.Equal(Enumerable.Range(0, 64).Where(j => (mask >> j & 1) != 0), listed);
        }
    }
}
