namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>One graded check of one student.</summary>
/// <param name="GradeId">The nbgrader grade_id.</param>
/// <param name="Points">Points scored (all or nothing).</param>
/// <param name="MaxPoints">Points available.</param>
/// <param name="Reason">Why it scored 0 (empty when full points).</param>
public sealed record ExerciseScore(string GradeId, double Points, double MaxPoints, string Reason)
{
    /// <summary>A check that scores 0 for <paramref name="reason"/>.</summary>
    public static ExerciseScore Zero(GradedCheck check, string reason) => new(check.GradeId, 0, check.Points, reason);
}
