namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook.</summary>
public sealed record RunOptions
{
    /// <summary>Time limit of one cell.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Time limit of the whole notebook.</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Parameter overrides (name -> value text), already merged from profile and --set.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Keep running after a failing cell (as grading does); a timeout still stops the run.</summary>
    public bool AllowErrors { get; init; }

    /// <summary>
    /// Working directory and base of relative <c>#r</c>/<c>#load</c> paths; null means the notebook's
    /// own folder (as in VS Code). Grading sets it to the key notebook's folder.
    /// </summary>
    public string? BaseDirectory { get; init; }
}
