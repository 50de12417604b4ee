using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>An error raised by a cell, with the 1-based line in the cell when known.</summary>
/// <param name="Name">The exception type name (nbformat <c>ename</c>).</param>
/// <param name="Message">The message (nbformat <c>evalue</c>).</param>
/// <param name="Line">The line in the cell, or null.</param>
/// <param name="Traceback">Lines of the stack trace / diagnostics.</param>
public sealed record CellError(string Name, string Message, int? Line, IReadOnlyList<string> Traceback)
{
    /// <summary>An error the tool itself reports (no line, a one-line traceback <c>Name: message</c>).</summary>
    public static CellError Of(string name, string message) => new(name, message, null, [$"{name}: {message}"]);

    /// <summary>The error of a cell stopped at its time limit (in-process or sandboxed: one message).</summary>
    public static CellError TimedOut(int executionCount, TimeSpan timeout, string limitName) =>
        Of("TimeoutException", $"Cell {executionCount} did not finish within {timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s ({limitName}) and was stopped.");

    /// <summary>The nbformat <c>error</c> output.</summary>
    public JsonObject ToOutput() => new()
    {
        ["ename"] = Name,
        ["evalue"] = Message,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(Traceback.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
    };
}
