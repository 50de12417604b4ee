using ContrastiveNotes.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// Writes notebooks as nbformat 4.5 JSON the way Jupyter and VS Code do (one-space indent, sources
/// as lists of lines each ending in '\n' but the last), atomically (temp file + rename).
/// </summary>
/// <remarks>
/// Why not <c>Microsoft.DotNet.Interactive.Documents</c> (<c>Notebook.Parse</c> / <c>Notebook.Write</c>, 1.0.0-beta.26120.1)?
/// It keeps cell ids, sources and cell metadata of the course notebooks, but a round trip is not faithful: it adds a
/// notebook-level <c>kernelInfo</c>, drops cell <c>attachments</c> (pasted images in markdown), turns raw cells into
/// code cells, splits <c>image/png</c> data into line lists, and <c>ToJupyterJson</c> throws on a document it parsed
/// itself (<c>InvalidCastException</c>). Notebooks students hand in may carry any of these, and the tool must never
/// change a notebook it only runs, strips or grades. <c>DocumentRoundTripTests</c> checks both claims.
/// </remarks>
public static class NotebookWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Serializes a notebook to nbformat 4.5 JSON text.</summary>
    public static string Serialize(NotebookDocument document)
    {
        var cells = new JsonArray();
        foreach (var cell in document.Cells)
        {
            cells.Add(WriteCell(cell));
        }

        var root = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = document.Metadata.DeepClone(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        return root.ToJsonString(Options) + "\n";
    }

    /// <summary>Writes a notebook atomically: a temp file in the same folder, then a rename.</summary>
    public static void Write(NotebookDocument document, string path) =>
        AtomicFile.WriteAllText(path, Serialize(document));

    private static JsonObject WriteCell(NotebookCell cell)
    {
        var node = new JsonObject
        {
            ["cell_type"] = cell.CellType,
            ["id"] = cell.Id,
            ["metadata"] = cell.Metadata.DeepClone(),
            ["source"] = SplitLines(cell.Source),
        };

        if (cell.IsCode)
        {
            node["execution_count"] = cell.ExecutionCount;
            var outputs = new JsonArray();
            foreach (var output in cell.Outputs)
            {
                outputs.Add(output.DeepClone());
            }

            node["outputs"] = outputs;
        }
        else if (cell.Attachments is not null)
        {
            node["attachments"] = cell.Attachments.DeepClone();
        }

        return node;
    }

    /// <summary>nbformat multiline string: each line keeps its '\n', the last has none.</summary>
    public static JsonArray SplitLines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                array.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            array.Add(text[start..]);
        }

        return array;
    }
}
