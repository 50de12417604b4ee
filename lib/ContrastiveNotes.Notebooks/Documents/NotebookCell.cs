using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// One nbformat 4.5 cell. Unknown fields of the cell's metadata are kept as JSON so that
/// reading and writing a notebook never loses what VS Code or nbgrader stored there.
/// </summary>
public sealed class NotebookCell
{
    /// <summary>Creates a cell of the given nbformat type (<c>code</c>, <c>markdown</c> or <c>raw</c>).</summary>
    public NotebookCell(string cellType, string source, string? id = null)
    {
        CellType = cellType;
        Source = source;
        Id = id ?? NewId();
    }

    /// <summary>The nbformat 4.5 cell id (1-64 characters of letters, digits, '-' and '_').</summary>
    public string Id { get; set; }

    /// <summary><c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public string CellType { get; set; }

    /// <summary>The cell's text with '\n' line ends.</summary>
    public string Source { get; set; }

    /// <summary>The cell metadata object (kept verbatim).</summary>
    public JsonObject Metadata { get; set; } = new();

    /// <summary>nbformat outputs of a code cell (stream, display_data, execute_result, error).</summary>
    public List<JsonObject> Outputs { get; } = new();

    /// <summary>The execution counter of a code cell, null when not executed.</summary>
    public int? ExecutionCount { get; set; }

    /// <summary>Attachments of a markdown/raw cell, kept verbatim.</summary>
    public JsonObject? Attachments { get; set; }

    /// <summary>True for code cells.</summary>
    public bool IsCode => CellType == "code";

    /// <summary>
    /// True when the cell holds C# for the Polyglot kernel: a code cell whose metadata does not name
    /// another kernel and whose first line is not a <c>#!markdown</c> (or other non-C#) magic.
    /// </summary>
    public bool IsCSharp => IsCode && NotebookConventions.IsCSharpCell(this);

    /// <summary>The cell's tags (<c>metadata.tags</c>).</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray tags ? tags.Select(t => t?.GetValue<string>() ?? "").ToList() : [];

    /// <summary>Adds a tag if missing.</summary>
    public void AddTag(string tag)
    {
        if (Metadata["tags"] is not JsonArray tags)
        {
            tags = new JsonArray();
            Metadata["tags"] = tags;
        }

        if (!tags.Any(t => t?.GetValue<string>() == tag))
        {
            tags.Add(tag);
        }
    }

    /// <summary>The <c>metadata.nbgrader</c> object, if any.</summary>
    public JsonObject? Nbgrader => Metadata["nbgrader"] as JsonObject;

    /// <summary>The nbgrader <c>grade_id</c>, if any.</summary>
    public string? GradeId => Nbgrader?["grade_id"]?.GetValue<string>();

    /// <summary>Removes outputs and the execution count (for student versions and committed notebooks).</summary>
    public void ClearOutputs()
    {
        Outputs.Clear();
        ExecutionCount = null;
        Metadata.Remove("papermill");
        Metadata.Remove("execution");
    }

    /// <summary>A new random cell id (nbformat 4.5 allows up to 64 characters).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>A deep copy of the cell (outputs and metadata included).</summary>
    public NotebookCell Clone()
    {
        var copy = new NotebookCell(CellType, Source, Id)
        {
            Metadata = (JsonObject)Metadata.DeepClone(),
            ExecutionCount = ExecutionCount,
            Attachments = (JsonObject?)Attachments?.DeepClone(),
        };
        copy.Outputs.AddRange(Outputs.Select(o => (JsonObject)o.DeepClone()));
        return copy;
    }
}
