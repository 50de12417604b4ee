namespace ContrastiveNotes.Benchmarks;

/// <summary>The summary table of a run and where the run's report is saved.</summary>
internal static class Report
{
    /// <summary>Prints one row per target: what was measured, the target and whether it is met.</summary>
    public static void WriteSummary(BenchmarkContext context)
    {
        Console.WriteLine("## Summary against the targets of issue 8");
        Console.WriteLine();
        Console.WriteLine("| area | measured | value | target | met |");
        Console.WriteLine("|---|---|---:|---|---|");
        foreach (var row in context.Rows)
            Console.WriteLine($"| {row.Area} | {row.Metric} | {row.Measured} | {row.Target} | {row.Met switch { true => "yes", false => "**no**", null => "n/a" }} |");
    }

    /// <summary>Writes <paramref name="markdown"/> to artifacts/benchmarks/results.md (temp file + rename); returns the path.</summary>
    public static string SaveAtomically(string markdown)
    {
        string root = FindRoot();
        string folder = Path.Combine(root, "artifacts", "benchmarks");
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "results.md");
        string temporary = Path.Combine(folder, $".results.md.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, markdown);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return path;
    }

    /// <summary>The repository root (folder of ContrastiveNotes.sln) above the current directory or this program.</summary>
    public static string FindRoot()
    {
        foreach (string? start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "ContrastiveNotes.sln")))
                    return dir.FullName;
        throw new DirectoryNotFoundException("ContrastiveNotes.sln not found above the current directory or the benchmark program; run from the repository.");
    }
}
