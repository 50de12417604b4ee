using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// Makes the student version of an instructor notebook (nbgrader conventions): each solution region
/// becomes <c>// YOUR CODE HERE</c> + <c>throw new NotImplementedException();</c> at the region's
/// indentation, hidden test regions are removed, and all outputs and execution records are cleared.
/// </summary>
public static class StudentVersionMaker
{
    /// <summary>The placeholder comment students replace.</summary>
    public const string Placeholder = "// YOUR CODE HERE";

    /// <summary>The statement that makes an unsolved exercise fail loudly.</summary>
    public const string NotImplemented = "throw new NotImplementedException();";

    /// <summary>Returns the student copy; the instructor notebook is not modified.</summary>
    /// <exception cref="StudentVersionException">Unbalanced or nested markers (names notebook, cell and line).</exception>
    public static NotebookDocument Make(NotebookDocument instructor)
    {
        var student = instructor.Clone();
        student.Metadata.Remove("papermill");
        student.Cells.RemoveAll(c => c.Tags.Contains("papermill-error-cell-tag") || c.Tags.Contains("injected-parameters"));
        for (var i = 0; i < student.Cells.Count; i++)
        {
            var cell = student.Cells[i];
            if (!cell.IsCode)
            {
                continue;
            }

            cell.ClearOutputs();
            try
            {
                cell.Source = Strip(cell.Source);
            }
            catch (ExerciseMarkerException e)
            {
                throw new StudentVersionException($"{instructor.Name}: cell {i + 1}, line {e.Line}: {e.Message}");
            }
        }

        return student;
    }

    /// <summary>Strips one cell's source.</summary>
    /// <exception cref="ExerciseMarkerException">Unbalanced or nested markers.</exception>
    public static string Strip(string source)
    {
        var regions = ExerciseMarkers.Scan(source);
        if (regions.Count == 0)
        {
            return source;
        }

        var lines = source.Split('\n');
        var result = new List<string>();
        var next = 0;
        foreach (var region in regions)
        {
            result.AddRange(lines[next..region.BeginLine]);
            if (region.Kind == MarkerKind.Solution)
            {
                var indent = Indentation(lines[region.BeginLine]);
                result.Add(indent + Placeholder);
                result.Add(indent + NotImplemented);
            }

            next = region.EndLine + 1;
        }

        result.AddRange(lines[next..]);
        return string.Join('\n', result);
    }

    private static string Indentation(string line) => line[..(line.Length - line.TrimStart().Length)];
}
