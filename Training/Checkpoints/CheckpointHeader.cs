using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Kernels.Training.Checkpoints;

/// <summary>
/// The JSON header of a checkpoint file: writing it, and parsing and checking it.
/// </summary>
/// <remarks>
/// The header is safetensors' (<c>{"__metadata__": {…}, "name": {"dtype", "shape", "data_offsets"}, …}</c>, padded
/// with spaces to a multiple of 8 bytes). Our <c>__metadata__</c> holds <c>format</c>, <c>format_version</c>,
/// <c>model_kind</c>, <c>seed</c>, one <c>hp.NAME</c> key per hyperparameter, and <c>checksum</c>: 16 lowercase hex
/// digits of XxHash64 over the whole file with those digits written as zeros (see <see cref="CheckpointFile"/>).
/// </remarks>
internal static class CheckpointHeader
{
    /// <summary>The safetensors key of the string-to-string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest header accepted, as in the safetensors reference implementation.</summary>
    public const int MaxBytes = 100_000_000;

    /// <summary>The checksum's length in hex digits.</summary>
    public const int ChecksumDigits = 16;

    private const string FormatKey = "format", FormatName = "kernels-checkpoint", VersionKey = "format_version",
        KindKey = "model_kind", SeedKey = "seed", ChecksumKey = "checksum", HyperparameterPrefix = "hp.";

    private const string DTypeKey = "dtype", ShapeKey = "shape", OffsetsKey = "data_offsets";

    /// <summary>
    /// The header of <paramref name="checkpoint"/>, space-padded to a multiple of 8 bytes, with the checksum written
    /// as zeros at <paramref name="checksumOffset"/>; tensors get offsets in name order.
    /// </summary>
    /// <exception cref="ArgumentException">The header would exceed <see cref="MaxBytes"/>.</exception>
    public static byte[] Write(Checkpoint checkpoint, out int checksumOffset)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            json.WriteString(FormatKey, FormatName);
            json.WriteString(VersionKey, Checkpoint.FormatVersion.ToString(CultureInfo.InvariantCulture));
            json.WriteString(KindKey, checkpoint.ModelKind);
            json.WriteString(SeedKey, checkpoint.Seed.ToString(CultureInfo.InvariantCulture));
            foreach ((string name, string value) in checkpoint.Hyperparameters)
            {
                json.WriteString(HyperparameterPrefix + name, value);
            }
            json.WriteString(ChecksumKey, new string('0', ChecksumDigits));
            json.WriteEndObject();

