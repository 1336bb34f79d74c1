using System.Numerics;
using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Verification.Training.Models;

/// <summary>
/// The textbook Elman network, one sequence at a time with scalar loops in double: h_ℓ = max(W·h_{ℓ−1} + A·x_ℓ, 0),
/// loss Σ_{ℓ≥2} ½‖B·h_ℓ − y*_ℓ‖², and BPTT written from the chain rule step by step — the reference the batched,
/// Gemm-based <see cref="ElmanRnn{T}"/> is checked against.
/// </summary>
public static class ElmanRnnReference
{
    /// <summary>The loss, ∂f/∂W, ∂f/∂A, ∂f/∂B (row-major) and ‖∂f/∂h_ℓ‖ over the batch.</summary>
    public sealed record Result(double Loss, double[] Recurrent, double[] Input, double[] Output, double[] HiddenNorms);

    /// <summary>Evaluates the model's weights (as doubles) on the data (as doubles).</summary>
    public static Result Evaluate<T>(ElmanRnn<T> model, SequenceSet<T> data) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = model.Hidden, dx = model.InputDimension, d = model.OutputDimension, n = data.Count, length = data.Length;
        double[] w = ToDouble(model.Recurrent.Data), a = ToDouble(model.Input.Data), b = ToDouble(model.Output.Data);
        var dW = new double[m * m];
        var dA = new double[m * dx];
        var dB = new double[d * m];
        var normSquares = new double[length];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            var x = new double[length][];
            var y = new double[length][];
            var h = new double[length + 1][];
            h[0] = new double[m];
            for (int step = 1; step <= length; step++)
            {
                x[step - 1] = ToDouble(data.Inputs.Row((step - 1) * n + i));
                var z = new double[m];
                for (int r = 0; r < m; r++)
                {
                    double s = 0;
                    for (int c = 0; c < m; c++)
                    {
                        s += w[r * m + c] * h[step - 1][c];
                    }
                    for (int c = 0; c < dx; c++)
                    {
                        s += a[r * dx + c] * x[step - 1][c];
                    }
                    z[r] = Math.Max(s, 0);
                }
                h[step] = z;
            }
            // Residuals r_ℓ = B·h_ℓ − y*_ℓ for ℓ ≥ 2.
            var res = new double[length + 1][];
            for (int step = 2; step <= length; step++)
            {
                var target = ToDouble(data.Targets.Row((step - 2) * n + i));
                res[step] = new double[d];
                for (int o = 0; o < d; o++)
                {
                    double s = -target[o];
                    for (int c = 0; c < m; c++)
                    {
                        s += b[o * m + c] * h[step][c];
                    }
                    res[step][o] = s;
                    loss += 0.5 * s * s;
                    for (int c = 0; c < m; c++)
                    {
                        dB[o * m + c] += s * h[step][c];
                    }
                }
            }
            // Backwards: g = ∂f/∂h_ℓ, δ = g ⊙ 1[h_ℓ > 0], then ∂f/∂h_{ℓ−1} = Wᵀδ + Bᵀr_{ℓ−1}.
            var g = new double[m];
            for (int step = length; step >= 1; step--)
            {
                if (step >= 2)
                {
                    for (int c = 0; c < m; c++)
                    {
                        for (int o = 0; o < d; o++)
                        {
                            g[c] += b[o * m + c] * res[step][o];
                        }
                    }
                }
                double squares = 0;
                var delta = new double[m];
                for (int r = 0; r < m; r++)
                {
                    squares += g[r] * g[r];
                    delta[r] = h[step][r] > 0 ? g[r] : 0;
                    for (int c = 0; c < m; c++)
                    {
                        dW[r * m + c] += delta[r] * h[step - 1][c];
                    }
                    for (int c = 0; c < dx; c++)
                    {
                        dA[r * dx + c] += delta[r] * x[step - 1][c];
                    }
                }
                normSquares[step - 1] += squares;
                var next = new double[m];
                for (int c = 0; c < m; c++)
                {
                    for (int r = 0; r < m; r++)
                    {
                        next[c] += w[r * m + c] * delta[r];
                    }
                }
                g = next;
            }
        }
        return new Result(loss, dW, dA, dB, normSquares.Select(Math.Sqrt).ToArray());
    }

    private static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            result[k] = double.CreateChecked(values[k]);
        }
        return result;
    }
}
