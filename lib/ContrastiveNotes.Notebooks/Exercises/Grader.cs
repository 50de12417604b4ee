using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Execution;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// Grades submitted notebooks against the instructor key (nbgrader / otter conventions): each
/// graded check cell (<c>metadata.nbgrader.grade = true</c>, matched by <c>grade_id</c>) is restored
/// from the key, hidden tests included; every submission runs in its own child process of this tool
/// with time limits and the key's <c>fast</c> profile; a check scores its points when its cell ran
/// without an error and wrote nothing to stderr. A crashing or hanging submission scores 0 for the
/// cells it did not complete and never stops the others.
/// </summary>
public sealed class Grader(TextWriter log)
{
    /// <summary>Grades every .ipynb in <paramref name="submissionsFolder"/> and writes scores.csv and scores.md.</summary>
    public IReadOnlyList<StudentResult> Grade(string submissionsFolder, string keyPath, GradeOptions options)
    {
        var key = NotebookReader.Read(keyPath);
        var checks = GradedChecks(key);
        if (checks.Count == 0)
        {
            throw new StudentVersionException($"{key.Name}: no graded cells (metadata.nbgrader.grade = true with a grade_id); nothing to grade.");
        }

        var output = Path.GetFullPath(options.OutputFolder);
        var work = Path.Combine(output, "submissions");
        var executed = Path.Combine(output, "executed");
        var results = new List<StudentResult>();
        foreach (var submission in NotebookFiles.Expand([submissionsFolder]))
        {
            if (NotebookFiles.SamePath(submission, keyPath))
            {
                continue;
            }

            results.Add(GradeOne(submission, key, checks, work, executed, options));
        }

        WriteTables(results, checks, output);
        return results;
    }

    /// <summary>The key's graded check cells: grade_id -> points, in notebook order.</summary>
    public static IReadOnlyList<(string GradeId, double Points)> GradedChecks(NotebookDocument key) =>
        key.Cells
            .Where(c => c.IsCode && c.Nbgrader?["grade"]?.GetValue<bool>() == true && c.GradeId is not null)
            .Select(c => (c.GradeId!, c.Nbgrader?["points"]?.GetValue<double>() ?? 0))
            .ToList();

    private StudentResult GradeOne(string submissionPath, NotebookDocument key, IReadOnlyList<(string GradeId, double Points)> checks, string work, string executedFolder, GradeOptions options)
    {
        var student = Path.GetFileNameWithoutExtension(submissionPath);
        NotebookDocument submission;
        try
        {
            submission = NotebookReader.Read(submissionPath);
        }
        catch (NotebookFormatException e)
        {
            log.WriteLine($"[{student}] invalid notebook: {e.Message}");
            return new StudentResult(student, "invalid", checks.Select(c => new ExerciseScore(c.GradeId, 0, c.Points, "notebook is not valid")).ToList());
        }

        RestoreChecks(submission, key);
        var prepared = Path.Combine(work, Path.GetFileName(submissionPath));
        NotebookWriter.Write(submission, prepared);
        var executedPath = Path.Combine(executedFolder, Path.GetFileName(submissionPath));
        if (File.Exists(executedPath))
        {
            File.Delete(executedPath);
        }

        var arguments = new List<string>
        {
            "run", prepared, "--output", executedFolder, "--allow-errors",
            "--cell-timeout", options.CellTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--timeout", options.NotebookTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--base-directory", Path.GetDirectoryName(key.Path)!,
        };
        if (ParametersProfileExists(key, options.Profile))
        {
            arguments.AddRange(["--profile", options.Profile]);
        }

        var exit = ToolProcess.Run(arguments, options.NotebookTimeout + TimeSpan.FromSeconds(60), line => log.WriteLine($"  {line}"));
        var status = exit switch { 0 => "completed", 1 => "failed", 3 => "timeout", null => "killed", _ => "crashed" };
        log.WriteLine($"[{student}] {status}");
        if (!File.Exists(executedPath))
        {
            return new StudentResult(student, status, checks.Select(c => new ExerciseScore(c.GradeId, 0, c.Points, $"run {status} before any cell was saved")).ToList());
        }

        var ran = NotebookReader.Read(executedPath);
        return new StudentResult(student, status, checks.Select(c => Score(ran, c.GradeId, c.Points)).ToList());
    }

