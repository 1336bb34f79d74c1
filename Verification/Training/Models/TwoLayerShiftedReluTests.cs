using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Models;

public sealed class TwoLayerShiftedReluTests
{
    [Fact]
    public void SameSeedSameModel_DifferentSeedDifferentModel()
    {
        var a = new TwoLayerShiftedRelu(300, 7, seed: 11);
        var b = new TwoLayerShiftedRelu(300, 7, seed: 11);
        var c = new TwoLayerShiftedRelu(300, 7, seed: 12);
        Assert.True(a.Weights.Data.SequenceEqual(b.Weights.Data));
        Assert.True(a.Signs.SequenceEqual(b.Signs));
        Assert.False(a.Weights.Data.SequenceEqual(c.Weights.Data));
        Assert.All(a.Signs.ToArray(), s => Assert.True(s is 1f or -1f));
        // Both signs occur: with 300 fair signs, all equal has probability 2^-299.
        Assert.Contains(-1f, a.Signs.ToArray());
        Assert.Contains(1f, a.Signs.ToArray());
    }

    [Fact]
    public void DefaultShiftIsSeedFormula()
    {
        Assert.Equal((float)Math.Sqrt(0.48 * Math.Log(1 << 16)), TwoLayerShiftedRelu.DefaultShift(1 << 16));
        Assert.Equal(TwoLayerShiftedRelu.DefaultShift(1000), new TwoLayerShiftedRelu(1000, 3, 1).Shift);
    }

    [Theory]
    [InlineData(1, 5, 1)]
    [InlineData(5000, 9, 13)]
    [InlineData(9000, 33, 3)]
    public void PredictMatchesScalarReference(int width, int dimension, int points)
    {
        var model = new TwoLayerShiftedRelu(Math.Max(width, 2), dimension, (ulong)(width + dimension), shift: 0.7f);
        var data = SyntheticRegression.Sphere(points, dimension, 5);
        var predictions = new float[points];
        model.Predict(data.Inputs, predictions);
        for (int i = 0; i < points; i++)
        {
            double sum = 0, magnitude = 0;
            for (int r = 0; r < model.Width; r++)
            {
                double dot = 0, abs = 0;
                for (int k = 0; k < dimension; k++)
                {
                    dot += (double)model.Weights.Row(r)[k] * data.Inputs.Row(i)[k];
                    abs += Math.Abs((double)model.Weights.Row(r)[k] * data.Inputs.Row(i)[k]);
                }
                if (dot >= model.Shift)
                {
                    sum += model.Signs[r] * (dot - model.Shift);
                }
                magnitude += abs;
            }
            double expected = sum * model.OutputScale;
            // float products: each dot is within (d + 2)·ε·Σ|w·x|; a neuron within that of b may flip, contributing at most that much.
            double bound = 2 * (dimension + 2) * Tolerance.Epsilon<float>() * magnitude * model.OutputScale + 4 * Tolerance.Epsilon<float>() * Math.Abs(expected);
            Assert.InRange(predictions[i], expected - bound, expected + bound);
        }
    }

    /// <summary>
    /// At initialization ⟨w_r, x⟩ ~ N(0, 1) independently over r for a unit x, so |Q_i| ~ Binomial(m, p) with
    /// p = Pr[N(0,1) ≥ b]. Bernstein's bound with failure probability 1e-7 per point (8 points: under 1e-6 in all).
    /// </summary>
    [Theory]
    [InlineData(1 << 14)]
    [InlineData(1 << 17)]
    public void ActiveSetSizesMatchTheBinomial(int width)
    {
        const int points = 8;
        var model = new TwoLayerShiftedRelu(width, 24, seed: 77);
        var data = SyntheticRegression.Sphere(points, 24, 78);
        var jacobian = new ShiftedReluJacobian(model, data);
        double p = 1 - Statistics.NormalCdf(model.Shift);
        double mean = width * p;
        double deviation = Statistics.BernsteinDeviation(width, p * (1 - p), 1, 1e-7) * width;
        for (int i = 0; i < points; i++)
        {
            Assert.InRange(jacobian.ActiveSet(i).Length, mean - deviation, mean + deviation);
        }
    }

    [Fact]
    public void BadArgumentsThrowNamingThem()
    {
        Assert.Equal("width", Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerShiftedRelu(1, 3, 0)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerShiftedRelu(4, 0, 0)).ParamName);
        Assert.Equal("shift", Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerShiftedRelu(4, 3, 0, -1f)).ParamName);
        Assert.Equal("shift", Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerShiftedRelu(4, 3, 0, float.NaN)).ParamName);
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLayerShiftedRelu(1 << 30, 4, 0));
        Assert.Contains("bytes", tooBig.Message);
        var model = new TwoLayerShiftedRelu(8, 3, 0);
        var data = SyntheticRegression.Sphere(4, 5, 1);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => model.Predict(data.Inputs, new float[4])).ParamName);
        var fitting = SyntheticRegression.Sphere(4, 3, 1);
        Assert.Equal("predictions", Assert.Throws<ArgumentException>(() => model.Predict(fitting.Inputs, new float[3])).ParamName);
    }
}
