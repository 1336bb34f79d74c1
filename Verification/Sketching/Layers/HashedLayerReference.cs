using System.Numerics;
using Kernels.Sketching.Layers;

namespace Kernels.Verification.Sketching.Layers;

/// <summary>
/// A HashedNets layer evaluated the slow, obvious way in double: materialize V from the definition
/// (<see cref="HashedLinear{T}.VirtualWeight"/>, one BucketAndSign call per entry), multiply with plain loops, and
/// scatter the dense virtual gradient dYᵀX into the buckets entry by entry. Every value comes with the magnitude
/// (sum of absolute terms) and term count that <see cref="Tolerance"/> needs.
/// </summary>
public static class HashedLayerReference
{
    /// <summary>V (outputs × inputs) from the definition, and the bucket of every entry.</summary>
    public static (double[] V, int[] Bucket) Virtual<T>(HashedLinear<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layer.Inputs, m = layer.Outputs;
        var v = new double[m * n];
        var bucket = new int[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                uint key = (uint)(i * n + j);
                v[i * n + j] = double.CreateChecked(layer.VirtualWeight(i, j));
                bucket[i * n + j] = layer.Signed ? layer.Hash.BucketAndSign(key, layer.Buckets).Bucket : layer.Hash.Bucket(key, layer.Buckets);
            }
        }
        return (v, bucket);
    }

    /// <summary>The sign ξ(i, j) of every entry (all +1 without a sign hash).</summary>
    public static int[] Signs<T>(HashedLinear<T> layer) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layer.Inputs, m = layer.Outputs;
        var signs = new int[m * n];
        for (int k = 0; k < signs.Length; k++)
        {
            signs[k] = layer.Signed ? layer.Hash.BucketAndSign((uint)k, layer.Buckets).Sign : 1;
        }
        return signs;
    }

    /// <summary>Y = X·Vᵀ + bias with magnitudes.</summary>
    public static (double[] Value, double[] Magnitude) Forward<T>(HashedLinear<T> layer, double[] v, T[] x, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layer.Inputs, m = layer.Outputs;
        var y = new double[batch * m];
        var magnitude = new double[batch * m];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < m; i++)
            {
                double bias = layer.HasBias ? double.CreateChecked(layer.Bias[i]) : 0;
                double sum = bias, abs = Math.Abs(bias);
                for (int j = 0; j < n; j++)
                {
                    double term = double.CreateChecked(x[b * n + j]) * v[i * n + j];
                    sum += term;
                    abs += Math.Abs(term);
                }
                y[b * m + i] = sum;
                magnitude[b * m + i] = abs;
            }
        }
        return (y, magnitude);
    }

    /// <summary>dX = dY·V with magnitudes.</summary>
    public static (double[] Value, double[] Magnitude) BackwardInput<T>(HashedLinear<T> layer, double[] v, T[] dy, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = layer.Inputs, m = layer.Outputs;
        var dx = new double[batch * n];
        var magnitude = new double[batch * n];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int i = 0; i < m; i++)
                {
                    double term = double.CreateChecked(dy[b * m + i]) * v[i * n + j];
                    sum += term;
                    abs += Math.Abs(term);
                }
                dx[b * n + j] = sum;
                magnitude[b * n + j] = abs;
            }
        }
        return (dx, magnitude);
    }

    /// <summary>The dense virtual gradient G = dYᵀX (outputs × inputs) with magnitudes.</summary>
    public static (double[] Value, double[] Magnitude) VirtualGradient<T>(int inputs, int outputs, T[] x, T[] dy, int batch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new double[outputs * inputs];
        var magnitude = new double[outputs * inputs];
        for (int i = 0; i < outputs; i++)
        {
            for (int j = 0; j < inputs; j++)
            {
                double sum = 0, abs = 0;
                for (int b = 0; b < batch; b++)
                {
                    double term = double.CreateChecked(dy[b * outputs + i]) * double.CreateChecked(x[b * inputs + j]);
                    sum += term;
                    abs += Math.Abs(term);
                }
                g[i * inputs + j] = sum;
                magnitude[i * inputs + j] = abs;
            }
        }
        return (g, magnitude);
    }

    /// <summary>∂L/∂w_k = Σ over h(i, j) = k of ξ(i, j)·G[i, j], the scatter of G, with magnitudes and the entry count of every bucket.</summary>
    public static (double[] Value, double[] Magnitude, int[] Count) ScatterIntoBuckets(int buckets, int[] bucket, int[] signs, double[] g, double[] gMagnitude)
    {
        var w = new double[buckets];
        var magnitude = new double[buckets];
        var count = new int[buckets];
        for (int k = 0; k < g.Length; k++)
        {
            w[bucket[k]] += signs[k] * g[k];
            magnitude[bucket[k]] += gMagnitude[k];
            count[bucket[k]]++;
        }
        return (w, magnitude, count);
    }
}
