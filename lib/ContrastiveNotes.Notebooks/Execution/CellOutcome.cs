using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>What running one cell produced.</summary>
/// <param name="Status">How the cell ended.</param>
/// <param name="Outputs">nbformat outputs in order (streams, displays, the return value, the error).</param>
/// <param name="Error">The error, when the cell did not complete.</param>
/// <param name="WroteToStandardError">True when the cell wrote to stderr.</param>
/// <param name="Duration">Wall time of the cell.</param>
public sealed record CellOutcome(CellStatus Status, List<JsonObject> Outputs, CellError? Error, bool WroteToStandardError, TimeSpan Duration)
{
    /// <summary>True when the cell completed without an exception.</summary>
    public bool Succeeded => Status == CellStatus.Completed;

    /// <summary>True when no later cell can run in this kernel (it timed out or is gone).</summary>
    public bool EndsRun => Status is CellStatus.TimedOut or CellStatus.KernelLost;
}
