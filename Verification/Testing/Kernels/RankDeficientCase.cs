namespace Kernels.Testing;

/// <summary>
/// A generated rank-deficient matrix: <see cref="Rows"/> × <see cref="Columns"/> of rank <see cref="Rank"/>, with its
/// nonzero singular values spaced evenly in logarithm from 1 to 10^−<see cref="LogCondition"/>
/// (<see cref="TestMatrices.RankDeficient"/>).
/// </summary>
public sealed record RankDeficientCase(int Rows, int Columns, int Rank, int LogCondition, int Seed)
{
    /// <summary>The condition number σmax / σr of the nonzero part.</summary>
    public double Condition => Math.Pow(10, LogCondition);

    /// <summary>The matrix, dense and row-major, in double.</summary>
    public double[] Matrix() => TestMatrices.RankDeficient(Rows, Columns, Rank, Condition, Seed);

    /// <inheritdoc/>
    public override string ToString() => $"RankDeficientCase({Rows}×{Columns}, rank {Rank}, κ=1e{LogCondition}, seed={Seed})";
}
