using Kernels.Training.Data;

namespace Kernels.Verification.Infrastructure;

/// <summary>Small classification sets for the MLP and trainer tests.</summary>
public static class ClassificationSamples
{
    /// <summary>n inputs uniform in [0, 1]^d and labels uniform over the classes, from <paramref name="seed"/>.</summary>
    public static ClassificationSet Random(int n, int d, int classes, int seed)
    {
        var random = new System.Random(seed);
        var x = Enumerable.Range(0, n * d).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        return new ClassificationSet(new ReadOnlyMatrixView<float>(x, n, d), y, classes);
    }
}
