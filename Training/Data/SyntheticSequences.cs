using System.Numerics;
using Kernels.Randomness;

namespace Kernels.Training.Data;

/// <summary>
/// Synthetic sequences that meet the assumptions of seed 003's convergence theorem, decided entirely by a seed:
/// first tokens of unit norm and pairwise at least δ apart, later tokens of norm at most 1, and random targets.
/// </summary>
/// <remarks>
/// <para>First tokens are uniform on the sphere S^{d_x−1}; later tokens are a uniform direction times a radius uniform
/// in [0, 1]; targets have i.i.d. N(0, 1/d) entries (so ‖y*‖ ≈ 1). Random numbers follow the library's seed rule:
/// <c>CounterRandom(CounterRandom.Derive(seed, Purpose("rnnseq")), stream)</c>, streams 0–3 for the first tokens,
/// later directions, radii and targets.</para>
/// <para>δ-separability is checked, not hoped for: the smallest distance between first tokens is measured (N² / 2
/// distances) and a draw that misses δ throws, naming the distance reached, rather than return data outside the
/// theorem's assumptions.</para>
/// </remarks>
public static class SyntheticSequences
{
    /// <summary>The purpose this derives its seed with (<see cref="CounterRandom.Derive"/>).</summary>
    internal static readonly ulong Purpose = CounterRandom.Purpose("rnnseq");

    /// <summary>Draws N sequences of L tokens in ℝ^{d_x} with targets in ℝ^d.</summary>
    /// <param name="count">N ≥ 1.</param>
    /// <param name="length">L ≥ 2.</param>
    /// <param name="inputDimension">d_x ≥ 2.</param>
    /// <param name="outputDimension">d ≥ 1.</param>
    /// <param name="seed">Decides tokens and targets.</param>
    /// <param name="separation">δ in (0, 2]: every two first tokens are at least this far apart. Default 0.1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size or δ is out of range, or the draw's first tokens come closer
    /// than δ (the message gives the smallest distance; use a larger d_x, fewer sequences or a smaller δ).</exception>
    public static SequenceSet<T> Separable<T>(int count, int length, int inputDimension, int outputDimension, ulong seed, double separation = 0.1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ElementType.Require<T>();
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDimension, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDimension, 1);
        if (!double.IsFinite(separation) || separation <= 0 || separation > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(separation), separation, "The separation δ must be in (0, 2] (unit vectors are at most 2 apart).");
        }
        ulong derived = CounterRandom.Derive(seed, Purpose);
        var tokens = new T[(long)count * length * inputDimension];
        var first = new T[(long)count * inputDimension];
        var later = new T[(long)count * (length - 1) * inputDimension];
        var radii = new T[(long)count * (length - 1)];
        new CounterRandom(derived, 0).FillNormal<T>(first, T.Zero, T.One);
        new CounterRandom(derived, 1).FillNormal<T>(later, T.Zero, T.One);
        new CounterRandom(derived, 2).FillUniform<T>(radii);
        var inputs = new Matrix<T>[count];
        var targets = new Matrix<T>[count];
        for (int i = 0; i < count; i++)
        {
            var x = new Matrix<T>(length, inputDimension);
            ScaleTo(first.AsSpan(i * inputDimension, inputDimension), T.One, x.Row(0));
            for (int step = 1; step < length; step++)
            {
                int token = i * (length - 1) + step - 1;
                ScaleTo(later.AsSpan(token * inputDimension, inputDimension), radii[token], x.Row(step));
            }
            inputs[i] = x;
            targets[i] = new Matrix<T>(length - 1, outputDimension);
            new CounterRandom(derived, 3).FillNormal(targets[i].AsSpan(), T.Zero, T.CreateChecked(Math.Sqrt(1.0 / outputDimension)),
                (long)i * (length - 1) * outputDimension);
        }
        double closest = SmallestDistance(inputs);
        if (closest < separation)
        {
            throw new ArgumentOutOfRangeException(nameof(separation), separation,
                $"Two first tokens of this draw are only {closest:G4} apart, closer than δ = {separation}; use a larger d_x, fewer sequences or a smaller δ.");
        }
        return new SequenceSet<T>(inputs, targets);
    }

    /// <summary>The smallest Euclidean distance between the first tokens of two sequences (∞ for one sequence).</summary>
    internal static double SmallestDistance<T>(IReadOnlyList<Matrix<T>> inputs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double closest = double.PositiveInfinity;
        for (int i = 0; i < inputs.Count; i++)
        {
            var a = inputs[i].Row(0);
            for (int j = i + 1; j < inputs.Count; j++)
            {
                var b = inputs[j].Row(0);
                double squares = 0;
                for (int k = 0; k < a.Length; k++)
                {
                    double difference = double.CreateChecked(a[k]) - double.CreateChecked(b[k]);
                    squares += difference * difference;
                }
                closest = Math.Min(closest, Math.Sqrt(squares));
            }
        }
        return closest;
    }

    /// <summary>destination = direction / ‖direction‖ · radius (norm computed in double).</summary>
    private static void ScaleTo<T>(ReadOnlySpan<T> direction, T radius, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double squares = 0;
        foreach (T v in direction)
        {
            squares += double.CreateChecked(v) * double.CreateChecked(v);
        }
        double factor = double.CreateChecked(radius) / Math.Sqrt(squares);
        for (int k = 0; k < direction.Length; k++)
        {
            destination[k] = T.CreateChecked(double.CreateChecked(direction[k]) * factor);
        }
    }
}
