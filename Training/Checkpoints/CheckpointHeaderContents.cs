namespace Kernels.Training.Checkpoints;

/// <summary>One tensor's entry in the header: where its little-endian bytes lie in the data section.</summary>
internal readonly record struct CheckpointTensorEntry(string Name, CheckpointDType DType, long[] Shape, long Begin, long End);

/// <summary>
/// A header that passed every check that needs no tensor bytes. Its tensors are sorted by
/// <see cref="CheckpointTensorEntry.Begin"/> and contiguous from 0 to <c>DataBytes</c>; <c>ChecksumOffset</c> is where
/// the checksum's 16 hex digits start in the header bytes.
/// </summary>
internal sealed record CheckpointHeaderContents(
    string ModelKind,
    ulong Seed,
    KeyValuePair<string, string>[] Hyperparameters,
    CheckpointTensorEntry[] Tensors,
    long DataBytes,
    string Checksum,
    int ChecksumOffset);
