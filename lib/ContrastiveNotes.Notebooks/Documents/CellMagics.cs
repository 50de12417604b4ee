namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// The <c>#!</c> magics that decide a cell's language in Polyglot notebooks (<c>#!markdown</c>,
/// <c>#!fsharp</c>, ...). Running them is the kernel's job; the tool only needs to know which cells are C#.
/// </summary>
public static class CellMagics
{
    private static readonly HashSet<string> KernelSelectors = new(StringComparer.OrdinalIgnoreCase)
    {
        "csharp", "c#", "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md",
        "sql", "kql", "mermaid", "value", "http",
    };

    /// <summary>True when a <c>#!</c> magic (without the <c>#!</c>) selects a kernel.</summary>
    public static bool IsKernelSelector(string magic) => KernelSelectors.Contains(magic.Split(' ')[0]);

    /// <summary>True when a cell's first non-blank line is <c>#!markdown</c> (or <c>#!md</c>).</summary>
    public static bool StartsWithMarkdownMagic(string source) => FirstMagic(source) is "markdown" or "md";

    /// <summary>The magic on a cell's first non-blank line (without <c>#!</c>), or null.</summary>
    public static string? FirstMagic(string source)
    {
        var first = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return first is not null && first.StartsWith("#!", StringComparison.Ordinal) ? first[2..].Trim() : null;
    }
}
