using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Kernels.Training.Checkpoints;

/// <summary>
/// Writes and reads <see cref="Checkpoint"/>s in the safetensors layout, so that other tools can read the weights:
/// an 8-byte little-endian header length N, N bytes of UTF-8 JSON header, then the raw little-endian tensor bytes.
/// </summary>
/// <remarks>
/// <para>
/// The header is <c>{"__metadata__": {…}, "NAME": {"dtype": "F32", "shape": […], "data_offsets": [begin, end]}, …}</c>,
/// padded with spaces so that N is a multiple of 8 (the tensor data then starts 8-byte aligned). Tensors are stored in
/// name order (ordinal), contiguous. <c>__metadata__</c> holds <c>format</c> = <c>"kernels-checkpoint"</c>,
/// <c>format_version</c> (<see cref="Checkpoint.FormatVersion"/>), <c>model_kind</c>, <c>seed</c> (decimal),
/// <c>hp.NAME</c> for each hyperparameter, and <c>checksum</c>.
/// </para>
/// <para>
/// The checksum is XxHash64 (seed 0) of the whole file — length field, header and tensor bytes — with the checksum's
/// own 16 lowercase hex digits written as <c>0</c>s. It covers every byte but those digits, which must match it
/// exactly, so any change to a file (a flipped byte in the data, the metadata, the JSON syntax or the padding) is
/// rejected, except with probability about 2⁻⁶⁴.
/// </para>
/// <para>
/// Non-finite tensor elements are stored and restored bit for bit; the format does not judge them, the model does.
/// </para>
/// </remarks>
public static class CheckpointFile
{
    // Tensors move in slices of this many elements: a span of bytes is limited to 2³¹ − 1, a weight matrix is not.
    private const int ChunkElements = 1 << 18;

    private const int LengthBytes = sizeof(ulong);

    /// <summary>
    /// Writes <paramref name="checkpoint"/> to <paramref name="path"/> atomically: to a temporary file in the same
    /// folder, flushed to disk, then renamed over <paramref name="path"/>. If anything fails, the temporary file is
    /// deleted and an existing file at <paramref name="path"/> is left as it was.
    /// </summary>
    /// <remarks>
    /// A reader sees the old file or the new one, never a partial one. The folder itself is not flushed (.NET has no
    /// call for it), so after a power loss right after saving the folder may still name the old file.
    /// </remarks>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="checkpoint">The state to save.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file, or the header would exceed safetensors' 100 MB limit.</exception>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    /// <exception cref="IOException">The folder does not exist, the disk is full, or the rename failed.</exception>
    public static void Save(string path, Checkpoint checkpoint) => Save(path, checkpoint, static stream => stream);

