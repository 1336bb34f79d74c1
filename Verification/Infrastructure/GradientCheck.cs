using Kernels.Blas;
using Xunit.Sdk;

namespace Kernels.Verification.Infrastructure;

/// <summary>A layer's forward pass on a batch, for finite differences.</summary>
public delegate void ForwardPass(ReadOnlyMatrixView<double> x, MatrixView<double> y);

/// <summary>
/// Central finite differences for layer gradients, in double, with the loss L(Y) = Σ c⊙Y + ½‖Y‖² (c fixed, so that
/// ∂L/∂Y = c + Y is known in closed form and every output matters).
/// </summary>
/// <remarks>
/// The layers are linear in each parameter and each input, so L is quadratic along every coordinate and the central
/// difference (L(θ + h) − L(θ − h)) / 2h has no truncation error: only rounding remains, about ε·|L|/h (10⁻¹¹ for the
/// test sizes and h = 10⁻³). The tolerance 10⁻⁶·(1 + |∂L/∂θ|) leaves a wide margin, while a wrong index, sign or
/// transpose is off by O(1).
/// </remarks>
public static class GradientCheck
{
    /// <summary>Relative tolerance of <see cref="AssertCentral"/> (see the remarks).</summary>
    public const double RelativeTolerance = 1e-6;

    /// <summary>L(Y) = Σ c⊙Y + ½‖Y‖² for Y = forward(X), X batch × inputs, Y batch × outputs.</summary>
    public static double QuadraticLoss(ForwardPass forward, double[] x, int batch, int inputs, int outputs, double[] c)
    {
        var y = new double[batch * outputs];
        forward(new ReadOnlyMatrixView<double>(x, batch, inputs), new MatrixView<double>(y, batch, outputs));
        double loss = 0;
        for (int k = 0; k < y.Length; k++)
        {
            loss += c[k] * y[k] + 0.5 * y[k] * y[k];
        }
        return loss;
    }

    /// <summary>∂L/∂Y = c + Y for the outputs Y of the forward pass.</summary>
    public static double[] OutputGradient(ForwardPass forward, double[] x, int batch, int inputs, int outputs, double[] c)
    {
        var y = new double[batch * outputs];
        forward(new ReadOnlyMatrixView<double>(x, batch, inputs), new MatrixView<double>(y, batch, outputs));
        for (int k = 0; k < y.Length; k++)
        {
            y[k] += c[k];
        }
        return y;
    }

    /// <summary>
    /// Perturbs <paramref name="values"/>[<paramref name="index"/>] by ±h, evaluates the loss at both points, restores
    /// the value, and asserts that the central difference matches <paramref name="analytic"/>.
    /// </summary>
    public static void AssertCentral(Span<double> values, int index, double h, Func<double> loss, double analytic, string context)
    {
        double saved = values[index];
        values[index] = saved + h;
        double plus = loss();
        values[index] = saved - h;
        double minus = loss();
        values[index] = saved;
        double numeric = (plus - minus) / (2 * h);
        if (!(Math.Abs(numeric - analytic) <= RelativeTolerance * (1 + Math.Abs(analytic))))
        {
            throw new XunitException($"{context}: analytic gradient {analytic:R}, central difference {numeric:R}.");
        }
    }
}
