using System.Numerics;
using Kernels.Blas;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Layers;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Layers;

/// <summary>
/// <see cref="HashedLinear{T}"/> against a dense reference that materializes V from the definition: forward, both
/// backward products, the bucket gradient as the scatter of the dense virtual gradient, the parameter count, finite
/// differences, determinism and thread independence.
/// </summary>
public sealed class HashedLinearTests
{
    [KernelProperty(MaxTest = 60)]
    public void Passes_match_the_dense_reference(HashedLinearCase c)
    {
        Check<double>(c);
        Check<float>(c);
    }

    private static void Check<T>(HashedLinearCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        HashedLinear<T> layer = c.Layer<T>();
        int n = c.Inputs, m = c.Outputs, batch = c.Batch;
        string name = $"{typeof(T).Name} {c}";

        // The packed path (table lookups of Bucket(key, 2B)) must reproduce the definition (BucketAndSign) exactly.
        var (v, bucket) = HashedLayerReference.Virtual(layer);
        var materialized = new T[m * n];
        layer.CopyVirtualMatrix(new MatrixView<T>(materialized, m, n));
        for (int k = 0; k < v.Length; k++)
        {
            Tolerance.AssertIdentical(T.CreateChecked(v[k]), materialized[k], $"{name}: V[{k / n}, {k % n}]");
        }

        T[] x = c.InputData<T>(), dy = c.OutputGradient<T>();
        var y = new T[batch * m];
        layer.Forward(new ReadOnlyMatrixView<T>(x, batch, n), new MatrixView<T>(y, batch, m));
        var (yRef, yMag) = HashedLayerReference.Forward(layer, v, x, batch);
        for (int k = 0; k < y.Length; k++)
        {
            Tolerance.AssertClose(y[k], yRef[k], yMag[k], n + 2, $"{name}: Y[{k / m}, {k % m}]");
        }

        var dx = new T[batch * n];
        layer.BackwardInput(new ReadOnlyMatrixView<T>(dy, batch, m), new MatrixView<T>(dx, batch, n), T.Zero);
        var (dxRef, dxMag) = HashedLayerReference.BackwardInput(layer, v, dy, batch);
        for (int k = 0; k < dx.Length; k++)
        {
            Tolerance.AssertClose(dx[k], dxRef[k], dxMag[k], m + 2, $"{name}: dX[{k / n}, {k % n}]");
        }

        var dw = new T[c.Buckets];
        var db = new T[c.Bias ? m : 0];
        layer.BackwardParameters(new ReadOnlyMatrixView<T>(x, batch, n), new ReadOnlyMatrixView<T>(dy, batch, m), dw, db, T.Zero);
        var (g, gMag) = HashedLayerReference.VirtualGradient(n, m, x, dy, batch);
        var (dwRef, dwMag, count) = HashedLayerReference.ScatterIntoBuckets(c.Buckets, bucket, HashedLayerReference.Signs(layer), g, gMag);
        for (int k = 0; k < dw.Length; k++)
        {
            // Gemm sums batch terms per entry, the scatter count[k] entries per bucket, the fold one more.
            Tolerance.AssertClose(dw[k], dwRef[k], dwMag[k], batch + count[k] + 4, $"{name}: dw[{k}] ({count[k]} entries)");
        }
        for (int i = 0; i < db.Length; i++)
        {
            var (sum, magnitude) = Reference.Sum<T>(Enumerable.Range(0, batch).Select(b => dy[b * m + i]).ToArray());
            Tolerance.AssertClose(db[i], sum, magnitude, batch + 2, $"{name}: dbias[{i}]");
        }
    }

    [Theory]
    [InlineData(HashFamily.MultiplyShift)]
    [InlineData(HashFamily.Polynomial61Pairwise)]
    public void Passes_match_the_dense_reference_across_hash_runs_depth_blocks_and_line_groups(HashFamily family)
    {
        // 700 inputs: three hash runs of 256 keys per row of V, and two (float) or three (double) depth blocks of Gemm;
        // 45 outputs: five groups of 8 lines gathered together and a partial group of 5, in a partial last panel.
        var c = new HashedLinearCase(700, 45, 997, 7, true, true, family, 5);
        Check<double>(c);
        Check<float>(c);
    }

