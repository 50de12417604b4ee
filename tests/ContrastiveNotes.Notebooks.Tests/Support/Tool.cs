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
        return ExternalProcess.Run("dotnet", [ToolPath, .. arguments], timeout, workingDirectory);
    }

    private static string Metadata(string key) =>
        typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
