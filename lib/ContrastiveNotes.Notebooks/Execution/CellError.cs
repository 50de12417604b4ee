using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>An error raised by a cell, with the 1-based line in the cell when known.</summary>
/// <param name="Name">The exception type name (nbformat <c>ename</c>).</param>
/// <param name="Message">The message (nbformat <c>evalue</c>).</param>
/// <param name="Line">The line in the cell, or null.</param>
/// <param name="Traceback">Lines of the stack trace / diagnostics.</param>
public sealed record CellError(string Name, string Message, int? Line, IReadOnlyList<string> Traceback)
{
    /// <summary>The nbformat <c>error</c> output.</summary>
    public JsonObject ToOutput() => new()
    {
        ["ename"] = Name,
        ["evalue"] = Message,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(Traceback.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
    };
}
