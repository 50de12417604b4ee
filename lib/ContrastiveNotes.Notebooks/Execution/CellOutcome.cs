using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>What running one cell produced.</summary>
/// <param name="Status"><c>completed</c>, <c>failed</c> or <c>timeout</c>.</param>
/// <param name="Outputs">nbformat outputs in order (streams, displays, the return value, the error).</param>
/// <param name="Error">The error, when the cell failed.</param>
/// <param name="WroteToStandardError">True when the cell wrote to stderr (a graded check then scores 0).</param>
/// <param name="Duration">Wall time of the cell.</param>
public sealed record CellOutcome(string Status, List<JsonObject> Outputs, CellError? Error, bool WroteToStandardError, TimeSpan Duration)
{
    /// <summary>True when the cell completed without an exception.</summary>
    public bool Succeeded => Status == "completed";
}
