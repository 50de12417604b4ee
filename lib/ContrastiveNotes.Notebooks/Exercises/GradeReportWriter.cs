using ContrastiveNotes.IO;
using System.Globalization;
using System.Text;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Export;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// Writes what <see cref="Grader"/> found, all atomically, into the output folder:
/// <c>&lt;notebook&gt;/executed/&lt;student&gt;.ipynb</c> (for the teacher: the submission as graded, hidden tests included),
/// <c>&lt;notebook&gt;/feedback/&lt;student&gt;.ipynb</c> and <c>.html</c> (for the student: the same run with the hidden
/// tests cut from the check cells' code; their messages stay, they are the reasons),
/// <c>&lt;notebook&gt;/scores.csv</c> and <c>scores.md</c>, and the class table across all notebooks
/// <c>class.csv</c> and <c>class.md</c> (student × check, totals, status, the reason for every lost point).
/// </summary>
public static class GradeReportWriter
{
    /// <summary>
    /// The notebook name of the class table's rows, whose <see cref="StudentResult.Detail"/> holds every notebook's
    /// status; a NUL cannot be in a file name, so no key is called this.
    /// </summary>
    private const string ClassRow = "\0class";

    /// <summary>Writes one graded submission's executed notebook and feedback.</summary>
    public static void WriteSubmission(NotebookDocument executed, GradingJob job, IEnumerable<NotebookCell> checkCells)
    {
        NotebookWriter.Write(executed, Path.Combine(job.OutputFolder, "executed", job.Student + ".ipynb"));
        var feedback = executed.Clone();
        var checks = checkCells.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var cell in feedback.Cells.Where(c => checks.Contains(c.Id)))
        {
            cell.Source = StudentVersionMaker.Strip(cell.Source).Replace(CheckRestorer.StrictCheck, CheckRestorer.StudentCheck, StringComparison.Ordinal);
        }

        var folder = Path.Combine(job.OutputFolder, "feedback");
        NotebookWriter.Write(feedback, Path.Combine(folder, job.Student + ".ipynb"));
        AtomicFile.WriteAllText(Path.Combine(folder, job.Student + ".html"), new HtmlExporter().Export(feedback));
    }

    /// <summary>Writes the per-notebook tables and the class table.</summary>
    public static void Write(GradingReport report, string output)
    {
        foreach (var (name, checks) in report.Notebooks)
        {
            var results = report.Results.Where(r => r.Notebook == name).ToList();
            var folder = Path.Combine(output, name);
            AtomicFile.WriteAllText(Path.Combine(folder, "scores.csv"), Csv(results, checks.Select(c => (c.GradeId, c.Points)).ToList()));
            AtomicFile.WriteAllText(Path.Combine(folder, "scores.md"), Markdown(results, checks.Select(c => (c.GradeId, c.Points)).ToList(), report, name));
        }

        var all = report.Notebooks.SelectMany(n => n.Checks.Select(c => ($"{n.Name}/{c.GradeId}", c.Points))).ToList();
        var perStudent = ClassRows(report);
        AtomicFile.WriteAllText(Path.Combine(output, "class.csv"), Csv(perStudent, all));
        AtomicFile.WriteAllText(Path.Combine(output, "class.md"), Markdown(perStudent, all, report, "the class"));
    }

    /// <summary>One row per student with every notebook's checks (absent notebooks score 0, status "missing").</summary>
    private static List<StudentResult> ClassRows(GradingReport report) =>
        report.Results.Select(r => r.Student).Distinct().Order(StringComparer.Ordinal).Select(student =>
        {
            var scores = new List<ExerciseScore>();
            var statuses = new List<string>();
            foreach (var (name, checks) in report.Notebooks)
            {
                var result = report.Results.FirstOrDefault(r => r.Student == student && r.Notebook == name);
                scores.AddRange(result is null
                    ? checks.Select(c => new ExerciseScore($"{name}/{c.GradeId}", 0, c.Points, "no submission"))
                    : result.Scores.Select(s => s with { GradeId = $"{name}/{s.GradeId}" }));
                statuses.Add(report.Notebooks.Count == 1 ? StatusText(result) : $"{name}: {StatusText(result)}");
            }

            return new StudentResult(student, ClassRow, SubmissionStatus.Completed, scores, string.Join("; ", statuses));
        }).ToList();

    private static string StatusText(StudentResult? result) => result?.Status.Label() ?? "missing";

    /// <summary>The status column: a class row lists every notebook's status, a notebook row its own.</summary>
    private static string StatusColumn(StudentResult result) => result.Notebook == ClassRow ? result.Detail : result.Status.Label();

    private static string Csv(IReadOnlyList<StudentResult> results, IReadOnlyList<(string Id, double Points)> checks)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', new[] { "student" }.Concat(checks.Select(c => c.Id)).Concat(["total", "max", "status"]).Select(Quote)));
        var max = checks.Sum(c => c.Points);
        foreach (var r in results)
        {
            var status = StatusColumn(r);
            csv.AppendLine(string.Join(',', new[] { Quote(r.Student) }.Concat(r.Scores.Select(s => Number(s.Points))).Concat([Number(r.Total), Number(max), Quote(status)])));
        }

        return csv.ToString();
    }

    private static string Markdown(IReadOnlyList<StudentResult> results, IReadOnlyList<(string Id, double Points)> checks, GradingReport report, string title)
    {
        var max = checks.Sum(c => c.Points);
        var md = new StringBuilder();
        md.AppendLine($"Scores for {title}. {(report.SandboxRefused ? "NOT GRADED: the sandbox cannot run here (" + report.Protection + ")" : "Protection: " + report.Protection)}.");
        md.AppendLine();
        md.AppendLine($"| student | {string.Join(" | ", checks.Select(c => $"{c.Id} ({Number(c.Points)})"))} | total | status |");
        md.AppendLine($"|---|{string.Concat(checks.Select(_ => "---:|"))}---:|---|");
        foreach (var r in results)
        {
            var status = StatusColumn(r);
            md.AppendLine($"| {Cell(r.Student)} | {string.Join(" | ", r.Scores.Select(s => Number(s.Points)))} | {Number(r.Total)} / {Number(max)} | {Cell(status)} |");
        }

        var reasons = results.SelectMany(r => r.Scores.Where(s => s.Reason.Length > 0).Select(s => $"- {r.Student} / {s.GradeId}: {FirstLine(s.Reason)}")).ToList();
        var ended = results.Where(r => r.Notebook != ClassRow && r.Detail.Length > 0).Select(r => $"- {r.Student}: {FirstLine(r.Detail)}").ToList();
        if (reasons.Count > 0)
        {
            md.AppendLine().AppendLine("Lost points:").AppendLine();
            reasons.ForEach(l => md.AppendLine(l));
        }

        if (ended.Count > 0)
        {
            md.AppendLine().AppendLine("Runs that ended early:").AppendLine();
            ended.ForEach(l => md.AppendLine(l));
        }

        return md.ToString();
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
