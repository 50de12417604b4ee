using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// The metadata VS Code Polyglot Notebooks reads and writes (see shared/NOTEBOOK-CONVENTIONS.md),
/// and how a cell's language is decided.
/// </summary>
public static class NotebookConventions
{
    /// <summary>The notebook-level kernelspec of a C# Polyglot notebook.</summary>
    public static JsonObject KernelSpec() => new()
    {
        ["display_name"] = ".NET (C#)",
        ["language"] = "C#",
        ["name"] = ".net-csharp",
    };

    /// <summary>The notebook-level <c>polyglot_notebook</c> metadata.</summary>
    public static JsonObject PolyglotNotebookMetadata() => new()
    {
        ["kernelInfo"] = new JsonObject
        {
            ["defaultKernelName"] = "csharp",
            ["items"] = new JsonArray(new JsonObject
            {
                ["aliases"] = new JsonArray(),
                ["languageName"] = "C#",
                ["name"] = "csharp",
            }),
        },
    };

    /// <summary>Metadata for a new notebook as VS Code writes it.</summary>
    public static JsonObject NotebookMetadata() => new()
    {
        ["kernelspec"] = KernelSpec(),
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = PolyglotNotebookMetadata(),
    };

    /// <summary>Metadata of a C# code cell as VS Code writes it.</summary>
    public static JsonObject CSharpCellMetadata() => new()
    {
        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
    };

    /// <summary>The kernel a code cell names in its metadata, or null.</summary>
    public static string? CellKernelName(NotebookCell cell) =>
        (cell.Metadata["polyglot_notebook"] as JsonObject)?["kernelName"]?.GetValue<string>()
        ?? (cell.Metadata["dotnet_interactive"] as JsonObject)?["language"]?.GetValue<string>();

    /// <summary>
    /// True when a code cell is C#: metadata names csharp (or nothing), and the first non-blank
    /// line is not a magic naming another kernel (<c>#!markdown</c>, <c>#!fsharp</c>, ...).
    /// </summary>
    public static bool IsCSharpCell(NotebookCell cell)
    {
        var kernel = CellKernelName(cell);
        if (kernel is not null && kernel != "csharp" && kernel != "C#")
        {
            return false;
        }

        var magic = CellMagics.FirstMagic(cell.Source);
        return magic is null or "csharp" or "c#" or "C#" || !CellMagics.IsKernelSelector(magic);
    }
}
