namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>The result of running one notebook.</summary>
/// <param name="Status">How the run ended.</param>
/// <param name="CodeCells">How many C# cells the notebook has.</param>
/// <param name="ExecutedCells">How many were run.</param>
/// <param name="Duration">Wall time.</param>
/// <param name="Failure">A one-line description of the first failure (notebook, cell, line, exception), or null.</param>
public sealed record RunReport(RunStatus Status, int CodeCells, int ExecutedCells, TimeSpan Duration, string? Failure)
{
    /// <summary>The process exit code for this result.</summary>
    public int ExitCode => Status.ExitCode();
}
