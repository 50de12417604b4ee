namespace ContrastiveNotes.Interactive;

/// <summary>
/// Thrown by <see cref="Exercise"/> when a student's solution fails a check (or is not written yet), so the notebook
/// cell ends in an error and a grader scores it as failed.
/// </summary>
public sealed class ExerciseFailedException : Exception
{
    /// <summary>Creates the exception for <paramref name="exerciseId"/>.</summary>
    public ExerciseFailedException(string exerciseId, string message, Exception? inner = null) : base(message, inner) => ExerciseId = exerciseId;

    /// <summary>The exercise that failed.</summary>
    public string ExerciseId { get; }
}
