using Kernels.Training.Checkpoints;

namespace Kernels.Verification.Training.Checkpoints;

/// <summary>A tensor's dtype, shape and data, and what it rejects.</summary>
public sealed class CheckpointTensorTests
{
    [Fact]
    public void Float_and_double_map_to_F32_and_F64_and_wrap_the_data()
    {
        float[] singles = [1, 2, 3, 4, 5, 6];
        CheckpointTensor f = CheckpointTensor.Create<float>("w", [2, 3], singles);
        Assert.Equal(CheckpointDType.F32, f.DType);
        Assert.Equal([2L, 3L], f.Shape.ToArray());
        Assert.Equal(6, f.Length);
        singles[4] = 50; // wrapped, not copied
        Assert.Equal(50f, f.GetData<float>().Span[4]);

        CheckpointTensor d = CheckpointTensor.Create<double>("b", [], new double[] { 7 });
        Assert.Equal(CheckpointDType.F64, d.DType);
        Assert.Equal(0, d.Shape.Length);
        Assert.Equal(7.0, d.GetData<double>().Span[0]);

        Assert.Equal(0, CheckpointTensor.Create<float>("empty", [3, 0, 5], Array.Empty<float>()).Length);
    }

    [Fact]
    public void The_shape_is_copied()
    {
        long[] shape = [2, 2];
        CheckpointTensor t = CheckpointTensor.Create<float>("w", shape, new float[4]);
        shape[0] = 9;
        Assert.Equal([2L, 2L], t.Shape.ToArray());
    }

    [Fact]
    public void Reading_with_the_other_element_type_throws()
    {
        CheckpointTensor f = CheckpointTensor.Create<float>("w", [1], new float[1]);
        Assert.Contains("F32", Assert.Throws<InvalidOperationException>(() => f.GetData<double>()).Message);
        CheckpointTensor d = CheckpointTensor.Create<double>("w", [1], new double[1]);
        Assert.Throws<InvalidOperationException>(() => d.GetData<float>());
        Assert.Throws<NotSupportedException>(() => d.GetData<Half>());
    }

    [Fact]
    public void Bad_names_shapes_and_types_are_rejected()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => CheckpointTensor.Create<float>(null!, [1], new float[1])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => CheckpointTensor.Create<float>("", [1], new float[1])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => CheckpointTensor.Create<float>("__metadata__", [1], new float[1])).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => CheckpointTensor.Create<float>("a\ud800", [1], new float[1])).ParamName);

        Assert.Equal("shape", Assert.Throws<ArgumentException>(() => CheckpointTensor.Create<float>("w", [2, -3], new float[6])).ParamName);
        var mismatch = Assert.Throws<ArgumentException>(() => CheckpointTensor.Create<float>("w", [2, 3], new float[5]));
        Assert.Equal("data", mismatch.ParamName);
        Assert.Contains("[2, 3]", mismatch.Message);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() => CheckpointTensor.Create<float>("w", [], new float[0])).ParamName);
        // A product that overflows 64 bits must not wrap around to the data length.
        Assert.Equal("data", Assert.Throws<ArgumentException>(() =>
            CheckpointTensor.Create<float>("w", [1L << 32, 1L << 32, 1], new float[0])).ParamName);
        Assert.Equal("data", Assert.Throws<ArgumentException>(() =>
            CheckpointTensor.Create<float>("w", [long.MaxValue, 2], new float[2])).ParamName);

        Assert.Throws<NotSupportedException>(() => CheckpointTensor.Create<Half>("w", [1], new Half[1]));
    }
}
