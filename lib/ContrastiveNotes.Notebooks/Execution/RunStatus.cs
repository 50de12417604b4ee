namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>How a notebook run ended; each status has one exit code of the <c>run</c> command (<see cref="RunStatuses"/>).</summary>
public enum RunStatus
{
    /// <summary>Every cell completed (exit code 0).</summary>
    Completed,

    /// <summary>A cell failed (exit code 1).</summary>
    Failed,

    /// <summary>The command was used wrongly or its input is invalid (exit code 2); nothing ran.</summary>
    InvalidInput,

    /// <summary>A cell or the notebook ran past its time limit (exit code 3).</summary>
    TimedOut,

    /// <summary>The kernel ended before the notebook did (exit code 4), or the process was killed (no exit code).</summary>
    Crashed,
}

/// <summary>The one place where run statuses become exit codes, labels and back.</summary>
public static class RunStatuses
{
    /// <summary>The <c>run</c> command's exit code for <paramref name="status"/>.</summary>
    public static int ExitCode(this RunStatus status) => status switch
    {
        RunStatus.Completed => 0,
        RunStatus.Failed => 1,
        RunStatus.InvalidInput => 2,
        RunStatus.TimedOut => 3,
        _ => 4,
    };

    /// <summary>The status a child <c>run</c> process reported by its exit code (null: it was killed).</summary>
    public static RunStatus FromExitCode(int? exitCode) => exitCode switch
    {
        0 => RunStatus.Completed,
        1 => RunStatus.Failed,
        2 => RunStatus.InvalidInput,
        3 => RunStatus.TimedOut,
        _ => RunStatus.Crashed,
    };

    /// <summary>The word used in progress lines and tables.</summary>
    public static string Label(this RunStatus status) => status switch
    {
        RunStatus.Completed => "completed",
        RunStatus.Failed => "failed",
        RunStatus.InvalidInput => "invalid input",
        RunStatus.TimedOut => "timeout",
        _ => "crashed",
    };
}
