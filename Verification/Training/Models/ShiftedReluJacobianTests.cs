using Kernels.Randomness;
using Kernels.Training.Data;
using Kernels.Training.Models;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Training.Models;

public sealed class ShiftedReluJacobianTests
{
    [Theory]
    [InlineData(64, 5, 4, 1UL)]
    [InlineData(500, 12, 9, 2UL)]
    [InlineData(2000, 3, 16, 3UL)]
    public void MatchesItsMaterializedMatrixBothWays(int width, int dimension, int points, ulong seed)
    {
        var model = new TwoLayerShiftedRelu(width, dimension, seed, shift: 0.3f);
        var data = SyntheticRegression.Sphere(points, dimension, seed + 100);
        var j = new ShiftedReluJacobian(model, data);
        int columns = width * dimension;
        // The textbook matrix: row i = (1/√m)·[a_r·x_i·1(⟨w_r, x_i⟩ ≥ b)], from double inner products.
        var dense = new double[points, columns];
        for (int i = 0; i < points; i++)
        {
            for (int r = 0; r < width; r++)
            {
                double dot = 0;
                for (int k = 0; k < dimension; k++)
                {
                    dot += (double)model.Weights.Row(r)[k] * data.Inputs.Row(i)[k];
                }
                if (Math.Abs(dot - model.Shift) < 1e-5)
                {
                    return; // too close to the boundary for float and double to agree; this draw proves nothing
                }
                for (int k = 0; k < dimension && dot >= model.Shift; k++)
                {
                    dense[i, r * dimension + k] = model.Signs[r] * data.Inputs.Row(i)[k] / Math.Sqrt(width);
                }
            }
        }
        var v = new float[columns];
        var u = new float[points];
        new CounterRandom(seed, 9).FillNormal(v.AsSpan(), 0f, 1f);
        new CounterRandom(seed, 10).FillNormal(u.AsSpan(), 0f, 1f);
        var jv = new float[points];
        var jtu = new float[columns];
        j.Apply(v, jv);
        j.ApplyTranspose(u, jtu);
        for (int i = 0; i < points; i++)
        {
            double expected = 0, magnitude = 0;
            for (int c = 0; c < columns; c++)
            {
                expected += dense[i, c] * v[c];
                magnitude += Math.Abs(dense[i, c] * v[c]);
            }
            Tolerance.AssertClose(jv[i], expected, magnitude, dimension + 4, $"(J·v)[{i}]");
        }
        for (int c = 0; c < columns; c++)
        {
            double expected = 0, magnitude = 0;
            for (int i = 0; i < points; i++)
            {
                expected += dense[i, c] * u[i];
                magnitude += Math.Abs(dense[i, c] * u[i]);
            }
            Tolerance.AssertClose(jtu[c], expected, magnitude, points + 4, $"(Jᵀ·u)[{c}]");
        }
    }

    /// <summary>f is piecewise linear in W, so while no ⟨w_r, x_i⟩ crosses b, f(W + εV) − f(W) = ε·J·V exactly in exact
    /// arithmetic; with ε small enough that no neuron crosses, the difference quotient matches J·V to float rounding.</summary>
    [Fact]
    public void MatchesFiniteDifferencesOfPredict()
    {
        const int width = 3000, dimension = 10, points = 6;
        var model = new TwoLayerShiftedRelu(width, dimension, 5);
        var data = SyntheticRegression.Sphere(points, dimension, 6);
        var j = new ShiftedReluJacobian(model, data);
        var direction = new float[width * dimension];
        new CounterRandom(5, 1).FillNormal(direction.AsSpan(), 0f, 1f);
        var jv = new float[points];
        j.Apply(direction, jv);
        const float epsilon = 1e-3f;
        var before = new float[points];
        model.Predict(data.Inputs, before);
        var moved = new float[width * dimension];
        for (int c = 0; c < moved.Length; c++)
        {
            moved[c] = model.Weights.Data[c] + epsilon * direction[c];
        }
        var shifted = TwoLayerShiftedRelu.FromWeights(new(moved, width, dimension), model.Signs, model.Shift, model.Seed);
        var after = new float[points];
        shifted.Predict(data.Inputs, after);
        for (int i = 0; i < points; i++)
        {
            double quotient = ((double)after[i] - before[i]) / epsilon;
            Assert.InRange(quotient, jv[i] - 2e-2 * (1 + Math.Abs(jv[i])), jv[i] + 2e-2 * (1 + Math.Abs(jv[i])));
        }
    }

