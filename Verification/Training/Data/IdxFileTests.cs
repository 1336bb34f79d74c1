using System.IO.Compression;
using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

/// <summary>The IDX reader: exact contents, raw and gzip, and every truncated or corrupted header rejected naming the file.</summary>
public sealed class IdxFileTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("kernels-idx-");

    public void Dispose() => folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(folder.FullName, name);

    /// <summary>An IDX file of unsigned bytes with the given dimensions and elements 0, 1, 2, … (mod 256), written by hand.</summary>
    internal static byte[] Idx(params int[] dimensions)
    {
        long elements = 1;
        foreach (int d in dimensions)
        {
            elements *= d;
        }
        var bytes = new byte[4 + 4 * dimensions.Length + elements];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (int k = 0; k < dimensions.Length; k++)
        {
            bytes[4 + 4 * k] = (byte)(dimensions[k] >> 24);
            bytes[5 + 4 * k] = (byte)(dimensions[k] >> 16);
            bytes[6 + 4 * k] = (byte)(dimensions[k] >> 8);
            bytes[7 + 4 * k] = (byte)dimensions[k];
        }
        for (long i = 0; i < elements; i++)
        {
            bytes[4 + 4 * dimensions.Length + i] = (byte)(i * 37 % 256);
        }
        return bytes;
    }

    internal static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(raw);
        }
        return output.ToArray();
    }

    [Fact]
    public void RawAndGzipFilesReadTheSameDimensionsAndBytes()
    {
        byte[] raw = Idx(3, 2, 5);
        File.WriteAllBytes(PathOf("a.idx"), raw);
        File.WriteAllBytes(PathOf("a.idx.gz"), Gzip(raw));
        foreach (string name in new[] { "a.idx", "a.idx.gz" })
        {
            var array = IdxFile.Read(PathOf(name));
            Assert.Equal([3, 2, 5], array.Dimensions.ToArray());
            Assert.Equal(raw[16..], array.Data.ToArray());
        }
    }

    [Fact]
    public void EveryTruncationOfARawOrGzipFileIsRejectedNamingTheFile()
    {
        byte[] raw = Idx(3, 2, 2);
        byte[] zipped = Gzip(raw);
        foreach (byte[] whole in new[] { raw, zipped })
        {
            for (int length = 0; length < whole.Length; length++)
            {
                var error = Assert.Throws<InvalidDataException>(() => IdxFile.Parse(whole.AsSpan(0, length), "cut.idx"));
                Assert.Contains("\"cut.idx\"", error.Message);
            }
        }
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        byte[] longer = [.. Idx(2, 3), 7];
        Assert.Contains("longer than its header says", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(longer, "long.idx")).Message);
    }

    [Fact]
    public void EverySingleByteChangeOfTheHeaderIsRejected()
    {
        // Any change of the magic, type, rank or one dimension changes the element count the header promises (every
        // dimension is at least 1), so no corrupted header can pass for the 12 bytes of data that follow.
        byte[] raw = Idx(3, 2, 2);
        var random = new Random(11);
        for (int position = 0; position < 16; position++)
        {
            for (int trial = 0; trial < 8; trial++)
            {
                byte[] corrupted = (byte[])raw.Clone();
                corrupted[position] ^= (byte)random.Next(1, 256);
                var error = Assert.Throws<InvalidDataException>(() => IdxFile.Parse(corrupted, "flip.idx"));
                Assert.Contains("\"flip.idx\"", error.Message);
            }
        }
    }

    [Fact]
    public void UnsupportedTypesRanksAndHugeDimensionsAreNamed()
    {
        byte[] floats = Idx(2);
        floats[2] = 0x0D;
        Assert.Contains("0x0D", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(floats, "f.idx")).Message);
        byte[] huge = Idx(1, 1);
        huge[4] = 0x7F;
        huge[8] = 0x7F;
        Assert.Contains("largest array", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(huge, "h.idx")).Message);
        byte[] zeroRank = [0, 0, 8, 0];
        Assert.Contains("0 dimensions", Assert.Throws<InvalidDataException>(() => IdxFile.Parse(zeroRank, "z.idx")).Message);
    }

    [Fact]
    public void ImagesAndLabelsPairIntoAScaledClassificationSet()
    {
        byte[] images = Idx(3, 2, 2);
        byte[] labels = Idx(3);
        Array.Clear(labels, labels.Length - 3, 3);
        labels[^1] = 9;
        File.WriteAllBytes(PathOf("images.gz"), Gzip(images));
        File.WriteAllBytes(PathOf("labels"), labels);
        var set = IdxFile.ReadClassification(PathOf("images.gz"), PathOf("labels"), 10);
        Assert.Equal(3, set.Count);
        Assert.Equal(4, set.Dimension);
        Assert.Equal([0, 0, 9], set.Labels.ToArray());
        for (int k = 0; k < 12; k++)
        {
            Assert.Equal(images[16 + k] / 255f, set.Inputs.Data[k]);
        }
    }

    [Fact]
    public void MismatchedPairsAreRejectedNamingTheFile()
    {
        File.WriteAllBytes(PathOf("images"), Idx(3, 2, 2));
        File.WriteAllBytes(PathOf("four-labels"), Idx(4));
        File.WriteAllBytes(PathOf("flat"), Idx(3, 4));
        var labels = Idx(3);
        labels[^1] = 10;
        File.WriteAllBytes(PathOf("bad-label"), labels);
        Assert.Contains("four-labels", Assert.Throws<InvalidDataException>(() => IdxFile.ReadClassification(PathOf("images"), PathOf("four-labels"), 10)).Message);
        Assert.Contains("flat", Assert.Throws<InvalidDataException>(() => IdxFile.ReadClassification(PathOf("flat"), PathOf("four-labels"), 10)).Message);
        Assert.Contains("bad-label", Assert.Throws<InvalidDataException>(() => IdxFile.ReadClassification(PathOf("images"), PathOf("bad-label"), 10)).Message);
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read(PathOf("absent")));
        Assert.Throws<ArgumentOutOfRangeException>("classCount", () => IdxFile.ReadClassification(PathOf("images"), PathOf("bad-label"), 1));
    }
}
