using System.Text.RegularExpressions;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// The kernel's directives in a C# cell: <c>#r "path.dll"</c>, <c>#r "nuget: Name, Version"</c>,
/// <c>#i "source"</c> and <c>#!</c> magics. They are taken out of the code (replaced by blank
/// lines so that compiler line numbers still match the cell), while <c>#load "file.csx"</c> stays
/// for Roslyn, which resolves it relative to the notebook folder.
/// </summary>
public static partial class KernelDirectives
{
    private static readonly HashSet<string> KernelSelectors = new(StringComparer.OrdinalIgnoreCase)
    {
        "csharp", "c#", "fsharp", "f#", "pwsh", "powershell", "javascript", "js", "html", "markdown", "md",
        "sql", "kql", "mermaid", "value", "http",
    };

    /// <summary>True when a <c>#!</c> magic (without the <c>#!</c>) selects a kernel.</summary>
    public static bool IsKernelSelector(string magic) => KernelSelectors.Contains(magic.Split(' ')[0]);

    /// <summary>True when a cell's first non-blank line is <c>#!markdown</c> (or <c>#!md</c>).</summary>
    public static bool StartsWithMarkdownMagic(string source)
    {
        var first = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        return first is "#!markdown" or "#!md";
    }

    /// <summary>Splits a C# cell into code for Roslyn and the directives it contains.</summary>
    /// <exception cref="NotebookDirectiveException">A directive the headless runner cannot honour.</exception>
    public static ParsedCell Parse(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var references = new List<AssemblyReference>();
        var packages = new List<PackageRequest>();
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = trimmed[2..].Trim();
                if (magic is "csharp" or "c#" or "C#")
                {
                    lines[i] = "";
                    continue;
                }

                throw new NotebookDirectiveException(i + 1, $"the magic command '#!{magic}' is not supported by the headless runner; it runs C# cells only (start the cell with #!csharp or nothing).");
            }

            if (ReferenceDirective().Match(trimmed) is { Success: true } r)
            {
                var target = r.Groups["target"].Value.Trim();
                if (target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
                {
                    packages.Add(PackageRequest.Parse(target["nuget:".Length..], i + 1));
                }
                else
                {
                    references.Add(new AssemblyReference(target, i + 1));
                }

                lines[i] = "";
            }
            else if (SourceDirective().IsMatch(trimmed))
            {
                // #i "nuget: <source>" adds a package source; headless runs use the local package folder only.
                lines[i] = "";
            }
        }

        return new ParsedCell(string.Join('\n', lines), references, packages);
    }

    [GeneratedRegex("""^#r\s+"(?<target>[^"]+)"\s*;?$""")]
    private static partial Regex ReferenceDirective();

    [GeneratedRegex("""^#i\s+"[^"]*"\s*;?$""")]
    private static partial Regex SourceDirective();
}
