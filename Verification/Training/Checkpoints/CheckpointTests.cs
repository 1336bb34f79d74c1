using Kernels.Training.Checkpoints;

namespace Kernels.Verification.Training.Checkpoints;

/// <summary>The in-memory checkpoint: order, lookup and the checks on names.</summary>
public sealed class CheckpointTests
{
    private static CheckpointTensor Tensor(string name) => CheckpointTensor.Create<float>(name, [1], new float[1]);

    [Fact]
    public void Tensors_are_sorted_by_name_and_hyperparameters_keep_their_order()
    {
        var checkpoint = new Checkpoint("Kind", 42, [new("z", "1"), new("a", "2"), new("m", "")], [Tensor("b"), Tensor("B"), Tensor("a.1"), Tensor("a")]);
        Assert.Equal(["B", "a", "a.1", "b"], checkpoint.Tensors.Select(t => t.Name));
        Assert.Equal(["z", "a", "m"], checkpoint.Hyperparameters.Select(p => p.Key));
        Assert.Equal("Kind", checkpoint.ModelKind);
        Assert.Equal(42UL, checkpoint.Seed);

        Assert.True(checkpoint.TryGetTensor("a.1", out CheckpointTensor? tensor));
        Assert.Equal("a.1", tensor.Name);
        Assert.False(checkpoint.TryGetTensor("c", out _));
        Assert.True(checkpoint.TryGetHyperparameter("m", out string? value));
        Assert.Equal("", value);
        Assert.False(checkpoint.TryGetHyperparameter("M", out _));
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => checkpoint.TryGetTensor(null!, out _)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => checkpoint.TryGetHyperparameter(null!, out _)).ParamName);
    }

    [Fact]
    public void Bad_kinds_names_and_duplicates_are_rejected()
    {
        Assert.Equal("modelKind", Assert.Throws<ArgumentException>(() => new Checkpoint("", 0, [], [])).ParamName);
        Assert.Equal("modelKind", Assert.Throws<ArgumentNullException>(() => new Checkpoint(null!, 0, [], [])).ParamName);
        Assert.Equal("modelKind", Assert.Throws<ArgumentException>(() => new Checkpoint("\udc00", 0, [], [])).ParamName);
        Assert.Equal("hyperparameters", Assert.Throws<ArgumentNullException>(() => new Checkpoint("K", 0, null!, [])).ParamName);
        Assert.Equal("tensors", Assert.Throws<ArgumentNullException>(() => new Checkpoint("K", 0, [], null!)).ParamName);
        Assert.Equal("tensors", Assert.Throws<ArgumentNullException>(() => new Checkpoint("K", 0, [], [Tensor("a"), null!])).ParamName);

        Assert.Equal("hyperparameters", Assert.Throws<ArgumentException>(() => new Checkpoint("K", 0, [new("", "1")], [])).ParamName);
        Assert.Equal("hyperparameters", Assert.Throws<ArgumentNullException>(() => new Checkpoint("K", 0, [new("m", null!)], [])).ParamName);
        Assert.Equal("hyperparameters", Assert.Throws<ArgumentException>(() => new Checkpoint("K", 0, [new("m", "\ud800")], [])).ParamName);
        var duplicate = Assert.Throws<ArgumentException>(() => new Checkpoint("K", 0, [new("m", "1"), new("m", "2")], []));
        Assert.Equal("hyperparameters", duplicate.ParamName);
        Assert.Contains("\"m\"", duplicate.Message);
        Assert.Equal("tensors", Assert.Throws<ArgumentException>(() => new Checkpoint("K", 0, [], [Tensor("w"), Tensor("w")])).ParamName);
    }
}
