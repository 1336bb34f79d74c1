using Kernels.Blas;
using Kernels.Randomness;
using Kernels.Simd;
using Kernels.Training.Models;

namespace Kernels.Verification.Training.Models;

/// <summary>The MLP step's threaded element-wise passes: parts tile the buffer in whole lines, and the result is one pass's bits.</summary>
public sealed class ElementwisePartsTests
{
    [Fact]
    public void Parts_cover_the_buffer_once_in_whole_lines()
    {
        foreach (int length in new[] { 0, 1, 15, 16, 17, 100, 50_000, 784_000 })
        {
            foreach (int parts in new[] { 1, 2, 3, 7 })
            {
                int next = 0;
                for (int part = 0; part < parts; part++)
                {
                    var (start, count) = ElementwiseParts.Range(part, parts, length);
                    Assert.True(count == 0 || start == next, $"length {length}, part {part} of {parts} starts at {start}, expected {next}");
                    Assert.True(count == 0 || start % 16 == 0, $"length {length}, part {part} of {parts} starts inside a line at {start}");
                    next = count == 0 ? next : start + count;
                }
                Assert.Equal(length, next);
            }
        }
    }

    [Fact]
    public void Parts_follow_the_threshold_and_the_thread_cap()
    {
        Assert.Equal(1, ElementwiseParts.PartsFor(50_000, BlasOptions.SingleThreaded));
        Assert.Equal(1, ElementwiseParts.PartsFor(1_000, new BlasOptions { MaxThreads = 2 }));
        Assert.Equal(2, ElementwiseParts.PartsFor(50_000, new BlasOptions { MaxThreads = 2 }));
        Assert.Equal(2, ElementwiseParts.PartsFor(100, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }));
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(1_003)]
    public void Threaded_passes_give_one_pass_bits(int length)
    {
        var rectified = new float[length];
        new CounterRandom(3, 0).FillUniform<float>(rectified, -1f, 1f);
        var random = new CounterRandom(3, 1);
        var draws = new float[length];
        random.FillUniform<float>(draws);
        var expected = new float[length];
        BinaryDriver.Run<float, DropoutOperator>(rectified, draws, expected, new DropoutOperator(0.9f));
        foreach (var options in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 } })
        {
            var threadedDraws = new float[length];
            var activations = new float[length];
            ElementwiseParts.Dropout(random, rectified, threadedDraws, activations, length, 0.9f, options);
            Assert.Equal(draws, threadedDraws);
            Assert.Equal(expected, activations);
        }

        var model = new Mlp(length / 10 + 1, [new MlpLayerSpec(10), new MlpLayerSpec(2)], 4);
        var layer = model.LayerAt(0);
        float[] start = layer.Weights.ToArray(), velocity = new float[start.Length];
        new CounterRandom(3, 2).FillUniform<float>(velocity, -1f, 1f);
        var reference = (float[])start.Clone();
        Level1.Axpy(-0.05f, velocity, reference);
        foreach (var options in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 } })
        {
            start.CopyTo(layer.Weights);
            ElementwiseParts.Axpy(-0.05f, velocity, layer, options);
            Assert.Equal(reference, layer.Weights.ToArray());
        }
    }
}
