using System.Diagnostics;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Starts this tool again as a child process (e.g. <c>run</c> for one notebook), so that each
/// notebook gets a fresh session and a hanging or crashing one cannot stop the others.
/// </summary>
public static class ToolProcess
{
    /// <summary>Runs the tool with arguments; kills it (whole tree) after <paramref name="hardLimit"/>.</summary>
    /// <param name="arguments">The tool's command line.</param>
    /// <param name="hardLimit">Wall-time limit after which the child is killed.</param>
    /// <param name="onOutputLine">Receives each line the child prints (stdout and stderr).</param>
    /// <returns>The exit code, or null when the child was killed.</returns>
    public static int? Run(IEnumerable<string> arguments, TimeSpan hardLimit, Action<string>? onOutputLine = null)
    {
        var info = StartInfo(arguments);
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onOutputLine?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onOutputLine?.Invoke(e.Data); };
        process.Start();
        process.StandardInput.Close(); // a cell reading Console.In gets end-of-file instead of waiting forever
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(hardLimit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return null;
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>A start info running this tool (through <c>dotnet tool.dll</c> or its apphost).</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var command = CommandLine(arguments);
        var info = new ProcessStartInfo
        {
            FileName = command[0],
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>The command line that runs this tool with <paramref name="arguments"/>: the host, then (for <c>dotnet</c>) the tool's assembly.</summary>
    public static List<string> CommandLine(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? "dotnet";
        var command = new List<string> { host };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            command.Add(typeof(ToolProcess).Assembly.Location);
        }

        command.AddRange(arguments);
        return command;
    }
}
