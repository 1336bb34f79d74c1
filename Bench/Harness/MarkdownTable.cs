using Spectre.Console;

namespace Kernels.Bench.Harness;

/// <summary>A results table rendered twice from the same rows: to the console (Spectre) and to markdown (results files).</summary>
public sealed class MarkdownTable(params string[] columns)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length)
        {
            throw new ArgumentException($"Row has {cells.Length} cells; the table has {columns.Length} columns.", nameof(cells));
        }
        _rows.Add(cells);
    }

    /// <summary>The table as GitHub markdown.</summary>
    public string ToMarkdown()
    {
        var lines = new List<string>
        {
            "| " + string.Join(" | ", columns) + " |",
            "|" + string.Concat(columns.Select(_ => "---|")),
        };
        lines.AddRange(_rows.Select(r => "| " + string.Join(" | ", r) + " |"));
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Writes the table to the console.</summary>
    public void Render()
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string column in columns)
        {
            table.AddColumn(Markup.Escape(column));
        }
        foreach (string[] row in _rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
    }
}