    /// <summary>
    /// <see cref="Save(string, Checkpoint)"/>, writing through <paramref name="interpose"/>(the temporary file's
    /// stream): tests use it to make the write fail midway.
    /// </summary>
    internal static void Save(string path, Checkpoint checkpoint, Func<Stream, Stream> interpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(checkpoint);
        string fullPath = Path.GetFullPath(path);
        string fileName = Path.GetFileName(fullPath);
        string? folder = Path.GetDirectoryName(fullPath);
        if (fileName.Length == 0 || folder is null)
        {
            throw new ArgumentException($"The path \"{path}\" names a folder, not a file.", nameof(path));
        }
        byte[] header = HeaderWithChecksum(checkpoint);

        string temporary = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Write(interpose(file), header, checkpoint);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            if (File.Exists(temporary)) // File.Delete would throw, hiding the real error, if the folder does not exist
            {
                File.Delete(temporary);
            }
            throw;
        }
    }

    /// <summary>
    /// Writes <paramref name="checkpoint"/> to <paramref name="stream"/> at its position (not atomically: prefer
    /// <see cref="Save(string, Checkpoint)"/> for files).
    /// </summary>
    /// <param name="stream">A writable stream; left open.</param>
    /// <param name="checkpoint">The state to save.</param>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not writable, or the header would exceed safetensors' 100 MB limit.</exception>
    /// <exception cref="ArgumentNullException">A null argument.</exception>
    public static void Save(Stream stream, Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }
        Write(stream, HeaderWithChecksum(checkpoint), checkpoint);
    }

    /// <summary>
    /// Reads the checkpoint in <paramref name="path"/> and verifies all of it: the header length against the file
    /// length, the JSON, the required metadata, the format and its version, the dtypes, the shapes against the data
    /// offsets, the offsets (contiguous, covering the data exactly, no trailing bytes), the checksum, and, if given,
    /// the model kind.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="expectedModelKind">If not null, the model kind the file must hold.</param>
    /// <returns>The checkpoint; its tensors own fresh arrays.</returns>
    /// <exception cref="InvalidDataException">Anything wrong with the file: the message names the file and says what.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="expectedModelKind"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="IOException">The file cannot be opened or read (for example <see cref="FileNotFoundException"/>).</exception>
    public static Checkpoint Load(string path, string? expectedModelKind = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        RequireKind(expectedModelKind);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Read(file, file.Name, expectedModelKind);
    }

    /// <summary>
    /// Reads and verifies a checkpoint from <paramref name="stream"/>, from its position to its end, as
    /// <see cref="Load(string, string?)"/> does. A seekable stream has its lengths checked before anything large is
    /// allocated; other streams are read until the data ends and must end there.
    /// </summary>
    /// <param name="stream">A readable stream; left open. Messages name it by its file name if it is a <see cref="FileStream"/>.</param>
    /// <param name="expectedModelKind">If not null, the model kind the checkpoint must hold.</param>
    /// <returns>The checkpoint; its tensors own fresh arrays.</returns>
    /// <exception cref="InvalidDataException">Anything wrong with the data, said in words.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable, or <paramref name="expectedModelKind"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static Checkpoint Load(Stream stream, string? expectedModelKind = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }
        RequireKind(expectedModelKind);
        return Read(stream, stream is FileStream file ? file.Name : "(stream)", expectedModelKind);
    }

    /// <summary>The exception for a bad checkpoint: names <paramref name="source"/> and says what is wrong.</summary>
    internal static InvalidDataException Invalid(string source, string problem, Exception? inner = null) =>
        new($"Checkpoint \"{source}\": {problem}", inner);

    private static void RequireKind(string? expectedModelKind)
    {
        if (expectedModelKind is { Length: 0 })
        {
            throw new ArgumentException("The expected model kind must be null (any kind) or not empty.", nameof(expectedModelKind));
        }
    }

    /// <summary>The header of <paramref name="checkpoint"/> with its checksum filled in.</summary>
    private static byte[] HeaderWithChecksum(Checkpoint checkpoint)
    {
        byte[] header = CheckpointHeader.Write(checkpoint, out int checksumOffset);
        var hash = new XxHash64();
        Span<byte> length = stackalloc byte[LengthBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        hash.Append(length);
        hash.Append(header);
        foreach (CheckpointTensor tensor in checkpoint.Tensors)
        {
            for (int start = 0; start < tensor.Length; start += ChunkElements)
            {
                hash.Append(tensor.Bytes(start, Math.Min(ChunkElements, tensor.Length - start)));
            }
        }
        Encoding.ASCII.GetBytes(Hex(hash), header.AsSpan(checksumOffset, CheckpointHeader.ChecksumDigits));
        return header;
    }

    private static string Hex(XxHash64 hash) => hash.GetCurrentHashAsUInt64().ToString("x16");

    private static void Write(Stream stream, byte[] header, Checkpoint checkpoint)
    {
        Span<byte> length = stackalloc byte[LengthBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach (CheckpointTensor tensor in checkpoint.Tensors)
        {
            for (int start = 0; start < tensor.Length; start += ChunkElements)
            {
                stream.Write(tensor.Bytes(start, Math.Min(ChunkElements, tensor.Length - start)));
            }
        }
        stream.Flush();
    }

    private static Checkpoint Read(Stream stream, string source, string? expectedModelKind)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints map tensor bytes directly and need a little-endian host.");
        }
        long? available = stream.CanSeek ? stream.Length - stream.Position : null;

        Span<byte> length = stackalloc byte[LengthBytes];
        int got = stream.ReadAtLeast(length, LengthBytes, throwOnEndOfStream: false);
        if (got < LengthBytes)
        {
            throw Invalid(source, $"it is {got} bytes long, too short for the {LengthBytes}-byte header length: the file is truncated.");
        }
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(length);
        if (headerLength < 2 || headerLength > CheckpointHeader.MaxBytes)
        {
            throw Invalid(source, $"the header length field says {headerLength} bytes; a header takes 2 to {CheckpointHeader.MaxBytes} bytes.");
        }
        if (available - LengthBytes < (long)headerLength)
        {
            throw Invalid(source, $"the header length field says {headerLength} bytes, but only {available - LengthBytes} follow it: the file is truncated or corrupt.");
        }
        byte[] header = new byte[headerLength];
        ReadExactly(stream, header, source, "the header");
        CheckpointHeaderContents contents = CheckpointHeader.Parse(header, source);

        long expected = LengthBytes + header.Length + contents.DataBytes;
        if (available is long total && total != expected)
        {
            throw Invalid(source, total < expected
                ? $"it has {total} bytes, but its header describes {expected}: the file is truncated."
                : $"it has {total - expected} bytes after the last tensor's data; the header describes {expected} bytes in all.");
        }

        var hash = new XxHash64();
        hash.Append(length);
        header.AsSpan(contents.ChecksumOffset, CheckpointHeader.ChecksumDigits).Fill((byte)'0');
        hash.Append(header);
        var tensors = new CheckpointTensor[contents.Tensors.Length];
        for (int i = 0; i < tensors.Length; i++)
        {
            CheckpointTensorEntry entry = contents.Tensors[i];
            tensors[i] = entry.DType == CheckpointDType.F32
                ? ReadTensor<float>(stream, entry, hash, source)
                : ReadTensor<double>(stream, entry, hash, source);
        }
        if (available is null && stream.ReadByte() >= 0)
        {
            throw Invalid(source, $"it has bytes after the last tensor's data; the header describes {expected} bytes in all.");
        }

        string actual = Hex(hash);
        if (actual != contents.Checksum)
        {
            throw Invalid(source, $"the checksum does not match: the file records {contents.Checksum}, its contents hash to {actual}. The file is corrupt.");
        }
        if (expectedModelKind is not null && contents.ModelKind != expectedModelKind)
        {
            throw Invalid(source, $"it holds a \"{contents.ModelKind}\" model, not the expected \"{expectedModelKind}\".");
        }
        try
        {
            return new Checkpoint(contents.ModelKind, contents.Seed, contents.Hyperparameters, tensors);
        }
        catch (ArgumentException ex)
        {
            throw Invalid(source, ex.Message, ex);
        }
    }

    private static CheckpointTensor ReadTensor<T>(Stream stream, CheckpointTensorEntry entry, XxHash64 hash, string source)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = new T[checked((int)CheckpointTensor.ElementCount(entry.Shape))];
        for (int start = 0; start < data.Length; start += ChunkElements)
        {
            Span<byte> bytes = MemoryMarshal.AsBytes(data.AsSpan(start, Math.Min(ChunkElements, data.Length - start)));
            ReadExactly(stream, bytes, source, $"tensor \"{entry.Name}\"");
            hash.Append(bytes);
        }
        return CheckpointTensor.Create<T>(entry.Name, entry.Shape, data);
    }

    private static void ReadExactly(Stream stream, Span<byte> destination, string source, string what)
    {
        try
        {
            stream.ReadExactly(destination);
        }
        catch (EndOfStreamException ex)
        {
            throw Invalid(source, $"the data ends inside {what}: the file is truncated.", ex);
        }
    }
}
