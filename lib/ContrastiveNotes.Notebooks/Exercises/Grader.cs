using System.Collections.Concurrent;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Execution;
using ContrastiveNotes.Notebooks.Linting;
using ContrastiveNotes.Notebooks.Parameters;
using ContrastiveNotes.Notebooks.Sandbox;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// Grades submitted notebooks against instructor keys (nbgrader / otter conventions). Each submission runs in its
/// own <see cref="KernelSandbox"/>; this process drives its kernel cell by cell with the key's graded check cells
/// (hidden tests included) restored by <see cref="CheckRestorer"/>, decides every check from what the kernel
/// replied (a check scores its points when its cell completed without an error and wrote nothing to stderr), and
/// writes the executed notebooks, the feedback and the score tables itself (<see cref="GradeReportWriter"/>).
/// Submissions are graded in parallel; one that crashes, hangs or is invalid never stops the others.
/// </summary>
public sealed class Grader(TextWriter log)
{
    private readonly TextWriter _log = TextWriter.Synchronized(log);

    /// <summary>
    /// Grades every submission for every key. Submissions are <c>&lt;folder&gt;/&lt;student&gt;.ipynb</c> (one key)
    /// or <c>&lt;folder&gt;/&lt;student&gt;/&lt;key file name&gt;</c> (any number of keys).
    /// </summary>
    /// <exception cref="StudentVersionException">A key has no graded checks or a check cell that a submission could shadow.</exception>
    /// <exception cref="SandboxException">The key, the submissions or the output would be visible inside the sandbox.</exception>
    public GradingReport Grade(string submissionsFolder, IReadOnlyList<string> keyPaths, GradeOptions options)
    {
        var keys = keyPaths.Select(LoadKey).ToList();
        var output = Path.GetFullPath(options.OutputFolder);
        var layout = SandboxLayout.For(options.CourseRoot ?? SandboxLayout.DefaultCourseRoot(), DatasetFolders());
        foreach (var key in keys)
        {
            layout.EnsureHidden(key.Path!, "key");
        }

        layout.EnsureHidden(submissionsFolder, "submissions folder");
        layout.EnsureHidden(output, "output folder");
        var jobs = Jobs(submissionsFolder, keys, output);
        using var writing = OutputLock.Acquire(output);
        var sandbox = new KernelSandbox(layout, options.Limits, options.UnsafeNoSandbox);
        var refusal = options.UnsafeNoSandbox ? null : sandbox.WhyUnavailable();
        if (refusal is not null)
        {
            _log.WriteLine($"The sandbox cannot run here: {refusal}. Nothing was run; pass --unsafe-no-sandbox to grade without one (scores can then be forged).");
        }

        ScratchFolder.RemoveAbandoned();
        var results = new ConcurrentBag<StudentResult>();
        var protections = new ConcurrentBag<string>();
        var parallelism = Math.Clamp(options.Parallelism, 1, 64);
        var slots = new ConcurrentQueue<int>(Enumerable.Range(0, parallelism));
        var threads = Math.Max(1, Environment.ProcessorCount / parallelism);
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, job =>
        {
            slots.TryDequeue(out var slot);
            try
            {
                results.Add(refusal is null
                    ? GradeOne(job, sandbox, slot, threads, options, protections)
                    : Refused(job, refusal));
            }
            finally
            {
                slots.Enqueue(slot);
            }
        });

