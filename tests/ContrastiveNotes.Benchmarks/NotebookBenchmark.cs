using System.Diagnostics;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// Wall time of every course notebook (notebooks/*.ipynb) run headless in the <c>fast</c> profile by the notebook tool
/// (lib/ContrastiveNotes.Notebooks), one notebook at a time; "no notebooks" when the folder has none.
/// </summary>
internal sealed class NotebookBenchmark : IBenchmark
{
    public string Name => "notebooks";

    public string Description => "Wall time of each notebooks/*.ipynb in the fast profile (notebook tool).";

    public void Run(string[] args, BenchmarkContext context)
    {
        string root = Report.FindRoot();
        string folder = Path.Combine(root, "notebooks");
        var notebooks = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToArray() : Array.Empty<string>();
        Console.WriteLine($"## Course notebooks, fast profile ({Measure.MachineLoad()})");
        Console.WriteLine();
        if (notebooks.Length == 0)
        {
            Console.WriteLine("no notebooks (no notebooks/*.ipynb in this checkout)");
            context.Add("course", "notebooks in fast mode", "no notebooks", "runs", null);
            return;
        }
        string tool = BuildTool(root);
        string output = Path.Combine(root, "artifacts", "benchmarks", "executed");
        Console.WriteLine("| notebook | wall time (s) | status |");
        Console.WriteLine("|---|---:|---|");
        foreach (string notebook in notebooks)
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
            string status = process.ExitCode == 0 ? "ok" : $"exit code {process.ExitCode}";
            string name = Path.GetFileName(notebook);
            Console.WriteLine($"| {name} | {watch.Elapsed.TotalSeconds:F0} | {status} |");
            context.Add("course", $"{name} (fast)", $"{watch.Elapsed.TotalSeconds:F0} s", "runs", process.ExitCode == 0);
        }
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
