using System.Diagnostics;
using System.Reflection;

namespace ContrastiveNotes.Notebooks.Tests.Support;

/// <summary>Runs the built tool (<c>dotnet contrastive-notebooks.dll ...</c>) as a child process.</summary>
internal static class Tool
{
    public static string ToolPath => Metadata("ToolPath");

    public static string LibraryPath => Metadata("LibraryPath");

    public static ToolResult Run(string workingDirectory, params string[] arguments) =>
        Run(workingDirectory, TimeSpan.FromMinutes(3), arguments);

    public static ToolResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        Assert.True(File.Exists(ToolPath), $"the tool is not built at {ToolPath}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(ToolPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the tool did not finish within {timeout.TotalMinutes} minutes: {string.Join(' ', arguments)}");
        }

        process.WaitForExit();
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Metadata(string key) =>
        typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
