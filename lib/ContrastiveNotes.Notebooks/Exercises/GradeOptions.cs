namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>How <see cref="Grader"/> runs submissions.</summary>
public sealed record GradeOptions
{
    /// <summary>Folder for scores.csv, scores.md and the executed submissions.</summary>
    public string OutputFolder { get; init; } = "artifacts/grades";

    /// <summary>Time limit of one cell of a submission.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time limit of a whole submission.</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The parameter profile to run with when the key defines it.</summary>
    public string Profile { get; init; } = "fast";
}
