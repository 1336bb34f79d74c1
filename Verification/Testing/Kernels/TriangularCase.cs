using Kernels.Blas;
using Kernels.Linalg;

namespace Kernels.Testing;

/// <summary>
/// A generated triangular solve: an <see cref="Order"/> × <see cref="Order"/> triangle (diagonal in [1, 2] with
/// random signs, off-diagonal uniform in [−1, 1]/√Order, so the solution stays moderate) and <see cref="Count"/>
/// right-hand sides on the given side, every operand stored with <see cref="ExtraStride"/> spare columns.
/// </summary>
public sealed record TriangularCase(int Order, int Count, Side Side, Triangle Triangle, Transpose Transpose, Diagonal Diagonal, int ExtraStride, int Seed)
{
    /// <summary>The triangle as stored: the unused triangle (and a unit diagonal) hold NaN, so reading them shows.</summary>
    public T[] StoredTriangle<T>() where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new System.Random(Seed);
        int stride = Order + ExtraStride;
        var data = new T[Order == 0 ? 0 : (Order - 1) * stride + Order];
        Array.Fill(data, T.NaN);
        double scale = 1 / Math.Sqrt(Math.Max(Order, 1));
        for (int i = 0; i < Order; i++)
        {
            for (int j = 0; j < Order; j++)
            {
                bool inTriangle = Triangle == Triangle.Lower ? j < i : j > i;
                if (inTriangle)
                {
                    data[i * stride + j] = T.CreateChecked((random.NextDouble() * 2 - 1) * scale);
                }
                else if (i == j && Diagonal == Diagonal.NonUnit)
                {
                    data[i * stride + j] = T.CreateChecked((1 + random.NextDouble()) * (random.Next(2) == 0 ? 1 : -1));
                }
            }
        }
        return data;
    }

    /// <summary>Rows and columns of B: Order × Count on the left, Count × Order on the right.</summary>
    public (int Rows, int Columns) ShapeOfB => Side == Side.Left ? (Order, Count) : (Count, Order);

    /// <inheritdoc/>
    public override string ToString() => $"TriangularCase(order {Order}, {Count} rhs, {Side}/{Triangle}/{Transpose}/{Diagonal}, stride +{ExtraStride}, seed={Seed})";
}
