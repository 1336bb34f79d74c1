using Kernels.Training.Data;
using Kernels.Training.Models;

namespace Kernels.Verification.Training.Models;

public sealed class ElmanRnnCheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kernels-elman-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Save and load give the same weights bit for bit, in float and in double, and the same loss.</summary>
    [Fact]
    public void RoundTripIsExact()
    {
        RoundTrip<float>();
        RoundTrip<double>();
    }

    [Fact]
    public void AnotherElementTypeOrKindIsRejectedNamingTheFile()
    {
        string path = Path.Combine(_folder, "float.safetensors");
        new ElmanRnn<float>(4, 3, 2, 1).SaveCheckpoint(path);
        var error = Assert.Throws<InvalidDataException>(() => ElmanRnn<double>.LoadCheckpoint(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("F64", error.Message);
        string other = Path.Combine(_folder, "other.safetensors");
        new TwoLayerShiftedRelu(4, 2, 1).SaveCheckpoint(other);
        Assert.Throws<InvalidDataException>(() => ElmanRnn<float>.LoadCheckpoint(other));
    }

    private void RoundTrip<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var model = new ElmanRnn<T>(12, 5, 3, 99);
        string path = Path.Combine(_folder, $"{typeof(T).Name}.safetensors");
        model.SaveCheckpoint(path);
        var loaded = ElmanRnn<T>.LoadCheckpoint(path);
        Assert.Equal(model.Seed, loaded.Seed);
        Assert.True(model.Recurrent.Data.SequenceEqual(loaded.Recurrent.Data));
        Assert.True(model.Input.Data.SequenceEqual(loaded.Input.Data));
        Assert.True(model.Output.Data.SequenceEqual(loaded.Output.Data));
        var data = SyntheticSequences.Separable<T>(3, 4, 5, 3, 2);
        Assert.Equal(model.Loss(data, new ElmanRnnWorkspace<T>(model, 3, 4)), loaded.Loss(data, new ElmanRnnWorkspace<T>(loaded, 3, 4)));
    }
}
