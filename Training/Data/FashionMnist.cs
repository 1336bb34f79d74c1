namespace Kernels.Training.Data;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017): 70,000 28 × 28 grey-scale images of clothing in 10 classes, in its own split of
/// 60,000 training and 10,000 test images, read from the four gzip IDX files of the distribution.
/// </summary>
/// <remarks>
/// Debian's package <c>dataset-fashion-mnist</c> installs the files under <see cref="DefaultDirectory"/>;
/// <c>bash scripts/fetch-data.sh</c> in the Kernels repository installs it (or checks it is there).
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Classes: T-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot.</summary>
    public const int Classes = 10;

    /// <summary>The command that installs the data set.</summary>
    public const string FetchCommand = "bash scripts/fetch-data.sh   (or: sudo apt-get install dataset-fashion-mnist)";

    /// <summary>
    /// Reads the training files (<c>train-images-idx3-ubyte.gz</c>, <c>train-labels-idx1-ubyte.gz</c>) and test files
    /// (<c>t10k-…</c>) from <paramref name="directory"/>; an uncompressed file of the same name without <c>.gz</c> is
    /// read when the compressed one is absent.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message gives the command that installs the data set.</exception>
    /// <exception cref="InvalidDataException">A file is invalid; the message names it.</exception>
    public static LabeledSplit Load(string directory = DefaultDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var train = IdxFile.ReadClassification(Find(directory, "train-images-idx3-ubyte"), Find(directory, "train-labels-idx1-ubyte"), Classes);
        var test = IdxFile.ReadClassification(Find(directory, "t10k-images-idx3-ubyte"), Find(directory, "t10k-labels-idx1-ubyte"), Classes);
        return new LabeledSplit(train, test);
    }

    private static string Find(string directory, string name)
    {
        string compressed = Path.Combine(directory, name + ".gz");
        if (File.Exists(compressed))
        {
            return compressed;
        }
        string raw = Path.Combine(directory, name);
        if (File.Exists(raw))
        {
            return raw;
        }
        throw new FileNotFoundException($"Fashion-MNIST is missing: no file \"{compressed}\". Run `{FetchCommand}`.", compressed);
    }
}