        var ordered = results.OrderBy(r => r.Notebook, StringComparer.Ordinal).ThenBy(r => r.Student, StringComparer.Ordinal).ToList();
        var report = new GradingReport(keys.Select(k => (k.Name, GradedCheck.In(k))).ToList(), ordered,
            refusal ?? protections.FirstOrDefault() ?? sandbox.Describe(false), refusal is not null);
        GradeReportWriter.Write(report, output);
        return report;
    }

    private NotebookDocument LoadKey(string path)
    {
        var key = NotebookReader.Read(path);
        if (GradedCheck.In(key).Count == 0)
        {
            throw new StudentVersionException($"{key.Name}: no graded cells (metadata.nbgrader.grade = true with a grade_id); nothing to grade.");
        }

        try
        {
            DisallowedNames.ByCheck(key);
        }
        catch (NotebookFormatException e)
        {
            throw new StudentVersionException($"{key.Name}: {e.Message}");
        }

        var shadowable = NotebookLinter.UnqualifiedNamesInChecks(key).ToList();
        if (shadowable.Count > 0)
        {
            throw new StudentVersionException($"{key.Name}: {shadowable[0]} A submission could declare a type of that name and pass the check against itself; write global::Namespace.Type (the linter's rule for check cells).");
        }

        return key;
    }

    private static IEnumerable<string> DatasetFolders() =>
        Environment.GetEnvironmentVariable("FASHION_MNIST_DIR") is { Length: > 0 } folder ? [folder] : [];

    private static List<GradingJob> Jobs(string submissionsFolder, IReadOnlyList<NotebookDocument> keys, string output)
    {
        if (!Directory.Exists(submissionsFolder))
        {
            throw new FileNotFoundException($"The submissions folder '{submissionsFolder}' does not exist. Pass the folder that holds <student>.ipynb files or <student>/<notebook>.ipynb folders.", submissionsFolder);
        }

        var jobs = new List<GradingJob>();
        foreach (var key in keys)
        {
            var keyFile = Path.GetFileName(key.Path!);
            var files = keys.Count == 1
                ? Directory.EnumerateFiles(submissionsFolder, "*.ipynb").Select(f => (Student: Path.GetFileNameWithoutExtension(f), Path: f))
                : [];
            var folders = Directory.EnumerateDirectories(submissionsFolder)
                .Where(d => File.Exists(Path.Combine(d, keyFile)))
                .Select(d => (Student: Path.GetFileName(d), Path: Path.Combine(d, keyFile)));
            foreach (var (student, path) in files.Concat(folders))
            {
                if (!FileIdentity.Same(path, key.Path!) && !SandboxLayout.IsInside(Path.GetFullPath(path), output))
                {
                    jobs.Add(new GradingJob(key, student, Path.GetFullPath(path), Path.Combine(output, key.Name)));
                }
            }
        }

        return jobs;
    }

    private StudentResult GradeOne(GradingJob job, KernelSandbox sandbox, int slot, int threads, GradeOptions options, ConcurrentBag<string> protections)
    {
        var checks = GradedCheck.In(job.Key);
        NotebookDocument submission;
        try
        {
            submission = NotebookReader.Read(job.SubmissionPath);
        }
        catch (Exception e) when (e is NotebookFormatException or IOException)
        {
            _log.WriteLine($"[{job.Student}/{job.Key.Name}] invalid: {e.Message}");
            return new StudentResult(job.Student, job.Key.Name, SubmissionStatus.Invalid, checks.Select(c => ExerciseScore.Zero(c, "the submission is not a valid notebook")).ToList(), e.Message);
        }

        var checkCells = CheckRestorer.Restore(submission, job.Key);
        var shortcuts = ShortcutsTaken(submission, job.Key, checkCells);
        submission.Path = job.SubmissionPath;
        var runOptions = new RunOptions
        {
            CellTimeout = options.CellTimeout,
            NotebookTimeout = options.NotebookTimeout,
            Parameters = ParameterInjector.Collect(submission, ProfileIfDefined(job.Key, options.Profile), []),
            AllowErrors = true,
        };
        RunReport report;
        try
        {
            using var kernel = sandbox.Start(slot, threads, out var protection);
            protections.Add(protection);
            report = new NotebookRunner(new PrefixedWriter(_log, $"[{job.Student}/{job.Key.Name}] ")).Run(submission, runOptions, executor: kernel);
        }
        catch (SandboxException e)
        {
            _log.WriteLine($"[{job.Student}/{job.Key.Name}] sandbox refused: {e.Message}");
            return new StudentResult(job.Student, job.Key.Name, SubmissionStatus.SandboxRefused, checks.Select(c => ExerciseScore.Zero(c, "no sandbox could be started")).ToList(), e.Message);
        }

        var scores = checks.Select(c => shortcuts.TryGetValue(c.GradeId, out var used)
            ? ExerciseScore.Zero(c, DisallowedNames.Reason(used))
            : Score(checkCells.GetValueOrDefault(c.GradeId), c, report.Failure)).ToList();
        var status = report.Status switch
        {
            RunStatus.TimedOut => SubmissionStatus.TimedOut,
            RunStatus.Crashed => SubmissionStatus.Crashed,
            _ => scores.All(s => s.Points == s.MaxPoints) ? SubmissionStatus.Completed : SubmissionStatus.WrongAnswers,
        };
        _log.WriteLine($"[{job.Student}/{job.Key.Name}] {status.Label()}");
        GradeReportWriter.WriteSubmission(submission, job, checkCells.Values);
        return new StudentResult(job.Student, job.Key.Name, status, scores, report.Status is RunStatus.TimedOut or RunStatus.Crashed ? report.Failure ?? "" : "");
    }

    /// <summary>The checks whose solution uses a name its exercise does not allow, with the names used.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ShortcutsTaken(NotebookDocument submission, NotebookDocument key,
        IReadOnlyDictionary<string, NotebookCell> checkCells)
    {
        var taken = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (checkId, (solutionId, names)) in DisallowedNames.ByCheck(key))
        {
            var solution = DisallowedNames.SolutionIn(submission, solutionId, checkCells.GetValueOrDefault(checkId));
            if (solution is not null && DisallowedNames.UsedIn(solution.Source, names) is { Count: > 0 } used)
            {
                taken[checkId] = used;
            }
        }

        return taken;
    }

    private static StudentResult Refused(GradingJob job, string reason) =>
        new(job.Student, job.Key.Name, SubmissionStatus.SandboxRefused, GradedCheck.In(job.Key).Select(c => ExerciseScore.Zero(c, "not run: the sandbox cannot run here")).ToList(), reason);

    private static string? ProfileIfDefined(NotebookDocument key, string profile) =>
        ParameterInjector.Profiles(key).ContainsKey(profile) && key.Cells.Any(c => c.Tags.Contains(ParameterInjector.ParametersTag)) ? profile : null;

    /// <summary>Scores one restored check cell from what the grader recorded for it.</summary>
    private static ExerciseScore Score(NotebookCell? cell, GradedCheck check, string? runEnd)
    {
        if (cell is null)
        {
            return ExerciseScore.Zero(check, "check cell missing from the submission");
        }

        if (cell.Outputs.FirstOrDefault(o => o["output_type"]?.GetValue<string>() == "error") is { } error)
        {
            return ExerciseScore.Zero(check, $"{error["ename"]}: {error["evalue"]}");
        }

        var status = cell.Metadata["papermill"]?["status"]?.GetValue<string>();
        if (status != "completed")
        {
            return ExerciseScore.Zero(check, status == "pending" && runEnd is not null ? $"not run: the run had ended ({runEnd})" : $"not run ({status ?? "no record"})");
        }

        if (cell.Outputs.Any(o => o["output_type"]?.GetValue<string>() == "stream" && o["name"]?.GetValue<string>() == "stderr"))
        {
            return ExerciseScore.Zero(check, "wrote to stderr");
        }

        return new ExerciseScore(check.GradeId, check.Points, check.Points, "");
    }
}

/// <summary>One submission of one notebook to grade.</summary>
/// <param name="Key">The key notebook.</param>
/// <param name="Student">The student's name.</param>
/// <param name="SubmissionPath">The submitted file.</param>
/// <param name="OutputFolder">Where this notebook's results go.</param>
public sealed record GradingJob(NotebookDocument Key, string Student, string SubmissionPath, string OutputFolder);

/// <summary>Everything one grading run found.</summary>
/// <param name="Notebooks">Each key's name and graded checks.</param>
/// <param name="Results">One result per (student, notebook), by notebook then student.</param>
/// <param name="Protection">What protected the submissions (or why nothing ran).</param>
/// <param name="SandboxRefused">True when no sandbox could run and nothing was run.</param>
public sealed record GradingReport(IReadOnlyList<(string Name, IReadOnlyList<GradedCheck> Checks)> Notebooks, IReadOnlyList<StudentResult> Results, string Protection, bool SandboxRefused)
{
    /// <summary>The exit code of <c>grade</c>: 0 when every submission was graded, 1 otherwise.</summary>
    public int ExitCode => SandboxRefused || Results.Any(r => r.Status.NotGraded()) ? 1 : 0;
}
