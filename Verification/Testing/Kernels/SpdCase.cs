namespace Kernels.Testing;

/// <summary>
/// A generated symmetric positive definite problem: an <see cref="Order"/> × <see cref="Order"/> matrix with
/// eigenvalues spaced evenly in logarithm from 1 to 10^−<see cref="LogCondition"/> (so its condition number is
/// 10^<see cref="LogCondition"/>), stored with <see cref="ExtraStride"/> spare columns per row.
/// </summary>
public sealed record SpdCase(int Order, int LogCondition, int ExtraStride, int Seed)
{
    /// <summary>The condition number κ = λmax / λmin.</summary>
    public double Condition => Math.Pow(10, LogCondition);

    /// <summary>The matrix, dense and row-major, in double.</summary>
    public double[] Matrix() => TestMatrices.SymmetricWithEigenvalues(TestMatrices.LogSpaced(Order, Condition), Seed);

    /// <summary>The case with its condition number capped at 10^<paramref name="maxLogCondition"/> (float cannot factor what double can).</summary>
    public SpdCase Capped(int maxLogCondition) => this with { LogCondition = Math.Min(LogCondition, maxLogCondition) };

    /// <inheritdoc/>
    public override string ToString() => $"SpdCase({Order}×{Order}, κ=1e{LogCondition}, stride +{ExtraStride}, seed={Seed})";
}
