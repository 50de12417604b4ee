using ContrastiveNotes.Notebooks.Sandbox;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>How <see cref="Grader"/> runs submissions.</summary>
public sealed record GradeOptions
{
    /// <summary>Folder for the score tables, executed submissions and feedback (outside the course's lib and data).</summary>
    public string OutputFolder { get; init; } = "artifacts/grades";

    /// <summary>Time limit of one cell of a submission.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time limit of a whole submission (its kernel's start not included: see <see cref="SandboxLimits.StartupTimeout"/>).</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The parameter profile to run with when the key defines it.</summary>
    public string Profile { get; init; } = "fast";

    /// <summary>Submissions graded at once (default: the core count).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory, task and start-up limits of each sandbox.</summary>
    public SandboxLimits Limits { get; init; } = SandboxLimits.Default;

    /// <summary>Run submissions without a sandbox (the score table then says so).</summary>
    public bool UnsafeNoSandbox { get; init; }

    /// <summary>The course repository whose lib and data the submissions see (default: the one this tool was built in).</summary>
    public string? CourseRoot { get; init; }
}
