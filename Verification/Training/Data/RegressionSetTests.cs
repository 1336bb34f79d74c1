using Kernels.Blas;
using Kernels.Training.Data;

namespace Kernels.Verification.Training.Data;

public sealed class RegressionSetTests
{
    [Fact]
    public void RejectsRowsThatAreNotUnitNormNamingTheNormalizer()
    {
        var error = Assert.Throws<ArgumentException>(() => new RegressionSet(new ReadOnlyMatrixView<float>([3f, 4f], 1, 2), [1f]));
        Assert.Equal("inputs", error.ParamName);
        Assert.Contains("RowNormalization.Normalize", error.Message);
    }

    [Fact]
    public void NormalizedRowsAreAccepted()
    {
        var x = new float[] { 3, 4, 0, -2 };
        RowNormalization.Normalize(new MatrixView<float>(x, 2, 2));
        var set = new RegressionSet(new ReadOnlyMatrixView<float>(x, 2, 2), [1f, 2f]);
        Assert.Equal(0.6f, set.Inputs.Row(0)[0], 6);
        Assert.Equal(-1f, set.Inputs.Row(1)[1]);
        Assert.Equal(2, set.Count);
        Assert.Equal(2, set.Dimension);
    }

    [Fact]
    public void BadShapesAndValuesThrow()
    {
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new RegressionSet(new ReadOnlyMatrixView<float>([1f, 0f], 1, 2), [1f, 2f])).ParamName);
        Assert.Equal("labels", Assert.Throws<ArgumentException>(() => new RegressionSet(new ReadOnlyMatrixView<float>([1f, 0f], 1, 2), [float.NaN])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new RegressionSet(new ReadOnlyMatrixView<float>([float.NaN, 0f], 1, 2), [1f])).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new RegressionSet(new ReadOnlyMatrixView<float>([], 0, 2), [])).ParamName);
        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => RowNormalization.Normalize(new MatrixView<float>(new float[4], 2, 2))).ParamName);
    }

    [Fact]
    public void SyntheticSetsAreSeededUnitNormAndScaled()
    {
        foreach (var target in new[] { SyntheticTarget.Teacher, SyntheticTarget.Smooth })
        {
            var a = SyntheticRegression.Sphere(50, 9, 3, target, labelScale: 2f);
            var b = SyntheticRegression.Sphere(50, 9, 3, target, labelScale: 2f);
            Assert.True(a.Inputs.Data.SequenceEqual(b.Inputs.Data));
            Assert.True(a.Labels.SequenceEqual(b.Labels));
            double squares = 0;
            foreach (float y in a.Labels)
            {
                squares += y * y;
            }
            Assert.Equal(2.0, Math.Sqrt(squares / 50), 4);
        }
        Assert.Equal("target", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticRegression.Sphere(5, 3, 1, (SyntheticTarget)9)).ParamName);
        Assert.Equal("labelScale", Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticRegression.Sphere(5, 3, 1, labelScale: 0)).ParamName);
    }
}
