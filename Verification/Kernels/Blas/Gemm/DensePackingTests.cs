using System.Numerics;
using Kernels.Blas;
using Kernels.Verification.Infrastructure;

namespace Kernels.Verification.Kernels.Blas;

/// <summary>
/// The dense packs (through <see cref="DenseMatrixSource{T}"/>) against the panel layouts <see cref="IPanelSource{T}"/>
/// defines, bit for bit: both orientations of the stored matrix (memory copy and register transpose), padded strides,
/// blocks at any offset, every micro-panel width of the four kernels and odd ones, and zeroed lanes past the block.
/// </summary>
public sealed class DensePackingTests
{
    private static readonly int[] PanelWidths = [4, 5, 6, 8, 12, 16, 32];

    [KernelProperty(MaxTest = 100)]
    public void Packs_follow_the_panel_layouts(ulong seed)
    {
        var random = new Random((int)(seed % int.MaxValue));
        Check<float>(random);
        Check<double>(random);
    }

    private static void Check<T>(Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int storedRows = random.Next(1, 40), storedColumns = random.Next(1, 40), stride = storedColumns + random.Next(0, 4);
        var transpose = (Transpose)random.Next(2);
        var data = new T[(storedRows - 1) * stride + storedColumns];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = T.CreateChecked(i + 1);
        }
        var source = new DenseMatrixSource<T>(data, storedRows, storedColumns, stride, transpose);
        T Element(int r, int c) => transpose == Transpose.None ? data[r * stride + c] : data[c * stride + r];

        int row = random.Next(source.Rows), rowCount = random.Next(1, source.Rows - row + 1);
        int column = random.Next(source.Columns), columnCount = random.Next(1, source.Columns - column + 1);
        int panel = PanelWidths[random.Next(PanelWidths.Length)];
        string name = $"{typeof(T).Name} {storedRows}×{storedColumns} stride {stride} {transpose}, block ({row}, {column}) {rowCount}×{columnCount}, panel {panel}";

        int rowPanels = (rowCount + panel - 1) / panel;
        var packed = new T[rowPanels * panel * columnCount];
        Array.Fill(packed, T.NaN);
        source.PackRowPanels(row, rowCount, column, columnCount, panel, packed);
        for (int p = 0; p < rowPanels; p++)
        {
            for (int c = 0; c < columnCount; c++)
            {
                for (int r = 0; r < panel; r++)
                {
                    int i = p * panel + r;
                    T expected = i < rowCount ? Element(row + i, column + c) : T.Zero;
                    Tolerance.AssertIdentical(expected, packed[p * panel * columnCount + c * panel + r], $"{name}: row panel {p}, ({r}, {c})");
                }
            }
        }

        int columnPanels = (columnCount + panel - 1) / panel;
        packed = new T[columnPanels * panel * rowCount];
        Array.Fill(packed, T.NaN);
        source.PackColumnPanels(row, rowCount, column, columnCount, panel, packed);
        for (int p = 0; p < columnPanels; p++)
        {
            for (int r = 0; r < rowCount; r++)
            {
                for (int c = 0; c < panel; c++)
                {
                    int j = p * panel + c;
                    T expected = j < columnCount ? Element(row + r, column + j) : T.Zero;
                    Tolerance.AssertIdentical(expected, packed[p * panel * rowCount + r * panel + c], $"{name}: column panel {p}, ({r}, {c})");
                }
            }
        }
    }
}
