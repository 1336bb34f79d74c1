namespace Kernels.Testing;

/// <summary>
/// A generated tall matrix (<see cref="Rows"/> ≥ <see cref="Columns"/>) with singular values spaced evenly in logarithm
/// from 1 to 10^−<see cref="LogCondition"/>, so its condition number is 10^<see cref="LogCondition"/>.
/// </summary>
public sealed record TallCase(int Rows, int Columns, int LogCondition, int Seed)
{
    /// <summary>The condition number κ = σmax / σmin.</summary>
    public double Condition => Math.Pow(10, LogCondition);

    /// <summary>The matrix U·diag(σ)·Vᵀ, dense and row-major, in double.</summary>
    public double[] Matrix() => TestMatrices.WithSingularValues(Rows, Columns, TestMatrices.LogSpaced(Columns, Condition), Seed);

    /// <summary>The case with its condition number capped at 10^<paramref name="maxLogCondition"/>.</summary>
    public TallCase Capped(int maxLogCondition) => this with { LogCondition = Math.Min(LogCondition, maxLogCondition) };

    /// <inheritdoc/>
    public override string ToString() => $"TallCase({Rows}×{Columns}, κ=1e{LogCondition}, seed={Seed})";
}
