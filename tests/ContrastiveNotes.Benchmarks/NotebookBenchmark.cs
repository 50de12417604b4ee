using System.Diagnostics;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// Wall time of every course notebook (notebooks/*.ipynb) run headless in the <c>fast</c> profile by the notebook tool
/// (lib/ContrastiveNotes.Notebooks), one notebook at a time; "no notebooks" when the folder has none. With
/// <c>--baseline-tool DLL</c> (another build of the tool, e.g. the Roslyn-scripting runner of commit 210d6c7 built in a
/// git worktree) each notebook runs with both tools, alternating, and the table gives both times and their ratio.
/// </summary>
internal sealed class NotebookBenchmark : IBenchmark
{
    public string Name => "notebooks";

    public string Description => "Wall time of each notebooks/*.ipynb in the fast profile (notebook tool); --baseline-tool DLL runs another build side by side.";

    public void Run(string[] args, BenchmarkContext context)
    {
        string root = Report.FindRoot();
        string folder = Path.Combine(root, "notebooks");
        var notebooks = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray() : Array.Empty<string>();
        string? baseline = Options.Value(args, "--baseline-tool");
        Console.WriteLine($"## Course notebooks, fast profile ({Measure.MachineLoad()})");
        Console.WriteLine();
        if (notebooks.Length == 0)
        {
            Console.WriteLine("no notebooks (no notebooks/*.ipynb in this checkout)");
            context.Add("course", "notebooks in fast mode", "no notebooks", "runs", null);
            return;
        }
        if (baseline is not null && !File.Exists(baseline))
            throw new FileNotFoundException($"--baseline-tool {baseline}: no such file. Build the other tool first (dotnet build <checkout>/lib/ContrastiveNotes.Notebooks -c Release).");
        string tool = BuildTool(root);
        string output = Path.Combine(root, "artifacts", "benchmarks", "executed");
        if (baseline is null)
        {
            Console.WriteLine("| notebook | wall time (s) | status |");
            Console.WriteLine("|---|---:|---|");
        }
        else
        {
            Console.WriteLine($"Baseline: `{baseline}`; the two tools alternate (this tool first, then the baseline, notebook by notebook).");
            Console.WriteLine();
            Console.WriteLine("| notebook | baseline (s) | this tool (s) | this / baseline | status (baseline, this) |");
            Console.WriteLine("|---|---:|---:|---:|---|");
        }
        foreach (string notebook in notebooks)
        {
            string name = Path.GetFileName(notebook);
            var (seconds, exit) = RunNotebook(tool, notebook, output);
            if (baseline is null)
            {
                Console.WriteLine($"| {name} | {seconds:F0} | {Status(exit)} |");
                context.Add("course", $"{name} (fast)", $"{seconds:F0} s", "runs", exit == 0);
                continue;
            }
            var (baseSeconds, baseExit) = RunNotebook(baseline, notebook, output + "-baseline");
            Console.WriteLine($"| {name} | {baseSeconds:F0} | {seconds:F0} | {seconds / baseSeconds:F2}x | {Status(baseExit)}, {Status(exit)} |");
            context.Add("course", $"{name} (fast, real kernel vs baseline)", $"{seconds:F0} s vs {baseSeconds:F0} s", "runs", exit == 0);
        }
    }

    private static string Status(int exit) => exit == 0 ? "ok" : $"exit code {exit}";

    private static (double Seconds, int ExitCode) RunNotebook(string tool, string notebook, string output)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { tool, "run", notebook, "--profile", "fast", "--output", output }) info.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[notebook] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[notebook] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return (watch.Elapsed.TotalSeconds, process.ExitCode);
    }

    private static string BuildTool(string root)
    {
        string project = Path.Combine(root, "lib", "ContrastiveNotes.Notebooks");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string a in new[] { "build", project, "-c", "Release", "--nologo", "-v", "q" }) info.ArgumentList.Add(a);
        using (var build = Process.Start(info)!)
        {
            build.StandardOutput.ReadToEnd();
            build.WaitForExit();
            if (build.ExitCode != 0) throw new InvalidOperationException($"Building {project} failed (exit code {build.ExitCode}); run 'dotnet build {project} -c Release' to see why.");
        }
        return Path.Combine(project, "bin", "Release", "net10.0", "contrastive-notebooks.dll");
    }
}
