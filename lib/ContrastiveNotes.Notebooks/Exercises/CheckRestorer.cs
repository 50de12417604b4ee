using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// Puts the key's graded check cells (hidden tests included) into a submission, in place of the student's copies:
/// the first submission cell with a check's grade_id gets the key's source and metadata; any other cell claiming
/// to be graded (a second cell with that id, an id the key does not grade) loses its nbgrader metadata and is
/// plain student code. The key's parameter profiles replace the submission's. In the restored checks the course
/// library's student-session checker (<c>Exercise.Check</c>, which prints a failure and lets Run All go on) becomes
/// the grader's (<c>Exercise.CheckStrictly</c>, which fails the cell), so a failed check never looks completed.
/// </summary>
public static class CheckRestorer
{
    /// <summary>The checker call as check cells must write it (the linter requires global:: names).</summary>
    public const string StudentCheck = "global::ContrastiveNotes.Interactive.Exercise.Check(";

    /// <summary>What the grader runs instead.</summary>
    public const string StrictCheck = "global::ContrastiveNotes.Interactive.Exercise.CheckStrictly(";

    /// <summary>Restores the checks; returns the check cells of the submission by grade_id (missing checks absent).</summary>
    public static IReadOnlyDictionary<string, NotebookCell> Restore(NotebookDocument submission, NotebookDocument key)
    {
        var restored = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        var keyChecks = key.Cells.Where(GradedCheck.IsGraded).ToDictionary(c => c.GradeId!, StringComparer.Ordinal);
        foreach (var cell in submission.Cells)
        {
            var id = cell.GradeId;
            if (id is not null && cell.IsCode && keyChecks.TryGetValue(id, out var keyCell) && !restored.ContainsKey(id))
            {
                cell.Source = keyCell.Source.Replace(StudentCheck, StrictCheck, StringComparison.Ordinal);
                cell.Metadata = (JsonObject)keyCell.Metadata.DeepClone();
                restored[id] = cell;
            }
            else if (cell.Nbgrader?["grade"]?.GetValue<bool>() == true)
            {
                cell.Metadata.Remove("nbgrader");
            }
        }

        if (key.Metadata["contrastive_notes"] is { } settings)
        {
            submission.Metadata["contrastive_notes"] = settings.DeepClone();
        }

        return restored;
    }
}
