using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Parameters;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Runs a notebook's C# cells in order in one session (like the Polyglot kernel), with the
/// notebook's folder as working directory, and records papermill-style execution metadata:
/// per cell <c>metadata.papermill = {start_time, end_time, duration, status, exception}</c>,
/// <c>execution_count</c>, and on failure a visible marker cell at the top pointing at the failing
/// cell. Prints one progress line per cell: <c>[03-simclr] cell 7/31 ok 2.3s</c>.
/// </summary>
public sealed class NotebookRunner(TextWriter progress)
{
    /// <summary>The tag papermill puts on its error marker cells.</summary>
    public const string ErrorMarkerTag = "papermill-error-cell-tag";

    /// <summary>The papermill status of the cell being run (papermill's own word).</summary>
    public const string RunningStatus = "running";

    /// <summary>
    /// Runs <paramref name="document"/> in place (outputs replaced). On a timeout the returned status
    /// is <c>timeout</c> and the hanging cell is still running: save and end the process.
    /// </summary>
    /// <param name="document">The notebook; its cells receive outputs and papermill records.</param>
    /// <param name="options">Time limits, parameters, error policy.</param>
    /// <param name="checkpoint">Called after every cell (e.g. to save), so a crash keeps earlier results.</param>
    /// <param name="executor">
    /// The kernel to run in; null runs the real kernel in this process, with the notebook's folder (or
    /// <see cref="RunOptions.BaseDirectory"/>) as working directory. Another executor keeps its own working directory.
    /// </param>
    public RunReport Run(NotebookDocument document, RunOptions options, Action<NotebookDocument>? checkpoint = null, ICellExecutor? executor = null)
    {
        ParameterInjector.Inject(document, options.Parameters);
        foreach (var cell in document.Cells)
        {
            if (cell.IsCode)
            {
                cell.ClearOutputs();
            }
        }

        document.Cells.RemoveAll(c => c.Tags.Contains(ErrorMarkerTag));
        if (executor is not null)
        {
            return RunCells(document, options, executor, checkpoint);
        }

        var folder = options.BaseDirectory is { } baseDirectory
            ? Path.GetFullPath(baseDirectory)
            : Path.GetDirectoryName(document.Path) ?? Directory.GetCurrentDirectory();
        var previousDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);
        try
        {
            using var inProcess = new CellExecutor();
            return RunCells(document, options, inProcess, checkpoint);
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
        }
    }

    private RunReport RunCells(NotebookDocument document, RunOptions options, ICellExecutor executor, Action<NotebookDocument>? checkpoint)
    {
        var started = DateTime.UtcNow;
        var watch = Stopwatch.StartNew();
        var codeCells = document.Cells.Where(IsExecutable).ToList();
        foreach (var cell in codeCells)
        {
            cell.Metadata["papermill"] = Record("pending", null, null, null);
        }

        var status = RunStatus.Completed;
        string? failure = null;
        NotebookCell? failedCell = null;
        var executed = 0;
        for (var i = 0; i < codeCells.Count; i++)
        {
            var cell = codeCells[i];
            var remaining = options.NotebookTimeout - watch.Elapsed;
            var notebookLimit = remaining < options.CellTimeout;
            var timeout = notebookLimit ? remaining : options.CellTimeout;
            if (timeout <= TimeSpan.Zero)
            {
                timeout = TimeSpan.FromMilliseconds(1);
            }

            var cellStart = DateTime.UtcNow;
            var limitName = notebookLimit
                ? $"what was left of the notebook time limit of {options.NotebookTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s"
                : "--cell-timeout";
            cell.Metadata["papermill"] = Record(RunningStatus, cellStart, null, null);
            var outcome = executor.Execute(cell.Source, i + 1, timeout, limitName);
            executed++;
            cell.ExecutionCount = executed;
            cell.Outputs.Clear();
            cell.Outputs.AddRange(outcome.Outputs);
            cell.Metadata["papermill"] = Record(outcome.Succeeded ? "completed" : "failed", cellStart, cellStart + outcome.Duration, outcome.Error is null ? null : true);
            var label = outcome.Status switch { CellStatus.Completed => "ok", CellStatus.TimedOut => "TIMEOUT", CellStatus.KernelLost => "KERNEL LOST", _ => "FAILED" };
            progress.WriteLine($"[{document.Name}] cell {i + 1}/{codeCells.Count} {label} {outcome.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
            checkpoint?.Invoke(document);
            if (outcome.Succeeded)
            {
                continue;
            }

            var where = outcome.Error?.Line is { } line ? $", line {line}" : "";
            // Position in the notebook as the author sees it (the injected parameters cell is not there).
            var position = document.Cells.TakeWhile(c => c != cell).Count(c => !c.Tags.Contains(ParameterInjector.InjectedTag)) + 1;
            var description = $"{document.Name}: cell {i + 1} (notebook cell {position}){where}: {outcome.Error?.Name}: {outcome.Error?.Message}";
            if (failedCell is null)
            {
                failedCell = cell;
                failure = description;
                status = RunStatusOf(outcome.Status);
            }

            progress.WriteLine($"  {description}");
            if (outcome.EndsRun || !options.AllowErrors)
            {
                if (outcome.EndsRun)
                {
                    status = RunStatusOf(outcome.Status);
                }

                break;
            }
        }

        if (failedCell is not null && !options.AllowErrors)
        {
            InsertErrorMarkers(document, failedCell);
        }

        var ended = DateTime.UtcNow;
        if (document.Metadata["papermill"] is not JsonObject papermill)
        {
            papermill = new JsonObject();
            document.Metadata["papermill"] = papermill;
        }

        papermill["start_time"] = Timestamp(started);
        papermill["end_time"] = Timestamp(ended);
        papermill["duration"] = watch.Elapsed.TotalSeconds;
        papermill["exception"] = failedCell is not null;
        papermill["input_path"] = document.Path;
        return new RunReport(status, codeCells.Count, executed, watch.Elapsed, failure);
    }

    private static RunStatus RunStatusOf(CellStatus cell) => cell switch
    {
        CellStatus.TimedOut => RunStatus.TimedOut,
        CellStatus.KernelLost => RunStatus.Crashed,
        CellStatus.Completed => RunStatus.Completed,
        _ => RunStatus.Failed,
    };

    /// <summary>True for cells the runner executes: C# code cells (a <c>#!markdown</c> cell is markdown).</summary>
    public static bool IsExecutable(NotebookCell cell) =>
        cell.IsCode && cell.IsCSharp && !CellMagics.StartsWithMarkdownMagic(cell.Source) && !string.IsNullOrWhiteSpace(cell.Source);

    private static void InsertErrorMarkers(NotebookDocument document, NotebookCell failed)
    {
        var count = failed.ExecutionCount?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var top = new NotebookCell("markdown", $"<span style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\">An Exception was encountered at '<a href=\"#papermill-error-cell\">In [{count}]</a>'.</span>");
        top.AddTag(ErrorMarkerTag);
        var here = new NotebookCell("markdown", "<span id=\"papermill-error-cell\" style=\"color:red; font-family:Helvetica Neue, Helvetica, Arial, sans-serif; font-size:2em;\">Execution using papermill encountered an exception here and stopped:</span>");
        here.AddTag(ErrorMarkerTag);
        document.Cells.Insert(document.Cells.IndexOf(failed), here);
        document.Cells.Insert(0, top);
    }

    private static JsonObject Record(string status, DateTime? start, DateTime? end, bool? exception) => new()
    {
        ["duration"] = start is null || end is null ? null : (end.Value - start.Value).TotalSeconds,
        ["end_time"] = end is null ? null : Timestamp(end.Value),
        ["exception"] = exception,
        ["start_time"] = start is null ? null : Timestamp(start.Value),
        ["status"] = status,
    };

    private static string Timestamp(DateTime time) => time.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
}
