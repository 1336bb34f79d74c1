using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

public sealed class StratifiedSplitTests
{
    private static ClassificationSet Set(params int[] classCounts)
    {
        var labels = classCounts.SelectMany((count, c) => Enumerable.Repeat(c, count)).ToArray();
        // Input i holds i/n, so each example can be traced through the split.
        var inputs = labels.Select((_, i) => (float)i / labels.Length).ToArray();
        return new ClassificationSet(new ReadOnlyMatrixView<float>(inputs, labels.Length, 1), labels, classCounts.Length);
    }

    [Fact]
    public void QuotasAreProportionalAndAddUpExactly()
    {
        // The npm package's class counts: 20 % of each, rounded by largest remainder, is 2,000 in all.
        int[] counts = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
        var split = StratifiedSplit.Split(Set(counts), MnistDigits.TestCount, MnistDigits.SplitSeed);
        Assert.Equal(2000, split.Test.Count);
        Assert.Equal(8000, split.Train.Count);
        Assert.Equal([200, 225, 198, 206, 196, 173, 203, 214, 189, 196], split.Test.ClassCounts());
    }

    [Fact]
    public void PartsAreDisjointCoverTheSetAndDependOnlyOnTheSeed()
    {
        var set = Set(7, 13, 5);
        var a = StratifiedSplit.Split(set, 6, 42);
        var b = StratifiedSplit.Split(set, 6, 42);
        var c = StratifiedSplit.Split(set, 6, 43);
        var ids = a.Train.Inputs.Data.ToArray().Concat(a.Test.Inputs.Data.ToArray()).OrderBy(v => v).ToArray();
        Assert.Equal(set.Inputs.Data.ToArray().OrderBy(v => v).ToArray(), ids);
        Assert.Equal(a.Test.Inputs.Data.ToArray(), b.Test.Inputs.Data.ToArray());
        // Two seeds choosing the same 6 of 25 by chance: at most C(7,2)⁻¹·C(13,3)⁻¹·C(5,1)⁻¹ < 10⁻⁴.
        Assert.NotEqual(a.Test.Inputs.Data.ToArray(), c.Test.Inputs.Data.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>("testCount", () => StratifiedSplit.Split(set, 25, 1));
        Assert.Throws<ArgumentOutOfRangeException>("testCount", () => StratifiedSplit.Split(set, 0, 1));
    }
}
