namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>What happened to one submission in <c>grade</c> (the score table's status column).</summary>
public enum SubmissionStatus
{
    /// <summary>Ran to the end and every graded check passed.</summary>
    Completed,

    /// <summary>Ran to the end; some graded checks lost points.</summary>
    WrongAnswers,

    /// <summary>A cell or the whole submission ran past its time limit; cells not reached score 0.</summary>
    TimedOut,

    /// <summary>The kernel ended early (exit, memory limit, a forged or corrupt reply); cells not reached score 0.</summary>
    Crashed,

    /// <summary>No sandbox could be started for it; nothing ran, nothing scored.</summary>
    SandboxRefused,

    /// <summary>The file is not a valid notebook; nothing ran.</summary>
    Invalid,
}

/// <summary>The one place that names submission statuses.</summary>
public static class SubmissionStatuses
{
    /// <summary>The word in score tables.</summary>
    public static string Label(this SubmissionStatus status) => status switch
    {
        SubmissionStatus.Completed => "completed",
        SubmissionStatus.WrongAnswers => "wrong answers",
        SubmissionStatus.TimedOut => "timed out",
        SubmissionStatus.Crashed => "crashed",
        SubmissionStatus.SandboxRefused => "sandbox refused",
        _ => "invalid",
    };

    /// <summary>True when the submission could not be graded at all (then <c>grade</c> exits non-zero).</summary>
    public static bool NotGraded(this SubmissionStatus status) => status is SubmissionStatus.Invalid or SubmissionStatus.SandboxRefused;
}
