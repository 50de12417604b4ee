namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>Runs a notebook's cells one after another in one kernel session.</summary>
public interface ICellExecutor : IDisposable
{
    /// <summary>Runs one cell's source (directives included) and reports what it produced.</summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="executionCount">The cell's execution count (its number among the executed cells).</param>
    /// <param name="timeout">Time the cell may run.</param>
    /// <param name="limitName">Which limit <paramref name="timeout"/> comes from, for the message.</param>
    CellOutcome Execute(string source, int executionCount, TimeSpan timeout, string limitName);
}
