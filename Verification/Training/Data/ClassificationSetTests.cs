using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

public sealed class ClassificationSetTests
{
    [Fact]
    public void CopiesValidatesAndSubsets()
    {
        float[] x = [0f, 1f, 0.5f, 0.25f, 1f, 0f];
        int[] y = [2, 0, 2];
        var set = new ClassificationSet(new ReadOnlyMatrixView<float>(x, 3, 2), y, 3);
        x[0] = 0.75f;
        y[0] = 1;
        Assert.Equal(0f, set.Inputs.Row(0)[0]);
        Assert.Equal([1, 0, 2], set.ClassCounts());
        var subset = set.Subset([2, 0]);
        Assert.Equal([2, 2], subset.Labels.ToArray());
        Assert.Equal([1f, 0f, 0f, 1f], subset.Inputs.Data.ToArray());
    }

    [Fact]
    public void BadInputsThrowNamingTheArgument()
    {
        static ReadOnlyMatrixView<float> Ok() => new([0f, 1f], 1, 2);
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => new ClassificationSet(Ok(), [0], 1));
        Assert.Throws<ArgumentException>("labels", () => new ClassificationSet(Ok(), [0, 1], 2));
        Assert.Throws<ArgumentException>("labels", () => new ClassificationSet(Ok(), [2], 2));
        Assert.Throws<ArgumentException>("labels", () => new ClassificationSet(Ok(), [-1], 2));
        Assert.Throws<ArgumentException>("inputs", () => new ClassificationSet(new ReadOnlyMatrixView<float>([0f, 1.5f], 1, 2), [0], 2));
        Assert.Throws<ArgumentException>("inputs", () => new ClassificationSet(new ReadOnlyMatrixView<float>([float.NaN, 0f], 1, 2), [0], 2));
        Assert.Throws<ArgumentException>("inputs", () => new ClassificationSet(new ReadOnlyMatrixView<float>([], 0, 2), [], 2));
        var set = new ClassificationSet(Ok(), [1], 2);
        Assert.Throws<ArgumentException>("indices", () => set.Subset([]));
        Assert.Throws<ArgumentOutOfRangeException>("indices", () => set.Subset([1]));
    }
}
