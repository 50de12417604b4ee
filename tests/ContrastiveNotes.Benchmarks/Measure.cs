using System.Diagnostics;

namespace ContrastiveNotes.Benchmarks;

/// <summary>Small statistics and process helpers shared by the benchmarks.</summary>
internal static class Measure
{
    /// <summary>The median (upper median for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("No values to take the median of.", nameof(values));
        return sorted[sorted.Length / 2];
    }

    /// <summary>Milliseconds taken by <paramref name="action"/>.</summary>
    public static double Milliseconds(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>The process's resident set size in MiB from /proc/self/status (VmRSS), or NaN off Linux.</summary>
    public static double ResidentMiB()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path)) return double.NaN;
        foreach (string line in File.ReadLines(path))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]) / 1024.0;
        return double.NaN;
    }

    /// <summary>The 1-minute load average and core count, e.g. "load 3.10 on 2 cores".</summary>
    public static string MachineLoad()
    {
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"load average {load} on {Environment.ProcessorCount} cores";
    }

    /// <summary>The command that starts this benchmark program again (apphost, or dotnet + dll).</summary>
    public static ProcessStartInfo SelfStartInfo(IEnumerable<string> arguments)
    {
        string process = Environment.ProcessPath ?? "dotnet";
        var info = new ProcessStartInfo(process) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(process) == "dotnet")
            info.ArgumentList.Add(typeof(Measure).Assembly.Location);
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        return info;
    }

    /// <summary>Ratio formatted as "1.23x".</summary>
    public static string Ratio(double value) => double.IsFinite(value) ? $"{value:F2}x" : "n/a";
}
