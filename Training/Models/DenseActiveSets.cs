using Kernels.Activations;
using Kernels.Blas;

namespace Kernels.Training.Models;

/// <summary>
/// Finds every active set Q_i = { r : ⟨w_r, x_i⟩ ≥ b } by brute force: all m·n inner products with
/// <see cref="ThresholdProducts.CompressGreaterOrEqual"/>, which reads W once and keeps only the products ≥ b. What
/// dense Gauss-Newton pays every iteration, and how <see cref="TwoLayerShiftedRelu.Predict"/> and
/// <see cref="ShiftedReluJacobian"/> find their active sets.
/// </summary>
/// <remarks>
/// Each product is the fused chain s = fma(w[k], x[k], s) over k = 0 … d − 1, the bits the threshold forest's
/// leaves hold too (it computes them with <see cref="ThresholdProducts.All(ReadOnlyMatrixView{float}, ReadOnlyMatrixView{float}, MatrixView{float}, Kernels.Blas.BlasOptions?)"/>), so the dense and sublinear trainers
/// see the same active sets and values.
/// </remarks>
internal static class DenseActiveSets
{
    /// <summary>The scratch a refresh takes (from the array pool): the n points packed transposed, padded to whole vectors.</summary>
    public static long Bytes(int points, int dimension) => (long)(points + 15) * dimension * sizeof(float);

    /// <summary>Replaces <paramref name="sets"/> with the active sets of <paramref name="inputs"/> under <paramref name="weights"/> and shift b.</summary>
    public static void Refresh(ReadOnlyMatrixView<float> weights, ReadOnlyMatrixView<float> inputs, float shift, ActiveSets sets, BlasOptions? options) =>
        ThresholdProducts.CompressGreaterOrEqual(weights, inputs, shift, sets, options);
}
