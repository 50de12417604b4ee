using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>A graded check cell of the key (<c>metadata.nbgrader.grade = true</c> with a <c>grade_id</c>).</summary>
/// <param name="GradeId">The nbgrader grade_id.</param>
/// <param name="Points">The points it is worth.</param>
public sealed record GradedCheck(string GradeId, double Points)
{
    /// <summary>True for a graded check cell.</summary>
    public static bool IsGraded(NotebookCell cell) =>
        cell.IsCode && cell.Nbgrader?["grade"]?.GetValue<bool>() == true && cell.GradeId is not null;

    /// <summary>The key's graded checks in notebook order.</summary>
    public static IReadOnlyList<GradedCheck> In(NotebookDocument key) =>
        key.Cells.Where(IsGraded).Select(c => new GradedCheck(c.GradeId!, c.Nbgrader?["points"]?.GetValue<double>() ?? 0)).ToList();
}
