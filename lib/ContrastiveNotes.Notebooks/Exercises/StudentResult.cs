namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>A student's scores on one notebook.</summary>
/// <param name="Student">The student name (the submission's file or folder name).</param>
/// <param name="Notebook">The key notebook's name.</param>
/// <param name="Status">What happened to the submission.</param>
/// <param name="Scores">One score per graded check, in key order.</param>
/// <param name="Detail">One line on why the run ended early (empty when it ran to the end).</param>
public sealed record StudentResult(string Student, string Notebook, SubmissionStatus Status, IReadOnlyList<ExerciseScore> Scores, string Detail = "")
{
    /// <summary>The student's total points.</summary>
    public double Total => Scores.Sum(s => s.Points);
}
