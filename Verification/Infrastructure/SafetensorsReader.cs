using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Kernels.Verification.Infrastructure;

/// <summary>
/// A plain safetensors reader written from the format's specification alone (not from the library's code), to show
/// that other tools can read our checkpoints: u64 little-endian header size N, N bytes of UTF-8 JSON starting with
/// '{' (trailing spaces allowed), then a byte buffer that the tensors' <c>data_offsets</c> index entirely, without holes.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>One tensor as a safetensors reader sees it; elements decoded to double.</summary>
    public sealed record Tensor(string DType, long[] Shape, long Begin, long End, double[] Values, ulong[] Bits);

    /// <summary>The header size, the string metadata and the tensors of <paramref name="file"/>; asserts the layout rules.</summary>
    public static (long HeaderSize, Dictionary<string, string> Metadata, Dictionary<string, Tensor> Tensors) Read(byte[] file)
    {
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.True(8 + n <= file.Length, "header size beyond the file");
        byte[] header = file[8..(int)(8 + n)];
        Assert.Equal((byte)'{', header[0]);
        string text = Encoding.UTF8.GetString(header);
        int close = text.LastIndexOf('}');
        Assert.True(text[(close + 1)..].All(c => c == ' '), "header padding is not spaces");

        var metadata = new Dictionary<string, string>();
        var tensors = new Dictionary<string, Tensor>();
        byte[] buffer = file[(int)(8 + n)..];
        using JsonDocument document = JsonDocument.Parse(text);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (JsonProperty entry in property.Value.EnumerateObject())
                {
                    metadata.Add(entry.Name, entry.Value.GetString()!);
                }
                continue;
            }
            string dtype = property.Value.GetProperty("dtype").GetString()!;
            long[] shape = [.. property.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())];
            long[] offsets = [.. property.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64())];
            Assert.Equal(2, offsets.Length);
            int size = dtype switch { "F32" => 4, "F64" => 8, _ => throw new InvalidOperationException(dtype) };
            long count = shape.Aggregate(1L, (a, b) => a * b);
            Assert.Equal(count * size, offsets[1] - offsets[0]);
            var values = new double[count];
            var bits = new ulong[count];
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> bytes = buffer.AsSpan((int)offsets[0] + i * size, size);
                if (size == 4)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes);
                    bits[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
                }
                else
                {
                    values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes);
                    bits[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                }
            }
            tensors.Add(property.Name, new Tensor(dtype, shape, offsets[0], offsets[1], values, bits));
        }

        // The buffer is indexed entirely, without holes or overlaps.
        long covered = 0;
        foreach (Tensor tensor in tensors.Values.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            Assert.Equal(covered, tensor.Begin);
            covered = tensor.End;
        }
        Assert.Equal(buffer.Length, covered);
        return (n, metadata, tensors);
    }
}
