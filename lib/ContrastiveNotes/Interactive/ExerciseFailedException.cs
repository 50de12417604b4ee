namespace ContrastiveNotes.Interactive;

/// <summary>
/// Thrown by <see cref="Exercise"/> when a student's solution fails a check (or is not written yet), so the notebook
/// cell ends in an error and a grader scores it as failed. Its text is the message alone: the student's mistake is in
/// the message, and the library's frames of a stack trace would only bury it (the kernel prints <see cref="ToString"/>
/// and <see cref="StackTrace"/> under the cell).
/// </summary>
public sealed class ExerciseFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="exerciseId"/>.</summary>
    public ExerciseFailedException(string exerciseId, string message, Exception? inner = null) : base(message, inner) => ExerciseId = exerciseId;

    /// <summary>The exercise that failed.</summary>
    public string ExerciseId { get; }

    /// <summary>Empty: the failure is the student's code, not a place in the library (the cause stays in <see cref="Exception.InnerException"/>).</summary>
    public override string StackTrace => "";

    /// <inheritdoc />
    public override string ToString() => Message;
}
