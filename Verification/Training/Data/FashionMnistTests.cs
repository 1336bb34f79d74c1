using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

public sealed class FashionMnistTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("kernels-fashion-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void MissingFilesGiveTheInstallCommand()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(folder.FullName));
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
    }

    [Fact]
    public void TheFourFilesReadAsItsOwnSplitRawOrCompressed()
    {
        // Two training images and one test image of 2 × 2 pixels; the training files compressed, the test files raw.
        File.WriteAllBytes(Path.Combine(folder.FullName, "train-images-idx3-ubyte.gz"), IdxFileTests.Gzip(IdxFileTests.Idx(2, 2, 2)));
        File.WriteAllBytes(Path.Combine(folder.FullName, "train-labels-idx1-ubyte.gz"), IdxFileTests.Gzip([0, 0, 8, 1, 0, 0, 0, 2, 3, 9]));
        File.WriteAllBytes(Path.Combine(folder.FullName, "t10k-images-idx3-ubyte"), IdxFileTests.Idx(1, 2, 2));
        File.WriteAllBytes(Path.Combine(folder.FullName, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 1, 5]);
        var split = FashionMnist.Load(folder.FullName);
        Assert.Equal([3, 9], split.Train.Labels.ToArray());
        Assert.Equal([5], split.Test.Labels.ToArray());
        Assert.Equal(4, split.Test.Dimension);
    }
}
