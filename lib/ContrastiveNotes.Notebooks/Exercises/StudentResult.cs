namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>A student's scores.</summary>
/// <param name="Student">The student name (the submission's file name).</param>
/// <param name="Status">How the run ended: completed, failed, timeout, crashed or invalid.</param>
/// <param name="Scores">One score per graded check, in key order.</param>
public sealed record StudentResult(string Student, string Status, IReadOnlyList<ExerciseScore> Scores)
{
    /// <summary>The student's total points.</summary>
    public double Total => Scores.Sum(s => s.Points);
}
