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

        var nbformat = Integer(obj["nbformat"], "nbformat", origin) ?? 0;
        if (nbformat != 4)
        {
            throw new NotebookFormatException($"{origin}: expected nbformat 4, found {nbformat}. Convert it with 'jupyter nbconvert --to notebook' first.");
        }

        var document = new NotebookDocument
        {
            Metadata = (Object(obj["metadata"], "metadata", origin)?.DeepClone() as JsonObject) ?? new JsonObject(),
            Nbformat = nbformat,
            NbformatMinor = Integer(obj["nbformat_minor"], "nbformat_minor", origin) ?? 0,
        };

        var ids = new HashSet<string>();
        for (var i = 0; i < cells.Count; i++)
        {
            var where = $"cells[{i}]";
            var cell = ReadCell(cells[i] as JsonObject ?? throw Wrong(origin, where, "a JSON object", cells[i]), origin, where);
            if (!ids.Add(cell.Id))
            {
                cell.Id = NotebookCell.NewId();
                ids.Add(cell.Id);
            }

            document.Cells.Add(cell);
        }

        return document;
    }

    private static NotebookCell ReadCell(JsonObject node, string origin, string where)
    {
        var type = Text(node["cell_type"], $"{where}.cell_type", origin) ?? "code";
        var id = Text(node["id"], $"{where}.id", origin);
        var metadata = Object(node["metadata"], $"{where}.metadata", origin);
        if (metadata is not null)
        {
            CheckMetadata(metadata, origin, $"{where}.metadata");
        }

        var cell = new NotebookCell(type, Multiline(node["source"], $"{where}.source", origin), string.IsNullOrEmpty(id) ? null : id)
        {
            Metadata = metadata?.DeepClone() as JsonObject ?? new JsonObject(),
            Attachments = Object(node["attachments"], $"{where}.attachments", origin)?.DeepClone() as JsonObject,
        };

        if (node["execution_count"] is JsonValue count && count.TryGetValue<int>(out var n))
        {
            cell.ExecutionCount = n;
        }

        if (node["outputs"] is { } outputs)
        {
            if (outputs is not JsonArray list || list.Any(o => o is not JsonObject))
            {
                throw Wrong(origin, $"{where}.outputs", "an array of output objects", outputs);
            }

            cell.Outputs.AddRange(list.Select(o => (JsonObject)o!.DeepClone()));
        }

        return cell;
    }

    /// <summary>The metadata fields the tool reads (tags, nbgrader) must have their nbformat / nbgrader types.</summary>
    private static void CheckMetadata(JsonObject metadata, string origin, string where)
    {
        if (metadata["tags"] is { } tags && (tags is not JsonArray list || list.Any(t => t is not JsonValue v || v.GetValueKind() != JsonValueKind.String)))
        {
            throw Wrong(origin, $"{where}.tags", "an array of strings", tags);
        }

        if (metadata["nbgrader"] is not { } nbgrader)
        {
            return;
        }

        if (nbgrader is not JsonObject fields)
        {
            throw Wrong(origin, $"{where}.nbgrader", "an object", nbgrader);
        }

        Text(fields["grade_id"], $"{where}.nbgrader.grade_id", origin);
        foreach (var flag in new[] { "grade", "solution", "locked" })
        {
            if (fields[flag] is { } value && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw Wrong(origin, $"{where}.nbgrader.{flag}", "true or false", value);
            }
        }

        if (fields["points"] is { } points && (points.GetValueKind() != JsonValueKind.Number || !double.IsFinite(points.GetValue<double>()) || points.GetValue<double>() < 0))
        {
            throw Wrong(origin, $"{where}.nbgrader.points", "a number of points ≥ 0", points);
        }
    }

    private static string? Text(JsonNode? node, string where, string origin) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => throw Wrong(origin, where, "a string", node),
    };

    private static int? Integer(JsonNode? node, string where, string origin) => node switch
    {
        null => null,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var n) => n,
        _ => throw Wrong(origin, where, "an integer", node),
    };

    private static JsonObject? Object(JsonNode? node, string where, string origin) => node switch
    {
        null => null,
        JsonObject o => o,
        _ => throw Wrong(origin, where, "an object", node),
    };

    private static string Multiline(JsonNode? node, string where, string origin) => node switch
    {
        null => "",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonArray lines when lines.All(l => l is JsonValue v && v.GetValueKind() == JsonValueKind.String) => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => throw Wrong(origin, where, "a string or an array of strings", node),
    };

    private static NotebookFormatException Wrong(string origin, string where, string expected, JsonNode? found)
    {
        var text = found?.ToJsonString() ?? "null";
        var kind = found?.GetValueKind().ToString().ToLowerInvariant() ?? "null";
        return new NotebookFormatException($"{origin}: '{where}' must be {expected}, found {kind} {(text.Length > 40 ? text[..40] + "…" : text)}. Fix that field in an editor (or restore the notebook from the version you were given).");
    }

    /// <summary>Joins an nbformat multiline string (string or list of strings).</summary>
    public static string JoinMultiline(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => "",
    };
}
