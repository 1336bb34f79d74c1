using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Kernels.Training.Data;

/// <summary>
/// Reads IDX files (LeCun's format for MNIST, also used by Fashion-MNIST), raw or gzip-compressed, and pairs an image
/// file with a label file into a <see cref="ClassificationSet"/>.
/// </summary>
/// <remarks>
/// <para>The format: two zero bytes, a type byte, a dimension count k, then k big-endian 32-bit dimensions and their
/// product of elements. Only unsigned bytes (type 0x08, what every MNIST-style file holds) are read; other types are
/// rejected with the type named.</para>
/// <para>Everything is checked before an array is returned: the magic bytes, 1 ≤ k ≤ 4, every dimension ≥ 1, the product
/// within the largest array, and the element count equal to what the file holds, neither fewer (a truncated file) nor
/// more (trailing bytes). Any fault — including a corrupt gzip stream — throws <see cref="InvalidDataException"/> naming
/// the file. A gzip file must hold one member whose trailer (CRC-32 and length) matches the data, as gzip writes it.</para>
/// </remarks>
public static class IdxFile
{
    /// <summary>The type byte of unsigned 8-bit elements.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Most dimensions accepted (images have 3, labels 1).</summary>
    public const int MaxDimensions = 4;

    /// <summary>Reads the IDX file at <paramref name="path"/>, decompressing it first when it starts with the gzip magic bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX file of unsigned bytes; the message names it.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No IDX file at \"{path}\".", path);
        }
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses IDX <paramref name="contents"/> (raw or gzip), naming <paramref name="sourceName"/> in any error.</summary>
    /// <param name="contents">The bytes of the file.</param>
    /// <param name="sourceName">The file name used in error messages.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sourceName"/> is null.</exception>
    /// <exception cref="InvalidDataException">The contents are not a valid IDX array of unsigned bytes.</exception>
    public static IdxArray Parse(ReadOnlySpan<byte> contents, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        if (contents.Length >= 2 && contents[0] == 0x1F && contents[1] == 0x8B)
        {
            byte[] inflated = Decompress(contents, sourceName);
            return ParseRaw(inflated, sourceName);
        }
        return ParseRaw(contents, sourceName);
    }

    /// <summary>
    /// Reads an image file ([n, rows, cols]) and a label file ([n]) into a set of n inputs of rows·cols pixels scaled by
    /// 1/255 to [0, 1].
    /// </summary>
    /// <param name="imagesPath">The IDX image file, raw or gzip.</param>
    /// <param name="labelsPath">The IDX label file, raw or gzip.</param>
    /// <param name="classCount">The number of classes; every label must be below it (10 for MNIST and Fashion-MNIST).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 2 or above 256.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is invalid, the image file is not three-dimensional, the label file
    /// not one-dimensional, their counts differ, or a label is out of range; the message names the file.</exception>
    public static ClassificationSet ReadClassification(string imagesPath, string labelsPath, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);
        var images = Read(imagesPath);
        var labels = Read(labelsPath);
        if (images.Dimensions.Length != 3)
        {
            throw new InvalidDataException($"IDX file \"{imagesPath}\" has {images.Dimensions.Length} dimensions; an image file has 3 (count, rows, columns).");
        }
        if (labels.Dimensions.Length != 1)
        {
            throw new InvalidDataException($"IDX file \"{labelsPath}\" has {labels.Dimensions.Length} dimensions; a label file has 1 (count).");
        }
        int n = images.Dimensions[0];
        if (labels.Dimensions[0] != n)
        {
            throw new InvalidDataException($"IDX file \"{labelsPath}\" holds {labels.Dimensions[0]} labels, but \"{imagesPath}\" holds {n} images.");
        }
        int pixels = images.Dimensions[1] * images.Dimensions[2];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] >= classCount)
            {
                throw new InvalidDataException($"IDX file \"{labelsPath}\": label {i} is {y[i]}, not below the {classCount} classes.");
            }
        }
        var x = new float[images.Data.Length];
        ReadOnlySpan<byte> source = images.Data;
        for (int k = 0; k < x.Length; k++)
        {
            x[k] = source[k] / 255f;
        }
        return ClassificationSet.Own(x, n, pixels, y, classCount);
    }

    private static byte[] Decompress(ReadOnlySpan<byte> contents, string sourceName)
    {
        try
        {
            using var compressed = new MemoryStream(contents.ToArray(), writable: false);
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            gzip.CopyTo(inflated);
            byte[] data = inflated.ToArray();
            RequireTrailer(contents, data, sourceName);
            return data;
        }
        catch (Exception error) when (error is InvalidDataException or IOException or NotSupportedException)
        {
            throw new InvalidDataException($"IDX file \"{sourceName}\": the gzip stream is corrupt or truncated ({error.Message}).", error);
        }
    }

    /// <summary>
    /// Checks the gzip trailer (CRC-32 and length mod 2³² of the data) against what was inflated: GZipStream returns
    /// a stream cut inside its trailer without complaint, and would let a truncated file through.
    /// </summary>
    private static void RequireTrailer(ReadOnlySpan<byte> contents, byte[] data, string sourceName)
    {
        if (contents.Length < 18)
        {
            throw new InvalidDataException($"IDX file \"{sourceName}\": the gzip stream is truncated ({contents.Length} bytes).");
        }
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(contents[^8..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(contents[^4..]);
        if (size != (uint)data.Length || crc != Crc32.HashToUInt32(data))
        {
            throw new InvalidDataException(
                $"IDX file \"{sourceName}\": the gzip trailer does not match the data (the file is truncated, corrupt, or has several gzip members).");
        }
    }

    private static IdxArray ParseRaw(ReadOnlySpan<byte> raw, string sourceName)
    {
        if (raw.Length < 4)
        {
            throw Invalid(sourceName, $"it has {raw.Length} bytes, fewer than the 4-byte magic number");
        }
        if (raw[0] != 0 || raw[1] != 0)
        {
            throw Invalid(sourceName, $"the magic number starts with 0x{raw[0]:X2} 0x{raw[1]:X2}, not 0x00 0x00");
        }
        if (raw[2] != UnsignedByteType)
        {
            throw Invalid(sourceName, $"element type 0x{raw[2]:X2} is not supported (only unsigned bytes, 0x08)");
        }
        int rank = raw[3];
        if (rank < 1 || rank > MaxDimensions)
        {
            throw Invalid(sourceName, $"it declares {rank} dimensions; 1 to {MaxDimensions} are accepted");
        }
        int header = 4 + 4 * rank;
        if (raw.Length < header)
        {
            throw Invalid(sourceName, $"it has {raw.Length} bytes, fewer than its {header}-byte header");
        }
        var dimensions = new int[rank];
        long elements = 1;
        for (int k = 0; k < rank; k++)
        {
            uint dimension = BinaryPrimitives.ReadUInt32BigEndian(raw.Slice(4 + 4 * k, 4));
            if (dimension < 1 || dimension > int.MaxValue)
            {
                throw Invalid(sourceName, $"dimension {k} is {dimension}; every dimension must be in [1, {int.MaxValue}]");
            }
            dimensions[k] = (int)dimension;
            elements *= dimension;
            if (elements > Array.MaxLength)
            {
                throw Invalid(sourceName, $"its dimensions [{string.Join(", ", dimensions[..(k + 1)])}…] exceed the largest array ({Array.MaxLength} bytes)");
            }
        }
        long present = raw.Length - header;
        if (present != elements)
        {
            string fault = present < elements ? "truncated" : "longer than its header says";
            throw Invalid(sourceName, $"it is {fault}: dimensions [{string.Join(", ", dimensions)}] need {elements} bytes of data after the {header}-byte header, but {present} follow");
        }
        return new IdxArray(dimensions, raw[header..].ToArray());
    }

    private static InvalidDataException Invalid(string sourceName, string fault) => new($"IDX file \"{sourceName}\" is invalid: {fault}.");
}
