using System.Numerics;
using System.Runtime.InteropServices;

namespace Kernels.Training.Checkpoints;

/// <summary>
/// One named tensor of a <see cref="Checkpoint"/>: a dtype, a shape (row-major, as in safetensors) and the elements.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Create{T}"/> wraps the caller's memory without copying it, so saving a large weight matrix does not
/// need a second copy of it; the caller must not change that memory while the checkpoint is being saved.
/// Tensors returned by <see cref="CheckpointFile.Load(string, string?)"/> own fresh arrays.
/// </para>
/// <para>
/// Non-finite elements (NaN, ±∞) are allowed: the format stores any bit pattern and round-trips it exactly,
/// NaN payloads included. Whether such a value is acceptable is for the model that reads the tensor to decide.
/// </para>
/// </remarks>
public sealed class CheckpointTensor
{
    private readonly long[] shape;
    private readonly ReadOnlyMemory<float> singles;
    private readonly ReadOnlyMemory<double> doubles;

    private CheckpointTensor(string name, long[] shape, ReadOnlyMemory<float> singles, ReadOnlyMemory<double> doubles, CheckpointDType dtype)
    {
        Name = name;
        this.shape = shape;
        this.singles = singles;
        this.doubles = doubles;
        DType = dtype;
    }

    /// <summary>The tensor's name: unique within its checkpoint, not empty, and not <c>__metadata__</c>.</summary>
    public string Name { get; }

    /// <summary>The element type: <see cref="CheckpointDType.F32"/> for <see cref="float"/>, <see cref="CheckpointDType.F64"/> for <see cref="double"/>.</summary>
    public CheckpointDType DType { get; }

    /// <summary>The dimensions, outermost first; empty for a scalar. Their product is <see cref="Length"/>.</summary>
    public ReadOnlySpan<long> Shape => shape;

    /// <summary>The number of elements.</summary>
    public int Length => DType == CheckpointDType.F32 ? singles.Length : doubles.Length;

    /// <summary>The size of one element in bytes.</summary>
    internal int ElementBytes => DType == CheckpointDType.F32 ? sizeof(float) : sizeof(double);

    /// <summary>The size of all elements in bytes (may exceed <see cref="int.MaxValue"/>).</summary>
    internal long ByteLength => (long)Length * ElementBytes;

    /// <summary>Elements <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 as bytes, as on the host (little-endian).</summary>
    internal ReadOnlySpan<byte> Bytes(int start, int count) => DType == CheckpointDType.F32
        ? MemoryMarshal.AsBytes(singles.Span.Slice(start, count))
        : MemoryMarshal.AsBytes(doubles.Span.Slice(start, count));

    /// <summary>
    /// A tensor named <paramref name="name"/> of the given <paramref name="shape"/> over <paramref name="data"/>
    /// (row-major), which is wrapped, not copied.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> (stored as F32) or <see cref="double"/> (F64); other types throw <see cref="NotSupportedException"/>.</typeparam>
    /// <param name="name">Not empty, not <c>__metadata__</c> (the safetensors metadata key), valid UTF-16.</param>
    /// <param name="shape">Non-negative dimensions whose product is <c>data.Length</c>; empty for a scalar (one element). Copied.</param>
    /// <param name="data">The elements; any values, non-finite ones included.</param>
    /// <exception cref="ArgumentException">A bad name, a negative dimension, or a shape whose product is not <c>data.Length</c>.</exception>
    public static CheckpointTensor Create<T>(string name, ReadOnlySpan<long> shape, ReadOnlyMemory<T> data)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckpointDType dtype = typeof(T) == typeof(float) ? CheckpointDType.F32
            : typeof(T) == typeof(double) ? CheckpointDType.F64
            : throw new NotSupportedException($"Checkpoint tensors hold float (F32) or double (F64), not {typeof(T).Name}.");
        CheckpointText.Require(name, nameof(name), "tensor name");
        if (name == CheckpointHeader.MetadataKey)
        {
            throw new ArgumentException($"The tensor name \"{CheckpointHeader.MetadataKey}\" is reserved for the safetensors metadata.", nameof(name));
        }
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw new ArgumentException($"Tensor \"{name}\": dimension {i} is {shape[i]}; dimensions must be non-negative.", nameof(shape));
            }
        }
        long elements = ElementCount(shape);
        if (elements != data.Length)
        {
            throw new ArgumentException(
                $"Tensor \"{name}\": shape [{string.Join(", ", shape.ToArray())}] holds {(elements > Array.MaxLength ? "too many" : elements)} elements, but data has {data.Length}.",
                nameof(data));
        }
        return dtype == CheckpointDType.F32
            ? new CheckpointTensor(name, shape.ToArray(), (ReadOnlyMemory<float>)(object)data, default, dtype)
            : new CheckpointTensor(name, shape.ToArray(), default, (ReadOnlyMemory<double>)(object)data, dtype);
    }

    /// <summary>
    /// The product of non-negative <paramref name="shape"/> dimensions (1 for a scalar), or a value above
    /// <see cref="Array.MaxLength"/> when the product exceeds it; never overflows.
    /// </summary>
    internal static long ElementCount(ReadOnlySpan<long> shape)
    {
        const long TooMany = (long)int.MaxValue + 1;
        long elements = 1;
        foreach (long dimension in shape)
        {
            if (dimension == 0)
            {
                return 0;
            }
            // Both factors are at most 2^63, so the Int128 product cannot overflow; clamp it back to the long range.
            elements = (long)Int128.Min((Int128)elements * dimension, TooMany);
        }
        return elements;
    }

    /// <summary>The elements in row-major order.</summary>
    /// <typeparam name="T">The element type matching <see cref="DType"/>.</typeparam>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> does not match <see cref="DType"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public ReadOnlyMemory<T> GetData<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"Checkpoint tensors hold float (F32) or double (F64), not {typeof(T).Name}.");
        }
        if (typeof(T) == typeof(float) && DType == CheckpointDType.F32)
        {
            return (ReadOnlyMemory<T>)(object)singles;
        }
        if (typeof(T) == typeof(double) && DType == CheckpointDType.F64)
        {
            return (ReadOnlyMemory<T>)(object)doubles;
        }
        throw new InvalidOperationException($"Tensor \"{Name}\" holds {DType} elements; they cannot be read as {typeof(T).Name}.");
    }
}
