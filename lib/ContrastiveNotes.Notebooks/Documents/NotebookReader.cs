using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// Reads .ipynb files (nbformat 4.x). Sources and multiline outputs may be strings or lists of
/// lines, as nbformat allows; both become plain strings in the model.
/// </summary>
public static class NotebookReader
{
    /// <summary>Reads and parses a notebook file.</summary>
    /// <exception cref="NotebookFormatException">The file is not valid JSON or not nbformat 4.</exception>
    public static NotebookDocument Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Notebook '{path}' does not exist. Pass the path of an existing .ipynb file or a folder holding some.", path);
        }

        var document = Parse(File.ReadAllText(path), path);
        document.Path = Path.GetFullPath(path);
        return document;
    }

    /// <summary>Parses notebook JSON text; <paramref name="origin"/> names it in error messages.</summary>
    public static NotebookDocument Parse(string json, string origin = "notebook")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException($"{origin}: not valid JSON ({e.Message}). Open it in an editor and fix the JSON, or restore it from git.");
        }

        if (root is not JsonObject obj || obj["cells"] is not JsonArray cells)
        {
            throw new NotebookFormatException($"{origin}: expected an nbformat 4 notebook (a JSON object with a 'cells' array), found {root?.GetValueKind().ToString() ?? "null"} without 'cells'.");
        }

        var nbformat = obj["nbformat"]?.GetValue<int>() ?? 0;
        if (nbformat != 4)
        {
            throw new NotebookFormatException($"{origin}: expected nbformat 4, found {nbformat}. Convert it with 'jupyter nbconvert --to notebook' first.");
        }

        var document = new NotebookDocument
        {
            Metadata = (obj["metadata"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject(),
            Nbformat = nbformat,
            NbformatMinor = obj["nbformat_minor"]?.GetValue<int>() ?? 0,
        };

        var ids = new HashSet<string>();
        foreach (var node in cells)
        {
            var cell = ReadCell(node as JsonObject ?? throw new NotebookFormatException($"{origin}: a cell is not a JSON object."));
            if (!ids.Add(cell.Id))
            {
                cell.Id = NotebookCell.NewId();
                ids.Add(cell.Id);
            }

            document.Cells.Add(cell);
        }

        return document;
    }

    private static NotebookCell ReadCell(JsonObject node)
    {
        var type = node["cell_type"]?.GetValue<string>() ?? "code";
        var id = node["id"]?.GetValue<string>();
        var cell = new NotebookCell(type, JoinMultiline(node["source"]), string.IsNullOrEmpty(id) ? null : id)
        {
            Metadata = node["metadata"]?.DeepClone() as JsonObject ?? new JsonObject(),
            Attachments = node["attachments"]?.DeepClone() as JsonObject,
        };

        if (node["execution_count"] is JsonValue count && count.TryGetValue<int>(out var n))
        {
            cell.ExecutionCount = n;
        }

        if (node["outputs"] is JsonArray outputs)
        {
            cell.Outputs.AddRange(outputs.OfType<JsonObject>().Select(o => (JsonObject)o.DeepClone()));
        }

        return cell;
    }

    /// <summary>Joins an nbformat multiline string (string or list of strings).</summary>
    public static string JoinMultiline(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => "",
    };
}
