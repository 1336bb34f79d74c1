using System.Numerics;

namespace Kernels.Testing;

/// <summary>
/// A generated point set on the unit sphere: <see cref="Count"/> points in R^<see cref="Dimension"/>
/// (<see cref="TestMatrices.UnitSphere"/>), the data of Johnson–Lindenstrauss and norm-preservation properties.
/// </summary>
public sealed record SphereCase(int Dimension, int Count, int Seed)
{
    /// <summary>The points as the columns of a <see cref="Dimension"/> × <see cref="Count"/> row-major matrix.</summary>
    public T[] Points<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Array.ConvertAll(TestMatrices.UnitSphere(Dimension, Count, Seed), T.CreateChecked);

    /// <inheritdoc/>
    public override string ToString() => $"SphereCase({Count} points in R^{Dimension}, seed={Seed})";
}
