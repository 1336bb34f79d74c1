using Kernels.Blas;
using Kernels.Sketching.Hashing;
using Kernels.Sketching.Operators;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Sketching.Operators;

/// <summary>The hot paths — batch hashing and every product of every operator — allocate nothing on one thread.</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Batch_hashing_does_not_allocate()
    {
        uint[] keys = Enumerable.Range(0, 1000).Select(i => (uint)i).ToArray();
        int[] buckets = new int[1000], signs = new int[1000];
        IHashFunction[] functions = Enum.GetValues<HashFamily>().Select(f => HashCase.Draw(f, 1, 2)).ToArray();
        long allocated = Allocation.Measure(() =>
        {
            foreach (IHashFunction f in functions)
            {
                f.Buckets(keys, 77, buckets);
                f.Signs(keys, signs);
                f.BucketsAndSigns(keys, 77, buckets, signs);
            }
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Products_do_not_allocate()
    {
        const int s = 20, n = 700, d = 30;
        float[] x = SampleData.Vector<float>(n, ValueKind.Uniform, 1).ToArray(), sx = new float[s], y = new float[s], sty = new float[n];
        float[] a = SampleData.Matrix<float>(n, d, 2), sa = new float[s * d], ys = SampleData.Matrix<float>(s, d, 3), stys = new float[n * d];
        var (csr, _) = new CsrCase(n, d, 5, ValueKind.Uniform, 4).Build<float>();
        var source = new OpaqueMap<float>(a, n, d);
        foreach (SketchKind kind in Enum.GetValues<SketchKind>())
        {
            ISketch<float> sketch = SketchCase.Of(kind, s, n).Sample<float>(9);
            // Scratch comes from ArrayPool, which may drop its arrays when a gen-2 collection (caused by tests running in
            // parallel) trims it; the steady state is what matters, so the best of three measurements counts.
            long allocated = Enumerable.Range(0, 3).Min(_ => Allocation.Measure(() =>
            {
                sketch.Apply(x, sx);
                sketch.ApplyTranspose(y, sty);
                sketch.Apply(new ReadOnlyMatrixView<float>(a, n, d), new MatrixView<float>(sa, s, d), BlasOptions.SingleThreaded);
                sketch.Apply(csr, new MatrixView<float>(sa, s, d));
                sketch.Apply(source, new MatrixView<float>(sa, s, d), BlasOptions.SingleThreaded);
                sketch.ApplyTranspose(new ReadOnlyMatrixView<float>(ys, s, d), new MatrixView<float>(stys, n, d));
            }));
            Assert.True(allocated == 0, $"{kind}: {allocated} bytes allocated.");
        }
    }
}
