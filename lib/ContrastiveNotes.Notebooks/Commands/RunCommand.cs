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
                parse.GetValue(cellTimeout),
                parse.GetValue(timeout),
                parse.GetValue(allowErrors),
                parse.GetValue(baseDirectory));
            var notebooks = NotebookFiles.Expand(parse.GetValue(inputs)!);
            if (notebooks.Count == 0)
            {
                Console.Error.WriteLine("No notebooks found in the given folders.");
                return 2;
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
            Console.Error.WriteLine($"Refusing to overwrite the input notebook {path}: choose another --output folder.");
            return 2;
        }

        var options = new RunOptions
        {
            CellTimeout = TimeSpan.FromSeconds(settings.CellTimeout),
            NotebookTimeout = TimeSpan.FromSeconds(settings.NotebookTimeout),
            Parameters = ParameterInjector.Collect(document, settings.Profile, settings.Sets),
            AllowErrors = settings.AllowErrors,
            BaseDirectory = settings.BaseDirectory,
        };
        var report = new NotebookRunner(ToolConsole.Out).Run(document, options, executed => NotebookWriter.Write(executed, target));
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
            Environment.Exit(report.ExitCode);
        }

        return report.ExitCode;
    }

    private static int RunMany(IReadOnlyList<string> notebooks, RunSettings settings)
    {
        var rows = new List<(string Name, string Cells, double Seconds, string Status)>();
        foreach (var path in notebooks)
        {
            var arguments = new List<string> { "run", path, "--output", settings.Output, "--cell-timeout", settings.CellTimeout.ToString(CultureInfo.InvariantCulture), "--timeout", settings.NotebookTimeout.ToString(CultureInfo.InvariantCulture) };
            if (settings.Profile is not null)
            {
                arguments.AddRange(["--profile", settings.Profile]);
            }

            foreach (var set in settings.Sets)
            {
                arguments.AddRange(["--set", set]);
            }

            if (settings.AllowErrors)
            {
                arguments.Add("--allow-errors");
            }

            if (settings.BaseDirectory is not null)
            {
                arguments.AddRange(["--base-directory", settings.BaseDirectory]);
            }

            var target = Path.Combine(settings.Output, Path.GetFileName(path));
            if (File.Exists(target) && !FileIdentity.Same(target, path))
            {
                File.Delete(target);
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var exit = ToolProcess.Run(arguments, TimeSpan.FromSeconds(settings.NotebookTimeout + 60), Console.WriteLine);
            var status = exit switch { 0 => "ok", 3 => "timeout", null => "killed", 2 => "error", _ => "failed" };
            var cells = CountCells(target);
            rows.Add((Path.GetFileNameWithoutExtension(path), cells, watch.Elapsed.TotalSeconds, status));
        }

        var nameWidth = Math.Max(8, rows.Max(r => r.Name.Length));
        Console.WriteLine();
        Console.WriteLine($"{"notebook".PadRight(nameWidth)}  {"cells",9}  {"seconds",8}  status");
        foreach (var row in rows)
        {
            Console.WriteLine($"{row.Name.PadRight(nameWidth)}  {row.Cells,9}  {row.Seconds.ToString("0.0", CultureInfo.InvariantCulture),8}  {row.Status}");
        }

        return rows.All(r => r.Status == "ok") ? 0 : 1;
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

    private sealed record RunSettings(string Output, string? Profile, string[] Sets, double CellTimeout, double NotebookTimeout, bool AllowErrors, string? BaseDirectory);
}
