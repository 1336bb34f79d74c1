using System.Runtime.Intrinsics;
using Kernels.Simd;

namespace Kernels.Training.Models;

/// <summary>
/// Inverted dropout in one pass over the rectified activations and the step's uniform draws u ∈ [0, 1): a unit is kept
/// when u &lt; p and then scaled by 1/p, else it is 0. The draws stay in the workspace, so the backward pass recomputes
/// the same mask (<see cref="DropoutReluBackwardOperator"/>) instead of storing a second array of 0 and 1/p.
/// </summary>
internal readonly struct DropoutOperator(float keep) : IBinaryOperator<float>
{
    private readonly float _scale = 1f / keep;

    public float Invoke(float h, float u) => u < keep ? h * _scale : 0f;

    public Vector128<float> Invoke(Vector128<float> h, Vector128<float> u) =>
        Vector128.ConditionalSelect(Vector128.LessThan(u, Vector128.Create(keep)), h * _scale, Vector128<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> h, Vector256<float> u) =>
        Vector256.ConditionalSelect(Vector256.LessThan(u, Vector256.Create(keep)), h * _scale, Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> h, Vector512<float> u) =>
        Vector512.ConditionalSelect(Vector512.LessThan(u, Vector512.Create(keep)), h * _scale, Vector512<float>.Zero);
}

/// <summary>
/// The gradient through ReLU and dropout in one pass: dZ = dH/p where the unit was active (its rectified output r &gt; 0)
/// and kept (u &lt; p), else +0. A unit whose pre-activation was exactly 0 counts as inactive, as in PyTorch's ReLU.
/// </summary>
internal readonly struct DropoutReluBackwardOperator(float keep) : ITernaryOperator<float>
{
    private readonly float _scale = 1f / keep;

    public float Invoke(float r, float dh, float u) => r > 0f && u < keep ? dh * _scale : 0f;

    public Vector128<float> Invoke(Vector128<float> r, Vector128<float> dh, Vector128<float> u) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(r, Vector128<float>.Zero) & Vector128.LessThan(u, Vector128.Create(keep)), dh * _scale, Vector128<float>.Zero);

    public Vector256<float> Invoke(Vector256<float> r, Vector256<float> dh, Vector256<float> u) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(r, Vector256<float>.Zero) & Vector256.LessThan(u, Vector256.Create(keep)), dh * _scale, Vector256<float>.Zero);

    public Vector512<float> Invoke(Vector512<float> r, Vector512<float> dh, Vector512<float> u) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(r, Vector512<float>.Zero) & Vector512.LessThan(u, Vector512.Create(keep)), dh * _scale, Vector512<float>.Zero);
}
