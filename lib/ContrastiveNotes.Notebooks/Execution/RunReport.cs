namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>The result of running one notebook.</summary>
/// <param name="Status"><c>completed</c>, <c>failed</c> or <c>timeout</c>.</param>
/// <param name="CodeCells">How many C# cells the notebook has.</param>
/// <param name="ExecutedCells">How many were run.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="Failure">A one-line description of the first failure (notebook, cell, line, exception), or null.</param>
public sealed record RunReport(string Status, int CodeCells, int ExecutedCells, TimeSpan Duration, string? Failure)
{
    /// <summary>The process exit code for this result: 0 completed, 1 failed, 3 timeout.</summary>
    public int ExitCode => Status switch { "completed" => 0, "timeout" => 3, _ => 1 };
}
