namespace Kernels.Training.Checkpoints;

/// <summary>
/// The element type of a <see cref="CheckpointTensor"/>, named as in the safetensors header (<c>"F32"</c>, <c>"F64"</c>).
/// </summary>
public enum CheckpointDType
{
    /// <summary>IEEE 754 binary32 (<see cref="float"/>), 4 bytes little-endian.</summary>
    F32,

    /// <summary>IEEE 754 binary64 (<see cref="double"/>), 8 bytes little-endian.</summary>
    F64,
}
