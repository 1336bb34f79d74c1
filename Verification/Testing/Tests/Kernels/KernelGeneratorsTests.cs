using FsCheck.Fluent;

namespace Kernels.Verification.Testing.Kernels;

/// <summary>The kit's Kernels-layer generators make only cases their properties can run.</summary>
public sealed class KernelGeneratorsTests
{
    /// <summary>
    /// Every generated <see cref="FillSplit"/> names existing indices only: 0 ≤ start and start + length ≤ 2⁶³ (the last
    /// value is at most long.MaxValue; an empty range may start at long.MaxValue, not past it), and every cut lies in
    /// [0, length]. The start that ends the range on the last index once wrapped to long.MinValue for an empty range.
    /// At size 0 a range is empty with probability 3/5 + (2/5)·(1/19) = 0.62 and takes that start (weight 1 of 7, then
    /// 1 of 1001 offsets) with probability 1/7007, so 300,000 samples hold about 27 such cases: a generator that wrapped
    /// passes with probability e⁻²⁷ ≈ 2·10⁻¹². The samples at size 700 cover the longer ranges and their cuts.
    /// </summary>
    [Fact]
    public void Fill_splits_name_only_indices_that_exist()
    {
        var generator = KernelGenerators.FillSplits().Generator;
        foreach (FillSplit c in Gen.Sample(generator, 300_000, 0).Concat(Gen.Sample(generator, 20_000, KernelGenerators.MaxLength)))
        {
            Assert.True(c.Start >= 0 && (ulong)c.Start + (ulong)c.Length <= (ulong)long.MaxValue + 1, $"{c} passes the last index");
            Assert.All(c.Cuts, cut => Assert.InRange(cut, 0, c.Length));
        }
    }
}