    private static bool ParametersProfileExists(NotebookDocument key, string profile) =>
        Parameters.ParameterInjector.Profiles(key).ContainsKey(profile) && key.Cells.Any(c => c.Tags.Contains(Parameters.ParameterInjector.ParametersTag));

    /// <summary>Replaces each graded cell of the submission with the key's (hidden tests included) and uses the key's profiles.</summary>
    public static void RestoreChecks(NotebookDocument submission, NotebookDocument key)
    {
        foreach (var keyCell in key.Cells.Where(c => c.IsCode && c.Nbgrader?["grade"]?.GetValue<bool>() == true && c.GradeId is not null))
        {
            var target = submission.Cells.FirstOrDefault(c => c.GradeId == keyCell.GradeId);
            if (target is not null)
            {
                target.Source = keyCell.Source;
                target.Metadata = (JsonObject)keyCell.Metadata.DeepClone();
            }
        }

        if (key.Metadata["contrastive_notes"] is { } settings)
        {
            submission.Metadata["contrastive_notes"] = settings.DeepClone();
        }
    }

    private static ExerciseScore Score(NotebookDocument executed, string gradeId, double points)
    {
        var cell = executed.Cells.FirstOrDefault(c => c.GradeId == gradeId);
        if (cell is null)
        {
            return new ExerciseScore(gradeId, 0, points, "check cell missing from the submission");
        }

        var status = cell.Metadata["papermill"]?["status"]?.GetValue<string>();
        if (cell.Outputs.FirstOrDefault(o => o["output_type"]?.GetValue<string>() == "error") is { } error)
        {
            return new ExerciseScore(gradeId, 0, points, $"{error["ename"]}: {error["evalue"]}");
        }

        if (status != "completed")
        {
            return new ExerciseScore(gradeId, 0, points, $"not run ({status ?? "no record"})");
        }

        if (cell.Outputs.Any(o => o["output_type"]?.GetValue<string>() == "stream" && o["name"]?.GetValue<string>() == "stderr"))
        {
            return new ExerciseScore(gradeId, 0, points, "wrote to stderr");
        }

        return new ExerciseScore(gradeId, points, points, "");
    }

    private static void WriteTables(IReadOnlyList<StudentResult> results, IReadOnlyList<(string GradeId, double Points)> checks, string output)
    {
        string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', new[] { "student" }.Concat(checks.Select(c => c.GradeId)).Concat(["total", "max", "status"]).Select(Csv)));
        var max = checks.Sum(c => c.Points);
        foreach (var r in results)
        {
            csv.AppendLine(string.Join(',', new[] { Csv(r.Student) }.Concat(r.Scores.Select(s => N(s.Points))).Concat([N(r.Total), N(max), Csv(r.Status)])));
        }

        var md = new StringBuilder();
        md.AppendLine($"| student | {string.Join(" | ", checks.Select(c => $"{c.GradeId} ({N(c.Points)})"))} | total | status |");
        md.AppendLine($"|---|{string.Concat(checks.Select(_ => "---:|"))}---:|---|");
        foreach (var r in results)
        {
            md.AppendLine($"| {r.Student} | {string.Join(" | ", r.Scores.Select(s => N(s.Points)))} | {N(r.Total)} / {N(max)} | {r.Status} |");
        }

        var reasons = results.SelectMany(r => r.Scores.Where(s => s.Reason.Length > 0).Select(s => $"- {r.Student} / {s.GradeId}: {s.Reason.Split('\n')[0]}")).ToList();
        if (reasons.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Lost points:");
            md.AppendLine();
            reasons.ForEach(l => md.AppendLine(l));
        }

        AtomicFile.WriteAllText(Path.Combine(output, "scores.csv"), csv.ToString());
        AtomicFile.WriteAllText(Path.Combine(output, "scores.md"), md.ToString());
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