    [Fact]
    public void Bucket_gradient_is_the_scatter_of_the_dense_virtual_gradient_across_tiles_and_runs()
    {
        // 300 inputs (two hash runs of 256 keys per row) × 500 outputs: two row partitions of 250 rows, each in tiles of
        // ⌊65536/300⌋ = 218 rows, so two tiles per partition, the second partial; batch 37. Every bucket collects about 60
        // entries (compression 60).
        var c = new HashedLinearCase(300, 500, 2500, 37, true, true, HashFamily.Polynomial31FourWise, 11);
        HashedLinear<double> layer = c.Layer<double>();
        double[] x = c.InputData<double>(), dy = c.OutputGradient<double>();
        var dw = new double[c.Buckets];
        var db = new double[c.Outputs];
        layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, c.Batch, c.Inputs), new ReadOnlyMatrixView<double>(dy, c.Batch, c.Outputs), dw, db, 0.0);

        var (_, bucket) = HashedLayerReference.Virtual(layer);
        var (g, gMag) = HashedLayerReference.VirtualGradient(c.Inputs, c.Outputs, x, dy, c.Batch);
        var (expected, magnitude, count) = HashedLayerReference.ScatterIntoBuckets(c.Buckets, bucket, HashedLayerReference.Signs(layer), g, gMag);
        Assert.Equal(c.Inputs * c.Outputs, count.Sum());
        for (int k = 0; k < dw.Length; k++)
        {
            Tolerance.AssertClose(dw[k], expected[k], magnitude[k], c.Batch + count[k] + 4, $"dw[{k}]");
        }
    }

    [Theory]
    [InlineData(700, 333, 2000, 29, true, true)]
    [InlineData(513, 130, 999, 8, false, false)]
    [InlineData(20, 1, 7, 3, true, false)]
    public void Parameter_gradient_on_one_thread_equals_two_threads_bit_for_bit(int inputs, int outputs, int buckets, int batch, bool signed, bool bias)
    {
        // 700 × 333: two row partitions of 166 and 167 rows, each with its own table gradient and in tiles of
        // ⌊65536/700⌋ = 93 rows (two per partition, the second partial); the threaded path runs them concurrently
        // (threshold 0), and three threads find only two partitions.
        var c = new HashedLinearCase(inputs, outputs, buckets, batch, signed, bias, HashFamily.MultiplyShift, 31);
        HashedLinear<float> layer = c.Layer<float>();
        float[] x = c.InputData<float>(), dy = c.OutputGradient<float>();
        var results = new List<float[]>();
        foreach (var options in new[] { BlasOptions.SingleThreaded, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }, new BlasOptions { MaxThreads = 3, ParallelThreshold = 0 } })
        {
            var dw = new float[c.Buckets];
            var db = new float[bias ? c.Outputs : 0];
            layer.BackwardParameters(new ReadOnlyMatrixView<float>(x, c.Batch, c.Inputs), new ReadOnlyMatrixView<float>(dy, c.Batch, c.Outputs), dw, db, 0f, options);
            results.Add([.. dw, .. db]);
        }
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);
    }

    [Theory]
    [InlineData(30, 20, 50, 7, true)]
    [InlineData(300, 500, 2500, 37, false)] // two row partitions, each folded into the accumulated gradient
    public void Backward_passes_overwrite_with_beta_zero_and_accumulate_otherwise(int inputs, int outputs, int buckets, int batch, bool signed)
    {
        var c = new HashedLinearCase(inputs, outputs, buckets, batch, signed, true, HashFamily.MultiplyShift, 5);
        HashedLinear<double> layer = c.Layer<double>();
        double[] x = c.InputData<double>(), dy = c.OutputGradient<double>();
        AccumulationCheck.Assert<double>([batch * inputs, buckets, outputs], (g, beta) =>
        {
            var input = new ReadOnlyMatrixView<double>(x, batch, inputs);
            var outputGradient = new ReadOnlyMatrixView<double>(dy, batch, outputs);
            layer.BackwardInput(outputGradient, new MatrixView<double>(g[0], batch, inputs), beta);
            layer.BackwardParameters(input, outputGradient, g[1], g[2], beta);
        }, 6);
    }

    [Fact]
    public void Parameter_count_is_exactly_the_buckets_plus_the_bias()
    {
        // The paper's 784 → 1000 layer at compression 64.
        const int inputs = 784, outputs = 1000, buckets = inputs * outputs / 64;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var layer = new HashedLinear<float>(inputs, outputs, buckets, new MultiplyShift(1, 2));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(buckets + outputs, layer.ParameterCount);
        Assert.Equal(buckets, layer.Weights.Length);
        Assert.Equal(outputs, layer.Bias.Length);
        Assert.Equal(64.0, layer.Compression, 2);
        // Construction stores the parameters and a few small objects, nothing of the size of V (784 000 floats).
        Assert.True(allocated < (buckets + outputs) * sizeof(float) + 4096, $"{allocated} bytes allocated for {buckets + outputs} parameters.");
        Assert.Equal(buckets, new HashedLinear<float>(inputs, outputs, buckets, new MultiplyShift(1, 2), bias: false).ParameterCount);
    }

    /// <summary>
    /// Central differences of the loss L(Y) = Σ c⊙Y + ½‖Y‖², in double. L is quadratic in every parameter and input (the
    /// layer is linear in each), so the central difference has no truncation error and only rounding remains: about
    /// ε·|L|/h with h = 10⁻³, far below the 10⁻⁶ relative tolerance.
    /// </summary>
    [Theory]
    [InlineData(37, 23, 50, 6, true, true)]
    [InlineData(64, 65, 7, 3, false, true)]
    [InlineData(5, 300, 1, 4, true, false)]
    public void Gradients_match_central_differences(int inputs, int outputs, int buckets, int batch, bool signed, bool bias)
    {
        var c = new HashedLinearCase(inputs, outputs, buckets, batch, signed, bias, HashFamily.ThorupZhangTabulation, 5);
        HashedLinear<double> layer = c.Layer<double>();
        double[] x = c.InputData<double>(), coefficients = c.OutputGradient<double>();
        ForwardPass forward = (input, output) => layer.Forward(input, output);
        double Loss() => GradientCheck.QuadraticLoss(forward, x, batch, inputs, outputs, coefficients);

        double[] dy = GradientCheck.OutputGradient(forward, x, batch, inputs, outputs, coefficients);
        var dx = new double[batch * inputs];
        var dw = new double[buckets];
        var db = new double[bias ? outputs : 0];
        layer.BackwardInput(new ReadOnlyMatrixView<double>(dy, batch, outputs), new MatrixView<double>(dx, batch, inputs), 0.0);
        layer.BackwardParameters(new ReadOnlyMatrixView<double>(x, batch, inputs), new ReadOnlyMatrixView<double>(dy, batch, outputs), dw, db, 0.0);
        const double h = 1e-3;
        for (int k = 0; k < buckets; k++)
        {
            GradientCheck.AssertCentral(layer.Weights, k, h, Loss, dw[k], $"dw[{k}]");
        }
        for (int i = 0; i < db.Length; i++)
        {
            GradientCheck.AssertCentral(layer.Bias, i, h, Loss, db[i], $"dbias[{i}]");
        }
        for (int k = 0; k < x.Length; k += 7)
        {
            GradientCheck.AssertCentral(x, k, h, Loss, dx[k], $"dx[{k}]");
        }
    }

    [Fact]
    public void The_same_seeds_give_the_same_layer_and_any_thread_count_the_same_bits()
    {
        // 400 × 300 with batch 50: 6·10⁶ multiply-adds, above the threading threshold, so Default uses both cores.
        var c = new HashedLinearCase(400, 300, 1875, 50, true, true, HashFamily.MultiplyShift, 21);
        HashedLinear<float> first = c.Layer<float>(), second = c.Layer<float>();
        float[] x = c.InputData<float>(), dy = c.OutputGradient<float>();
        var results = new List<float[]>();
        foreach (var (layer, options) in new[] { (first, BlasOptions.SingleThreaded), (second, BlasOptions.Default), (second, new BlasOptions { MaxThreads = 2, ParallelThreshold = 0 }) })
        {
            var y = new float[c.Batch * c.Outputs];
            var dx = new float[c.Batch * c.Inputs];
            var dw = new float[c.Buckets];
            var db = new float[c.Outputs];
            layer.Forward(new ReadOnlyMatrixView<float>(x, c.Batch, c.Inputs), new MatrixView<float>(y, c.Batch, c.Outputs), options);
            layer.BackwardInput(new ReadOnlyMatrixView<float>(dy, c.Batch, c.Outputs), new MatrixView<float>(dx, c.Batch, c.Inputs), 0f, options);
            layer.BackwardParameters(new ReadOnlyMatrixView<float>(x, c.Batch, c.Inputs), new ReadOnlyMatrixView<float>(dy, c.Batch, c.Outputs), dw, db, 0f, options);
            results.Add([.. y, .. dx, .. dw, .. db]);
        }
        Assert.Equal(results[0], results[1]);
        Assert.Equal(results[0], results[2]);

        // Another hash seed or another initialization seed is another layer.
        var rehashed = (c with { Seed = 22 }).Layer<float>();
        var y0 = new float[c.Batch * c.Outputs];
        rehashed.Forward(new ReadOnlyMatrixView<float>(x, c.Batch, c.Inputs), new MatrixView<float>(y0, c.Batch, c.Outputs));
        Assert.NotEqual(results[0][..y0.Length], y0);
    }

    [Fact]
    public void Hashed_layer_construction_rejects_impossible_sizes()
    {
        var hash = new MultiplyShift(1, 1);
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => new HashedLinear<float>(10, 10, 0, hash));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => new HashedLinear<float>(10, 10, -3, hash));
        Assert.Throws<ArgumentOutOfRangeException>("buckets", () => new HashedLinear<float>(10, 10, 101, hash));
        Assert.Throws<ArgumentOutOfRangeException>("inputs", () => new HashedLinear<float>(0, 10, 1, hash));
        Assert.Throws<ArgumentOutOfRangeException>("outputs", () => new HashedLinear<float>(10, 0, 1, hash));
        Assert.Throws<ArgumentNullException>("hash", () => new HashedLinear<float>(10, 10, 5, null!));
        // Keys i·inputs + j must fit the family: 2³¹ − 1 keys over the 2³¹ − 1 field, 2³² for multiply-shift.
        Assert.Throws<ArgumentException>("hash", () => new HashedLinear<float>(50_000, 50_000, 10, new PolynomialHash(4, 1, 1)));
        Assert.Throws<ArgumentException>("hash", () => new HashedLinear<float>(70_000, 70_000, 10, hash));
        _ = new HashedLinear<float>(65_536, 65_536, 10, hash);
        Assert.Throws<NotSupportedException>(() => new HashedLinear<Half>(2, 2, 1, hash));
        var layer = new HashedLinear<float>(3, 4, 5, hash);
        Assert.Throws<ArgumentOutOfRangeException>("bound", () => layer.InitializeUniform(float.NaN, 1));
        Assert.Throws<ArgumentOutOfRangeException>("bound", () => layer.InitializeUniform(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>("output", () => layer.VirtualWeight(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>("input", () => layer.VirtualWeight(0, -1));
    }

    [Fact]
    public void Hashed_layer_passes_reject_mismatched_shapes_and_leave_outputs_alone()
    {
        var layer = new HashedLinear<double>(5, 3, 4, new MultiplyShift(1, 1));
        layer.InitializeUniform(1, 2);
        var noBias = new HashedLinear<double>(5, 3, 4, new MultiplyShift(1, 1), bias: false);
        var data = new double[64];
        var output = new double[64];
        Array.Fill(output, 7.0);
        var grad = new double[8];
        Array.Fill(grad, 7.0);

        Assert.Throws<ArgumentException>("input", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 4), new MatrixView<double>(output, 2, 3)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 3, 3)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 2, 4)));
        Assert.Throws<ArgumentException>("output", () => layer.Forward(new ReadOnlyMatrixView<double>(output, 2, 5), new MatrixView<double>(output.AsSpan(3), 2, 3)));
        Assert.Throws<ArgumentException>("outputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 4), new MatrixView<double>(output, 2, 5), 0.0));
        Assert.Throws<ArgumentException>("inputGradient", () => layer.BackwardInput(new ReadOnlyMatrixView<double>(data, 2, 3), new MatrixView<double>(output, 1, 5), 0.0));
        Assert.Throws<ArgumentException>("outputGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 3, 3), grad.AsSpan(0, 4), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 3), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 4), grad.AsSpan(4, 2), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => noBias.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 4), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("weightGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), data.AsSpan(0, 4), grad.AsSpan(4, 3), 0.0));
        Assert.Throws<ArgumentException>("biasGradient", () => layer.BackwardParameters(new ReadOnlyMatrixView<double>(data, 2, 5), new ReadOnlyMatrixView<double>(data, 2, 3), grad.AsSpan(0, 4), grad.AsSpan(2, 3), 0.0));
        Assert.Throws<ArgumentException>("destination", () => layer.CopyVirtualMatrix(new MatrixView<double>(output, 5, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.Forward(new ReadOnlyMatrixView<double>(data, 2, 5), new MatrixView<double>(output, 2, 3), new BlasOptions { MaxThreads = 0 }));
        Assert.All(output, v => Assert.Equal(7.0, v));
        Assert.All(grad, v => Assert.Equal(7.0, v));
    }

    [Fact]
    public void Passes_do_not_allocate()
    {
        var hashed = new HashedLinear<float>(300, 200, 900, new MultiplyShift(3, 4));
        hashed.InitializeUniform(0.1f, 1);
        float[] x = SampleData.Matrix<float>(16, 300, 1), dy = SampleData.Matrix<float>(16, 200, 2);
        float[] y = new float[16 * 200], dx = new float[16 * 300], dw = new float[900], db = new float[200];
        BlasOptions one = BlasOptions.SingleThreaded;
        // Scratch comes from the array pool, which a gen-2 collection (tests run in parallel) may trim; the best of three counts.
        long allocated = Enumerable.Range(0, 3).Min(_ => Allocation.Measure(() =>
        {
            hashed.Forward(new ReadOnlyMatrixView<float>(x, 16, 300), new MatrixView<float>(y, 16, 200), one);
            hashed.BackwardInput(new ReadOnlyMatrixView<float>(dy, 16, 200), new MatrixView<float>(dx, 16, 300), 0f, one);
            hashed.BackwardParameters(new ReadOnlyMatrixView<float>(x, 16, 300), new ReadOnlyMatrixView<float>(dy, 16, 200), dw, db, 0f, one);
        }));
        Assert.Equal(0, allocated);
    }
}
