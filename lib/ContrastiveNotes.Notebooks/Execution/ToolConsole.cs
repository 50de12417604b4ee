namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// The process's own standard output and error, for the tool's progress lines and messages. The kernel
/// redirects <see cref="Console.Out"/> while a cell runs (cell output becomes the cell's <c>stream</c>
/// outputs); these writers are taken before any kernel exists, so the tool's lines never land in a cell.
/// </summary>
public static class ToolConsole
{
    /// <summary>The real standard output.</summary>
    public static TextWriter Out { get; } = Console.Out;

    /// <summary>The real standard error.</summary>
    public static TextWriter Error { get; } = Console.Error;
}
