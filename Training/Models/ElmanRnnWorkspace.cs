using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kernels.Training.Models;

/// <summary>
/// The activation memory of one <see cref="ElmanRnn{T}"/> pass over N sequences of length L: the hidden states of
/// every step (L·N × m), their gradients (L·N × m) and the residuals ((L − 1)·N × d) — O(L·N·m), allocated once and
/// reused by every pass, so a training step allocates nothing.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class ElmanRnnWorkspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A workspace for <paramref name="model"/> over <paramref name="count"/> sequences of <paramref name="length"/> steps.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">N &lt; 1, L &lt; 2, or the workspace (<see cref="Bytes"/>) would not
    /// fit in one array or in the memory available; the message gives the estimate in bytes.</exception>
    public ElmanRnnWorkspace(ElmanRnn<T> model, int count, int length)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        long bytes = Bytes(model.Hidden, model.OutputDimension, count, length);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if ((long)length * count * model.Hidden > Array.MaxLength || bytes > available)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"The activations of {count} sequences of {length} steps at width {model.Hidden} need about {bytes:N0} bytes " +
                $"(2·L·N·m + (L − 1)·N·d elements), more than one array holds or the {available:N0} bytes available; use fewer sequences per batch.");
        }
        Hidden = model.Hidden;
        OutputDimension = model.OutputDimension;
        Count = count;
        Length = length;
        HiddenBuffer = new Matrix<T>(length * count, model.Hidden);
        GradientBuffer = new Matrix<T>(length * count, model.Hidden);
        ResidualBuffer = new Matrix<T>((length - 1) * count, model.OutputDimension);
    }

    /// <summary>Bytes a workspace takes: (2·L·N·m + (L − 1)·N·d)·sizeof(T).</summary>
    public static long Bytes(int hidden, int outputDimension, int count, int length) =>
        (2L * length * count * hidden + (long)(length - 1) * count * outputDimension) * Unsafe.SizeOf<T>();

    /// <summary>Hidden width m it was made for.</summary>
    public int Hidden { get; }

    /// <summary>Output dimension d it was made for.</summary>
    public int OutputDimension { get; }

    /// <summary>Sequences N per pass.</summary>
    public int Count { get; }

    /// <summary>Steps L per sequence.</summary>
    public int Length { get; }

    /// <summary>The hidden states of the last pass, time-major: row (ℓ − 1)·N + i is h_{i,ℓ}.</summary>
    public ReadOnlyMatrixView<T> HiddenStates => HiddenBuffer.ReadOnlyView;

    /// <summary>The residuals B·h_ℓ − y*_ℓ of the last pass, time-major for ℓ = 2..L.</summary>
    public ReadOnlyMatrixView<T> Residuals => ResidualBuffer.ReadOnlyView;

    internal Matrix<T> HiddenBuffer { get; }

    internal Matrix<T> GradientBuffer { get; }

    internal Matrix<T> ResidualBuffer { get; }
}
