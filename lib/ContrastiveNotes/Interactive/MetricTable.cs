using System.Globalization;
using System.Net;
using System.Text;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// A small titled table of results (e.g. method × kNN accuracy × linear-probe accuracy) that renders as an HTML table
/// in a notebook and as aligned text elsewhere. Numbers are formatted with invariant culture to four significant digits.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource<MetricTable>))]
public sealed class MetricTable : IHtmlDisplay
{
    private readonly List<string[]> _rows = new();

    /// <summary>Creates an empty table with a title and column headers.</summary>
    public MetricTable(string title, params string[] columns)
    {
        if (string.IsNullOrWhiteSpace(title)) throw new ArgumentException("Expected a non-empty table title.", nameof(title));
        if (columns is null || columns.Length == 0) throw new ArgumentException("Expected at least one column header.", nameof(columns));
        Title = title;
        Columns = columns;
    }

    /// <summary>The table's caption.</summary>
    public string Title { get; }

    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Formatted cells, row by row.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => _rows;

    /// <summary>Appends a row with one cell per column; returns the table so calls can be chained.</summary>
    public MetricTable AddRow(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count)
            throw new ArgumentException($"Expected {Columns.Count} cells ({string.Join(", ", Columns)}), found {cells.Length}.", nameof(cells));
        _rows.Add(cells.Select(Format).ToArray());
        return this;
    }

    /// <summary>An HTML table with the title as caption.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder("<table class=\"contrastive-metrics\">");
        html.Append("<caption style=\"font-weight:bold;text-align:left\">").Append(WebUtility.HtmlEncode(Title)).Append("</caption><thead><tr>");
        foreach (var column in Columns) html.Append("<th>").Append(WebUtility.HtmlEncode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var widths = Columns.Select((c, i) => Math.Max(c.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder(Title).AppendLine();
        text.AppendLine(string.Join("  ", Columns.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        foreach (var row in _rows) text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        return text.ToString().TrimEnd();
    }

    private static string Format(object? cell) => cell switch
    {
        null => "",
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        float f => f.ToString("G4", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