    /// <summary>
    /// The gradient of the loss L(W) = ½‖f(W) − y‖² is Jᵀ(f − y), the direction every trainer steps along: against the
    /// central difference (L(W + εV) − L(W − εV))/(2ε) along three random directions V. f is piecewise linear in W and L
    /// quadratic in f, so with ε small enough that no neuron crosses b the quotient equals ⟨Jᵀ(f − y), V⟩ up to float
    /// rounding of the predictions (about 10⁻⁷·|f|/ε, 10⁻⁴ here against ⟨Jᵀ(f − y), V⟩ ≈ 0.18), inside the 0.5 % allowed. Each V is the gradient plus Gaussian
    /// noise of the gradient's root-mean-square size (a purely random V is nearly orthogonal to this sparse gradient, and
    /// the test would then check little).
    /// </summary>
    [Fact]
    public void GradientOfTheLossMatchesFiniteDifferences()
    {
        const int width = 3000, dimension = 10, points = 6;
        var model = new TwoLayerShiftedRelu(width, dimension, 7);
        var data = SyntheticRegression.Sphere(points, dimension, 8);
        var f = new float[points];
        model.Predict(data.Inputs, f);
        var residual = new float[points];
        for (int i = 0; i < points; i++)
        {
            residual[i] = f[i] - data.Labels[i];
        }
        var gradient = new float[width * dimension];
        new ShiftedReluJacobian(model, data).ApplyTranspose(residual, gradient);
        double squares = 0;
        foreach (float g in gradient)
        {
            squares += (double)g * g;
        }
        float rms = (float)Math.Sqrt(squares / gradient.Length);
        Assert.True(rms > 0, "the gradient should not vanish");
        const float epsilon = 1e-3f;
        for (int direction = 0; direction < 3; direction++)
        {
            var v = new float[width * dimension];
            new CounterRandom(7, (ulong)direction + 1).FillNormal(v.AsSpan(), 0f, rms);
            double along = 0;
            for (int c = 0; c < v.Length; c++)
            {
                v[c] += gradient[c];
                along += (double)gradient[c] * v[c];
            }
            double quotient = (Loss(epsilon) - Loss(-epsilon)) / (2 * epsilon);
            Assert.InRange(quotient, along - 5e-3 * Math.Abs(along), along + 5e-3 * Math.Abs(along));

            double Loss(float step)
            {
                var moved = new float[width * dimension];
                for (int c = 0; c < moved.Length; c++)
                {
                    moved[c] = model.Weights.Data[c] + step * v[c];
                }
                var predictions = new float[points];
                TwoLayerShiftedRelu.FromWeights(new(moved, width, dimension), model.Signs, model.Shift, model.Seed).Predict(data.Inputs, predictions);
                double loss = 0;
                for (int i = 0; i < points; i++)
                {
                    double r = (double)predictions[i] - data.Labels[i];
                    loss += 0.5 * r * r;
                }
                return loss;
            }
        }
    }

    [Fact]
    public void WrongLengthsThrowNamingTheArgument()
    {
        var model = new TwoLayerShiftedRelu(10, 3, 1);
        var j = new ShiftedReluJacobian(model, SyntheticRegression.Sphere(4, 3, 2));
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => j.Apply(new float[29], new float[4])).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => j.Apply(new float[30], new float[3])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => j.ApplyTranspose(new float[5], new float[30])).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => new ShiftedReluJacobian(model, SyntheticRegression.Sphere(4, 5, 2))).ParamName);
    }
}
