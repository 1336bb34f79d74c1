using System.Numerics;
using Kernels.Blas;
using Kernels.Simd;

namespace Kernels.Activations;

/// <summary>
/// Row-wise softmax and log-sum-exp of a matrix whose rows are samples (the logits of a batch), for
/// <see cref="float"/> and <see cref="double"/>, overflow-safe: each row is shifted by its maximum m before
/// exponentiating, so every term e^(x − m) lies in [0, 1] and the row sum in [1, n].
/// </summary>
/// <remarks>
/// <para><b>Finite rows</b> never produce NaN or infinity: softmax values lie in [0, 1] and sum to 1 within rounding, and
/// the log-sum-exp is m + ln Σ e^(x − m), finite. Entries of −∞ are allowed and contribute 0 (softmax 0).</para>
/// <para><b>Non-finite rows</b>, where the shift m is not finite: a row containing NaN gives a softmax row of NaN and a
/// log-sum-exp of NaN; a row whose maximum is +∞ gives NaN softmax (∞/∞ is undefined) and log-sum-exp +∞; a row of all
/// −∞ (or an empty row) gives NaN softmax (0/0) and log-sum-exp −∞ (ln 0). These are the limits where they exist and
/// NaN where they do not, as in NumPy and PyTorch.</para>
/// <para>Exponentials come from the library's vectorized eˣ (<see cref="Elementwise.Exponential.Exp{T}"/>); sums use the
/// fixed-order reduction of <see cref="AggregationDriver"/>, so the results are the same bits on every run.</para>
/// </remarks>
public static class Softmax
{
    /// <summary>destination[r, c] ← e^(x[r, c] − m_r) / Σ_j e^(x[r, j] − m_r), with m_r the maximum of row r.</summary>
    /// <remarks>The destination may be x itself (in place); a partial overlap throws.</remarks>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have the shape of <paramref name="x"/>, or partly overlaps it.</exception>
    public static void Rows<T>(ReadOnlyMatrixView<T> x, MatrixView<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        if (destination.Rows != x.Rows || destination.Columns != x.Columns)
        {
            throw new ArgumentException($"destination is {destination.Rows}×{destination.Columns}; expected {x.Rows}×{x.Columns} (the shape of x).", nameof(destination));
        }
        RequireSameOrDisjoint(x, destination.AsReadOnly(), nameof(destination));
        for (int r = 0; r < x.Rows; r++)
        {
            ReadOnlySpan<T> row = x.Row(r);
            Span<T> output = destination.Row(r);
            T shift = Shift(row);
            if (!T.IsFinite(shift))
            {
                output.Fill(T.NaN);
                continue;
            }
            UnaryDriver.Run(row, output, new ShiftedExpOperator<T>(shift));
            Level1.Scale(T.One / Level1.Sum<T>(output), output);
        }
    }

    /// <summary>destination[r] ← ln Σ_j e^(x[r, j]) = m_r + ln Σ_j e^(x[r, j] − m_r), with m_r the maximum of row r.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> does not have one element per row of <paramref name="x"/>, or shares memory with it.</exception>
    public static void LogSumExpRows<T>(ReadOnlyMatrixView<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        Guard.RequireMatrixDimension(destination.Length, x.Rows, nameof(destination), "row", "x", x.Rows, x.Columns);
        Guard.RequireDisjoint(Used(x), nameof(x), destination, nameof(destination));
        for (int r = 0; r < x.Rows; r++)
        {
            ReadOnlySpan<T> row = x.Row(r);
            T shift = Shift(row);
            destination[r] = T.IsFinite(shift)
                ? shift + T.Log(AggregationDriver.Run(row, new ShiftedExpSumAccumulator<T>(shift)))
                : shift;
        }
    }

    /// <summary>The row maximum (NaN if any entry is NaN), or −∞ for an empty row.</summary>
    private static T Shift<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T> =>
        row.IsEmpty ? T.NegativeInfinity : Level1.Max(row);

    private static void RequireSameOrDisjoint<T>(ReadOnlyMatrixView<T> x, ReadOnlyMatrixView<T> destination, string name)
    {
        ReadOnlySpan<T> input = Used(x), output = Used(destination);
        bool exactAlias = input.Overlaps(output, out int offset) && offset == 0 && x.Stride == destination.Stride;
        if (!exactAlias)
        {
            Guard.RequireDisjoint(input, nameof(x), output, name);
        }
    }

    private static ReadOnlySpan<T> Used<T>(ReadOnlyMatrixView<T> m) =>
        m.Data[..(int)Guard.RequiredLength(m.Rows, m.Columns, m.Stride)];
}
