using System.Numerics;
using Kernels.Blas;
using Kernels.Randomness;

namespace Kernels.Sketching.Operators;

/// <summary>
/// A Gaussian sketch S (or its transpose) as a Gemm operand whose panels are generated on the fly from the counter
/// generator, so that S is never stored: entry S[i, j] is value i·N + j of the operator's normal sequence (see
/// <see cref="GaussianSketch{T}"/>) with standard deviation 1/√s, wherever and however often it is packed.
/// </summary>
/// <remarks>Runs of a row of S are contiguous in the sequence, so a panel is filled one row segment of S at a time,
/// at most <see cref="Segment"/> values per fill, and scattered into the panel layout.</remarks>
internal readonly struct GaussianPanels<T> : IPanelSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Segment = 256;

    private readonly CounterRandom _random;
    private readonly T _deviation;
    private readonly int _sketchColumns;
    private readonly int _firstColumn;
    private readonly bool _transposed;

    /// <summary>
    /// The logical matrix is S[:, firstColumn … firstColumn + columns − 1] (<paramref name="transposed"/> false) or its
    /// transpose, for an s × N sketch (<paramref name="sketchRows"/> × <paramref name="sketchColumns"/>).
    /// </summary>
    public GaussianPanels(CounterRandom random, T deviation, int sketchRows, int sketchColumns, int firstColumn, int columns, bool transposed)
    {
        _random = random;
        _deviation = deviation;
        _sketchColumns = sketchColumns;
        _firstColumn = firstColumn;
        _transposed = transposed;
        (Rows, Columns) = transposed ? (columns, sketchRows) : (sketchRows, columns);
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>Writes S[i, j … j + values.Length − 1] (columns relative to the whole sketch).</summary>
    public void FillRow(int i, int j, Span<T> values) => _random.FillNormal(values, T.Zero, _deviation, (long)i * _sketchColumns + j);

    public void PackRowPanels(int row, int rowCount, int column, int columnCount, int panelRows, Span<T> destination)
    {
        // Logical M[row + r, column + c] goes to panel ⌊r / panelRows⌋ at c·panelRows + r mod panelRows.
        int panels = (rowCount + panelRows - 1) / panelRows;
        destination[..(panels * panelRows * columnCount)].Clear();
        Pack(row, rowCount, column, columnCount, destination, new PanelLayout(panelRows, columnCount, rowPanels: true));
    }

    public void PackColumnPanels(int row, int rowCount, int column, int columnCount, int panelColumns, Span<T> destination)
    {
        // Logical M[row + r, column + c] goes to panel ⌊c / panelColumns⌋ at r·panelColumns + c mod panelColumns.
        int panels = (columnCount + panelColumns - 1) / panelColumns;
        destination[..(panels * panelColumns * rowCount)].Clear();
        Pack(row, rowCount, column, columnCount, destination, new PanelLayout(panelColumns, rowCount, rowPanels: false));
    }

    /// <summary>Generates the logical block M[row …, column …] one segment of a row of S at a time and places each value.</summary>
    private void Pack(int row, int rowCount, int column, int columnCount, Span<T> destination, PanelLayout layout)
    {
        Span<T> segment = stackalloc T[Segment];
        // Along a row of S: logical columns when not transposed, logical rows when transposed.
        int sketchRows = _transposed ? columnCount : rowCount, along = _transposed ? rowCount : columnCount;
        int sketchRow0 = _transposed ? column : row, along0 = (_transposed ? row : column) + _firstColumn;
        for (int i = 0; i < sketchRows; i++)
        {
            for (int k0 = 0; k0 < along; k0 += Segment)
            {
                int n = Math.Min(Segment, along - k0);
                FillRow(sketchRow0 + i, along0 + k0, segment[..n]);
                for (int k = 0; k < n; k++)
                {
                    destination[_transposed ? layout.Position(k0 + k, i) : layout.Position(i, k0 + k)] = segment[k];
                }
            }
        }
    }

    /// <summary>Where logical element (r, c) of a packed block goes: the two layouts of <see cref="IPanelSource{T}"/>.</summary>
    private readonly struct PanelLayout(int panel, int otherExtent, bool rowPanels)
    {
        public int Position(int r, int c) => rowPanels
            ? r / panel * panel * otherExtent + c * panel + r % panel
            : c / panel * panel * otherExtent + r * panel + c % panel;
    }
}