            long offset = 0;
            foreach (CheckpointTensor tensor in checkpoint.Tensors)
            {
                long end = offset + tensor.ByteLength;
                json.WriteStartObject(tensor.Name);
                json.WriteString(DTypeKey, tensor.DType.ToString());
                json.WriteStartArray(ShapeKey);
                foreach (long dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }
                json.WriteEndArray();
                json.WriteStartArray(OffsetsKey);
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + 7) / 8 * 8;
        if (padded > MaxBytes)
        {
            throw new ArgumentException(
                $"The checkpoint's header would take {padded} bytes; safetensors readers accept at most {MaxBytes}. Shorten the hyperparameters or tensor names.",
                nameof(checkpoint));
        }
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        checksumOffset = FindChecksumDigits(header);
        return header;
    }

    /// <summary>
    /// Parses and checks <paramref name="header"/>: JSON, required metadata, format and version, dtypes, shapes
    /// against offsets, offsets contiguous from 0. Does not check the checksum (that needs the tensor bytes).
    /// </summary>
    /// <exception cref="InvalidDataException">Anything wrong, said in words, naming <paramref name="source"/>.</exception>
    public static CheckpointHeaderContents Parse(byte[] header, string source)
    {
        if (header[0] != (byte)'{')
        {
            throw CheckpointFile.Invalid(source, $"the header starts with byte 0x{header[0]:x2}, not '{{'; this is not a safetensors file.");
        }
        if (!Utf8.IsValid(header))
        {
            throw CheckpointFile.Invalid(source, "the header is not valid UTF-8.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw CheckpointFile.Invalid(source, $"the header is not well-formed JSON ({ex.Message}).", ex);
        }
        using (document)
        {
            try
            {
                return Interpret(document.RootElement, header, source);
            }
            catch (InvalidOperationException ex) // a string whose escapes decode to invalid UTF-16, e.g. "\ud800"
            {
                throw CheckpointFile.Invalid(source, $"the header holds a string that is not valid text ({ex.Message}).", ex);
            }
        }
    }

    /// <summary>The checks of <see cref="Parse"/> on the parsed JSON.</summary>
    private static CheckpointHeaderContents Interpret(JsonElement root, byte[] header, string source)
    {
        if (!root.TryGetProperty(MetadataKey, out JsonElement metadata) || metadata.ValueKind != JsonValueKind.Object)
        {
            throw CheckpointFile.Invalid(source, $"the header has no \"{MetadataKey}\" object; this is not a Kernels checkpoint.");
        }
        OrderedDictionary<string, string> values = ReadMetadata(metadata, source);
        string format = Required(values, FormatKey, source);
        if (format != FormatName)
        {
            throw CheckpointFile.Invalid(source, $"metadata \"{FormatKey}\" is \"{format}\", not \"{FormatName}\"; this is not a Kernels checkpoint.");
        }
        string version = Required(values, VersionKey, source);
        if (version != Checkpoint.FormatVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw CheckpointFile.Invalid(source, $"format_version is \"{version}\"; this library reads version {Checkpoint.FormatVersion} only.");
        }
        string kind = Required(values, KindKey, source);
        if (kind.Length == 0)
        {
            throw CheckpointFile.Invalid(source, "model_kind is empty.");
        }
        string seedText = Required(values, SeedKey, source);
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed)
            || seed.ToString(CultureInfo.InvariantCulture) != seedText)
        {
            throw CheckpointFile.Invalid(source, $"seed \"{seedText}\" is not an unsigned 64-bit integer in canonical decimal form.");
        }
        string checksum = Required(values, ChecksumKey, source);
        int checksumOffset = FindChecksumDigits(header);
        if (checksumOffset < 0 || !IsLowercaseHex(checksum))
        {
            throw CheckpointFile.Invalid(source, $"checksum \"{checksum}\" is not {ChecksumDigits} lowercase hex digits written without escapes.");
        }

        var hyperparameters = new List<KeyValuePair<string, string>>();
        foreach ((string key, string value) in values)
        {
            if (key is FormatKey or VersionKey or KindKey or SeedKey or ChecksumKey)
            {
                continue;
            }
            if (!key.StartsWith(HyperparameterPrefix, StringComparison.Ordinal) || key.Length == HyperparameterPrefix.Length)
            {
                throw CheckpointFile.Invalid(source, $"unknown metadata key \"{key}\" (hyperparameters are \"{HyperparameterPrefix}NAME\").");
            }
            hyperparameters.Add(new(key[HyperparameterPrefix.Length..], value));
        }

        CheckpointTensorEntry[] tensors = ReadTensors(root, source, out long dataBytes);
        return new CheckpointHeaderContents(kind, seed, [.. hyperparameters], tensors, dataBytes, checksum, checksumOffset);
    }

    /// <summary>
    /// Where the hex digits of <c>__metadata__.checksum</c> start in <paramref name="header"/>, or −1 if that value
    /// is not a plain (unescaped) string of <see cref="ChecksumDigits"/> bytes. The header must be well-formed JSON.
    /// </summary>
    private static int FindChecksumDigits(ReadOnlySpan<byte> header)
    {
        var reader = new Utf8JsonReader(header);
        reader.Read(); // the root object
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isMetadata = reader.ValueTextEquals(MetadataKey);
            reader.Read();
            if (!isMetadata || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isChecksum = reader.ValueTextEquals(ChecksumKey);
                reader.Read();
                if (isChecksum)
                {
                    bool plain = reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.Length == ChecksumDigits;
                    return plain ? checked((int)reader.TokenStartIndex + 1) : -1;
                }
                reader.Skip();
            }
            return -1;
        }
        return -1;
    }

    /// <summary>The metadata in header order, which is the hyperparameters' order.</summary>
    private static OrderedDictionary<string, string> ReadMetadata(JsonElement metadata, string source)
    {
        var values = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in metadata.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw CheckpointFile.Invalid(source, $"metadata \"{property.Name}\" is a JSON {property.Value.ValueKind}; safetensors metadata values are strings.");
            }
            values.Add(property.Name, property.Value.GetString()!);
        }
        return values;
    }

    private static string Required(OrderedDictionary<string, string> values, string key, string source) =>
        values.TryGetValue(key, out string? value)
            ? value
            : throw CheckpointFile.Invalid(source, $"the metadata has no \"{key}\" entry.");

    private static bool IsLowercaseHex(string text) =>
        text.Length == ChecksumDigits && text.All(static c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static CheckpointTensorEntry[] ReadTensors(JsonElement root, string source, out long dataBytes)
    {
        var tensors = new List<CheckpointTensorEntry>();
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (property.Name == MetadataKey)
            {
                continue;
            }
            tensors.Add(ReadTensor(property.Name, property.Value, source));
        }
        tensors.Sort(static (a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));

        dataBytes = 0;
        foreach (CheckpointTensorEntry tensor in tensors)
        {
            if (tensor.Begin != dataBytes)
            {
                string problem = tensor.Begin < dataBytes ? "overlaps the tensor before it" : "leaves a gap after the tensor before it";
                throw CheckpointFile.Invalid(source, $"tensor \"{tensor.Name}\" starts at data byte {tensor.Begin}, which {problem} (which ends at {dataBytes}).");
            }
            dataBytes = tensor.End;
        }
        return [.. tensors];
    }

    private static CheckpointTensorEntry ReadTensor(string name, JsonElement entry, string source)
    {
        if (name.Length == 0)
        {
            throw CheckpointFile.Invalid(source, "a tensor has an empty name.");
        }
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw CheckpointFile.Invalid(source, $"tensor \"{name}\" is a JSON {entry.ValueKind}, not an object.");
        }
        foreach (JsonProperty property in entry.EnumerateObject())
        {
            if (property.Name is not (DTypeKey or ShapeKey or OffsetsKey))
            {
                throw CheckpointFile.Invalid(source, $"tensor \"{name}\" has an unknown entry \"{property.Name}\".");
            }
        }
        if (!entry.TryGetProperty(DTypeKey, out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw CheckpointFile.Invalid(source, $"tensor \"{name}\" has no \"{DTypeKey}\" string.");
        }
        string dtypeText = dtypeElement.GetString()!;
        CheckpointDType dtype = dtypeText switch
        {
            nameof(CheckpointDType.F32) => CheckpointDType.F32,
            nameof(CheckpointDType.F64) => CheckpointDType.F64,
            _ => throw CheckpointFile.Invalid(source, $"tensor \"{name}\" has dtype \"{dtypeText}\"; this library reads F32 and F64."),
        };
        long[] shape = ReadIntegers(entry, ShapeKey, name, source);
        long[] offsets = ReadIntegers(entry, OffsetsKey, name, source);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw CheckpointFile.Invalid(source, $"tensor \"{name}\" has data_offsets [{string.Join(", ", offsets)}]; expected [begin, end] with begin ≤ end.");
        }
        long elements = CheckpointTensor.ElementCount(shape);
        int elementBytes = dtype == CheckpointDType.F32 ? sizeof(float) : sizeof(double);
        if (elements > Array.MaxLength)
        {
            throw CheckpointFile.Invalid(source, $"tensor \"{name}\" has shape [{string.Join(", ", shape)}], more than the {Array.MaxLength} elements an array can hold.");
        }
        if (offsets[1] - offsets[0] != elements * elementBytes)
        {
            throw CheckpointFile.Invalid(source,
                $"tensor \"{name}\" ({dtypeText}, shape [{string.Join(", ", shape)}]) needs {elements * elementBytes} bytes, but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}.");
        }
        return new CheckpointTensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    /// <summary>The array <paramref name="key"/> of <paramref name="entry"/>, whose elements must be non-negative 64-bit integers.</summary>
    private static long[] ReadIntegers(JsonElement entry, string key, string name, string source)
    {
        if (!entry.TryGetProperty(key, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw CheckpointFile.Invalid(source, $"tensor \"{name}\" has no \"{key}\" array.");
        }
        long[] values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long value) || value < 0)
            {
                throw CheckpointFile.Invalid(source, $"tensor \"{name}\": {key}[{i}] is {element.GetRawText()}, not a non-negative integer.");
            }
            values[i++] = value;
        }
        return values;
    }
}
