namespace Kernels.Training.Data;

/// <summary>Where the labels of a synthetic regression set come from.</summary>
public enum SyntheticTarget
{
    /// <summary>A random teacher net: y = Σ_k v_k·max(⟨u_k, x⟩, 0) over 16 hidden units, u_k ~ N(0, I), v_k = ±1.</summary>
    Teacher,

    /// <summary>A smooth function of one random direction u: y = sin(3·⟨u, x⟩), u uniform on the sphere.</summary>
    Smooth,
}
