using System.Numerics;

namespace Kernels.Training.Models;

/// <summary>
/// Where <see cref="ElmanRnn{T}.Gradient"/> writes: ∂f/∂W always, ∂f/∂A and ∂f/∂B when asked for at construction, and
/// the per-step norms ‖∂f/∂h_ℓ‖ that show whether gradients explode or vanish across the L steps.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ElmanRnnGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A gradient for <paramref name="model"/> over sequences of <paramref name="length"/> steps.</summary>
    /// <param name="model">The model whose shapes it takes.</param>
    /// <param name="length">Steps L ≥ 2.</param>
    /// <param name="includeInput">Whether ∂f/∂A is computed (only needed when A trains).</param>
    /// <param name="includeOutput">Whether ∂f/∂B is computed (only needed when B trains).</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> &lt; 2.</exception>
    public ElmanRnnGradient(ElmanRnn<T> model, int length, bool includeInput = false, bool includeOutput = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        Hidden = model.Hidden;
        InputDimension = model.InputDimension;
        OutputDimension = model.OutputDimension;
        Length = length;
        Recurrent = new Matrix<T>(Hidden, Hidden);
        Input = includeInput ? new Matrix<T>(Hidden, InputDimension) : null;
        Output = includeOutput ? new Matrix<T>(OutputDimension, Hidden) : null;
        HiddenNormsBuffer = new double[length];
    }

    /// <summary>Hidden width m.</summary>
    public int Hidden { get; }

    /// <summary>Token dimension d_x.</summary>
    public int InputDimension { get; }

    /// <summary>Output dimension d.</summary>
    public int OutputDimension { get; }

    /// <summary>Steps L.</summary>
    public int Length { get; }

    /// <summary>∂f/∂W (m × m).</summary>
    public Matrix<T> Recurrent { get; }

    /// <summary>∂f/∂A (m × d_x), or null when not computed.</summary>
    public Matrix<T>? Input { get; }

    /// <summary>∂f/∂B (d × m), or null when not computed.</summary>
    public Matrix<T>? Output { get; }

    /// <summary>‖∂f/∂h_ℓ‖ for ℓ = 1..L (index ℓ − 1): the Frobenius norm over the batch of the loss's gradient with
    /// respect to the hidden state of step ℓ, through every later step.</summary>
    public ReadOnlySpan<double> HiddenNorms => HiddenNormsBuffer;

    internal double[] HiddenNormsBuffer { get; }
}
