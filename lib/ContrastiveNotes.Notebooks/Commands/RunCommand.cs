using System.CommandLine;
using System.Globalization;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Execution;
using ContrastiveNotes.Notebooks.Parameters;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary>
/// <c>run &lt;notebook|folder&gt;...</c>: executes notebooks headless and writes the executed copies.
/// One notebook runs in this process; several run one child process each (in name order) and a
/// summary table is printed.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var inputs = CommandOptions.Inputs("Notebooks to run");
        var output = CommandOptions.Output("artifacts/executed");
        var profile = CommandOptions.Profile("to inject as the notebook's parameters");
        var sets = CommandOptions.Sets();
        var cellTimeout = CommandOptions.CellTimeout(1800);
        var timeout = CommandOptions.NotebookTimeout(7200);
        var allowErrors = new Option<bool>("--allow-errors") { Description = "Keep running the next cells after a failing cell (a timeout still stops the notebook)." };
        var baseDirectory = new Option<string?>("--base-directory") { Description = "Working directory and base of relative #r/#load paths (default: the notebook's folder)." };
        var command = new Command("run", "Execute notebooks' C# cells in order, as the Polyglot kernel does, and write the executed notebooks.")
        {
            inputs, output, profile, sets, cellTimeout, timeout, allowErrors, baseDirectory,
        };
        command.SetAction(parse =>
        {
            var settings = new RunSettings(
                parse.GetValue(output)!,
                parse.GetValue(profile),
                parse.GetValue(sets) ?? [],
                TimeLimits.FromSeconds(parse.GetValue(cellTimeout), "--cell-timeout"),
                TimeLimits.FromSeconds(parse.GetValue(timeout), "--timeout"),
                parse.GetValue(allowErrors),
                parse.GetValue(baseDirectory));
            var notebooks = NotebookFiles.Expand(parse.GetValue(inputs)!);
            if (notebooks.Count == 0)
            {
                Console.Error.WriteLine("No notebooks found in the given folders.");
                return RunStatus.InvalidInput.ExitCode();
            }

            return notebooks.Count == 1 ? RunOne(notebooks[0], settings) : RunMany(notebooks, settings);
        });
        return command;
    }

    private static int RunOne(string path, RunSettings settings)
    {
        var document = NotebookReader.Read(path);
        var target = Path.GetFullPath(Path.Combine(settings.Output, Path.GetFileName(path)));
        if (FileIdentity.Same(target, path))
        {
            Console.Error.WriteLine($"Refusing to overwrite the input notebook {path} (the output {target} is the same file): choose another --output folder.");
            return RunStatus.InvalidInput.ExitCode();
        }

        var options = new RunOptions
        {
            CellTimeout = settings.CellTimeout,
            NotebookTimeout = settings.NotebookTimeout,
            Parameters = ParameterInjector.Collect(document, settings.Profile, settings.Sets),
            AllowErrors = settings.AllowErrors,
            BaseDirectory = settings.BaseDirectory,
        };
        using var writing = OutputLock.Acquire(target);
        using var exitGuard = new ProcessExitGuard(document, target);
        var report = new NotebookRunner(ToolConsole.Out).Run(document, options, executed => NotebookWriter.Write(executed, target));
        exitGuard.Finished();
        NotebookWriter.Write(document, target);
        var progress = ToolConsole.Out;
        if (report.Failure is not null)
        {
            ToolConsole.Error.WriteLine($"error: {report.Failure}");
        }

        progress.WriteLine($"[{document.Name}] {report.Status.Label()} ({report.ExecutedCells}/{report.CodeCells} cells, {report.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s) -> {target}");
        progress.Flush();
        ToolConsole.Error.Flush();
        if (report.Status == RunStatus.TimedOut)
        {
            // The hanging cell cannot be aborted in-process: the notebook is saved, end the process.
            writing.Dispose();
            Environment.Exit(report.ExitCode);
        }

        return report.ExitCode;
    }

    private static int RunMany(IReadOnlyList<string> notebooks, RunSettings settings)
    {
        var rows = new List<(string Name, string Cells, double Seconds, RunStatus Status)>();
        foreach (var path in notebooks)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var exit = ToolProcess.Run(settings.ToArguments(path), settings.NotebookTimeout + TimeSpan.FromSeconds(60), Console.WriteLine);
            var status = RunStatuses.FromExitCode(exit);
            rows.Add((Path.GetFileNameWithoutExtension(path), CountCells(Path.Combine(settings.Output, Path.GetFileName(path))), watch.Elapsed.TotalSeconds, status));
        }

        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        Console.WriteLine();
        Console.WriteLine($"{"notebook".PadRight(nameWidth)}  {"cells",9}  {"seconds",8}  status");
        foreach (var row in rows)
        {
            Console.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.Cells,9}  {row.Seconds.ToString("0.0", CultureInfo.InvariantCulture),8}  {row.Status.Label()}");
        }

        return rows.All(r => r.Status == RunStatus.Completed) ? 0 : RunStatus.Failed.ExitCode();
    }

    private static string CountCells(string executed)
    {
        try
        {
            var document = NotebookReader.Read(executed);
            var code = document.Cells.Where(NotebookRunner.IsExecutable).ToList();
            return $"{code.Count(c => c.ExecutionCount is not null)}/{code.Count}";
        }
        catch (Exception e) when (e is IOException or NotebookFormatException)
        {
            return "-";
        }
    }

    /// <summary>The run command's settings, and the one place they become a child process's arguments.</summary>
    private sealed record RunSettings(string Output, string? Profile, string[] Sets, TimeSpan CellTimeout, TimeSpan NotebookTimeout, bool AllowErrors, string? BaseDirectory)
    {
        public List<string> ToArguments(string notebook)
        {
            var arguments = new List<string>
            {
                "run", notebook, "--output", Output,
                "--cell-timeout", CellTimeout.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
                "--timeout", NotebookTimeout.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
            };
            if (Profile is not null)
            {
                arguments.AddRange(["--profile", Profile]);
            }

            arguments.AddRange(Sets.SelectMany(set => new[] { "--set", set }));
            if (AllowErrors)
            {
                arguments.Add("--allow-errors");
            }

            if (BaseDirectory is not null)
            {
                arguments.AddRange(["--base-directory", BaseDirectory]);
            }

            return arguments;
        }
    }
}
