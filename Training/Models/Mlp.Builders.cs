namespace Kernels.Training.Models;

public sealed partial class Mlp
{
    /// <summary>The dense net of seed 001: <paramref name="inputs"/> → <paramref name="hidden"/> ReLU units → <paramref name="classes"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A width is out of range.</exception>
    public static Mlp Dense(ulong seed, int hidden = 1000, int inputs = 784, int classes = 10) =>
        new(inputs, [new MlpLayerSpec(hidden), new MlpLayerSpec(classes)], seed);

    /// <summary>
    /// HashedNets at compression <paramref name="ratio"/>: the dense net's shape, each layer a HashedNets layer with
    /// ⌈inputs·outputs / ratio⌉ buckets (signed). At ratio 1 nothing is shared and the layers are dense.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is below 1 or not finite, or a width is out of range.</exception>
    public static Mlp HashedNet(double ratio, ulong seed, int hidden = 1000, int inputs = 784, int classes = 10)
    {
        RequireRatio(ratio);
        return new(inputs, [new MlpLayerSpec(hidden, Buckets(inputs, hidden, ratio)), new MlpLayerSpec(classes, Buckets(hidden, classes, ratio))], seed);
    }

    /// <summary>SmallNets at compression <paramref name="ratio"/>: one dense hidden layer of ⌈hidden / ratio⌉ units, so about 1/ratio of the dense net's weights.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is below 1 or not finite, or a width is out of range.</exception>
    public static Mlp SmallNet(double ratio, ulong seed, int hidden = 1000, int inputs = 784, int classes = 10)
    {
        RequireRatio(ratio);
        return new(inputs, [new MlpLayerSpec(Ceiling(hidden / ratio)), new MlpLayerSpec(classes)], seed);
    }

    /// <summary>
    /// ThinNets at compression <paramref name="ratio"/>: a thin dense layer of ⌈inputs·hidden / ((inputs + hidden)·ratio)⌉
    /// units, then <paramref name="hidden"/> units, then the classes (the first weight matrix factored through a narrow
    /// layer of about 1/ratio of its weights).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is below 1 or not finite, or a width is out of range.</exception>
    public static Mlp ThinNet(double ratio, ulong seed, int hidden = 1000, int inputs = 784, int classes = 10)
    {
        RequireRatio(ratio);
        int thin = Ceiling((double)inputs * hidden / ((inputs + (double)hidden) * ratio));
        return new(inputs, [new MlpLayerSpec(thin), new MlpLayerSpec(hidden), new MlpLayerSpec(classes)], seed);
    }

    private static int Buckets(int inputs, int outputs, double ratio) => ratio == 1 ? 0 : Math.Max(1, Ceiling((double)inputs * outputs / ratio));

    private static int Ceiling(double value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value - 1e-9));

    private static void RequireRatio(double ratio)
    {
        if (!double.IsFinite(ratio) || ratio < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The compression ratio must be finite and at least 1.");
        }
    }
}
