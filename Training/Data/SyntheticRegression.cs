using Kernels.Blas;
using Kernels.Randomness;

namespace Kernels.Training.Data;

/// <summary>
/// Synthetic regression sets on the unit sphere, decided entirely by a seed: x_i uniform on S^{d−1} (a normal vector,
/// normalized) and labels from a <see cref="SyntheticTarget"/>, scaled to root-mean-square <c>labelScale</c>.
/// </summary>
/// <remarks>Random numbers follow the library's seed rule: <c>CounterRandom(CounterRandom.Derive(seed, Purpose("sphere")), stream)</c>,
/// stream 0 for the points and 1 for the target, so a data set and a model built from the same seed share nothing.</remarks>
public static class SyntheticRegression
{
    private const int TeacherWidth = 16;

    /// <summary>Draws n points on S^{d−1} and their labels.</summary>
    /// <param name="count">n ≥ 1.</param>
    /// <param name="dimension">d ≥ 2 (a sphere in one dimension has only two points).</param>
    /// <param name="seed">Decides the points and the target.</param>
    /// <param name="target">Where labels come from.</param>
    /// <param name="labelScale">The labels' root mean square, finite and &gt; 0. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or the scale is out of range, or <paramref name="target"/> is undefined.</exception>
    public static RegressionSet Sphere(int count, int dimension, ulong seed, SyntheticTarget target = SyntheticTarget.Teacher, float labelScale = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2);
        if (!float.IsFinite(labelScale) || labelScale <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(labelScale), labelScale, "The label scale must be finite and > 0.");
        }
        if (!Enum.IsDefined(target))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown synthetic target.");
        }
        var inputs = new float[(long)count * dimension];
        new CounterRandom(CounterRandom.Derive(seed, Purpose), 0).FillNormal(inputs.AsSpan(), 0f, 1f);
        var view = new MatrixView<float>(inputs, count, dimension);
        RowNormalization.Normalize(view);
        var labels = new float[count];
        if (target == SyntheticTarget.Teacher)
        {
            Teacher(view, new CounterRandom(CounterRandom.Derive(seed, Purpose), 1), labels);
        }
        else
        {
            Smooth(view, new CounterRandom(CounterRandom.Derive(seed, Purpose), 1), labels);
        }
        double squares = 0;
        foreach (float y in labels)
        {
            squares += (double)y * y;
        }
        double rms = Math.Sqrt(squares / count);
        float factor = rms > 0 ? (float)(labelScale / rms) : 0f;
        for (int i = 0; i < count; i++)
        {
            labels[i] *= factor;
        }
        return new RegressionSet(view, labels);
    }

    /// <summary>The purpose this derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong Purpose = CounterRandom.Purpose("sphere");

    private static void Teacher(ReadOnlyMatrixView<float> x, CounterRandom random, Span<float> labels)
    {
        int d = x.Columns;
        var units = new float[TeacherWidth * d];
        random.FillNormal(units.AsSpan(), 0f, 1f);
        var signs = new float[TeacherWidth];
        random.FillUniform(signs.AsSpan(), startIndex: units.Length);
        for (int i = 0; i < x.Rows; i++)
        {
            double y = 0;
            for (int k = 0; k < TeacherWidth; k++)
            {
                double dot = Level1.Dot<float>(units.AsSpan(k * d, d), x.Row(i));
                y += (signs[k] < 0.5f ? -1 : 1) * Math.Max(dot, 0);
            }
            labels[i] = (float)y;
        }
    }

    private static void Smooth(ReadOnlyMatrixView<float> x, CounterRandom random, Span<float> labels)
    {
        int d = x.Columns;
        var direction = new float[d];
        random.FillNormal(direction.AsSpan(), 0f, 1f);
        RowNormalization.Normalize(new MatrixView<float>(direction, 1, d));
        for (int i = 0; i < x.Rows; i++)
        {
            labels[i] = (float)Math.Sin(3 * Level1.Dot<float>(direction, x.Row(i)));
        }
    }
}
