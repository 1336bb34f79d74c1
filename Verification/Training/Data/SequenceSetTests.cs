using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

public sealed class SequenceSetTests
{
    /// <summary>Sequences are stored time-major: row ℓ·N + i of the inputs is step ℓ + 1 of sequence i.</summary>
    [Fact]
    public void StoresTimeMajor()
    {
        var inputs = new[] { Filled(3, 2, 0), Filled(3, 2, 100) };
        var targets = new[] { Filled(2, 1, 1000), Filled(2, 1, 2000) };
        var set = new SequenceSet<double>(inputs, targets);
        Assert.Equal((2, 3, 2, 1), (set.Count, set.Length, set.InputDimension, set.OutputDimension));
        for (int step = 0; step < 3; step++)
        {
            for (int i = 0; i < 2; i++)
            {
                Assert.True(set.Inputs.Row(step * 2 + i).SequenceEqual(inputs[i].Row(step)));
                Assert.True(set.InputsAt(step + 1).Row(i).SequenceEqual(inputs[i].Row(step)));
                if (step > 0)
                {
                    Assert.True(set.Targets.Row((step - 1) * 2 + i).SequenceEqual(targets[i].Row(step - 1)));
                }
            }
        }
    }

    [Fact]
    public void BadSequencesThrowNamingTheSequence()
    {
        var good = new[] { Filled(3, 2, 0), Filled(3, 2, 1) };
        var goodTargets = new[] { Filled(2, 1, 0), Filled(2, 1, 0) };
        Assert.Contains("inputs[1]", Assert.Throws<ArgumentException>("inputs", () => new SequenceSet<double>([good[0], Filled(4, 2, 0)], goodTargets)).Message);
        Assert.Contains("inputs[1]", Assert.Throws<ArgumentException>("inputs", () => new SequenceSet<double>([good[0], Filled(3, 3, 0)], goodTargets)).Message);
        Assert.Contains("targets[0]", Assert.Throws<ArgumentException>("targets", () => new SequenceSet<double>(good, [Filled(3, 1, 0), Filled(2, 1, 0)])).Message);
        Assert.Throws<ArgumentException>("targets", () => new SequenceSet<double>(good, [Filled(2, 1, 0)]));
        Assert.Throws<ArgumentException>("inputs", () => new SequenceSet<double>([], []));
        Assert.Throws<ArgumentException>("inputs", () => new SequenceSet<double>([Filled(0, 2, 0)], [Filled(0, 1, 0)]));
        Assert.Throws<ArgumentException>("inputs", () => new SequenceSet<double>([Filled(1, 2, 0)], [Filled(0, 1, 0)]));
        var nan = Filled(3, 2, 0);
        nan[2, 1] = double.NaN;
        Assert.Contains("inputs[1][2, 1]", Assert.Throws<ArgumentException>("inputs", () => new SequenceSet<double>([good[0], nan], goodTargets)).Message);
        var infinite = Filled(2, 1, 0);
        infinite[0, 0] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>("targets", () => new SequenceSet<double>(good, [goodTargets[0], infinite]));
    }

    private static Matrix<double> Filled(int rows, int columns, double start)
    {
        var matrix = new Matrix<double>(rows, columns);
        for (int k = 0; k < rows * columns; k++)
        {
            matrix.AsSpan()[k] = start + k;
        }
        return matrix;
    }
}
