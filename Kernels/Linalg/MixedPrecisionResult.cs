namespace Kernels.Linalg;

/// <summary>The outcome of <see cref="MixedPrecisionCholesky.TrySolve"/>. The solution itself is in the caller's X.</summary>
/// <param name="Outcome">Converged, or why the caller must fall back to a double factorization.</param>
/// <param name="Steps">Refinement steps taken after the first float solve (residuals computed in double).</param>
/// <param name="BackwardError">The last max over columns of ‖b − A·x‖∞ / (‖A‖∞·‖x‖∞); NaN when the float factorization failed.</param>
public readonly record struct MixedPrecisionResult(MixedPrecisionOutcome Outcome, int Steps, double BackwardError);
