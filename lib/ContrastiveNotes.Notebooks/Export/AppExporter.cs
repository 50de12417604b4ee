using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContrastiveNotes.Notebooks.Documents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ContrastiveNotes.Notebooks.Export;

/// <summary>
/// Turns a course notebook into a C# file-based app (<c>dotnet run 03-simclr.cs</c>, .NET 10), Microsoft's migration
/// path for C# notebooks now that .NET Interactive is deprecated. The app is the notebook in order: markdown cells
/// become comments, code cells become top-level statements, a cell's final value becomes <c>display(value);</c>
/// (charts and images are written as files next to the app by the library's <c>NotebookApp</c>), the notebook's
/// <c>#r</c> of the course library becomes a <c>#:project</c> reference to it and <c>#r "nuget: ..."</c> a
/// <c>#:package</c>. What a program cannot hold where a script can is moved: <c>using</c> directives to the top, type
/// declarations to the end. The kernel's default namespaces are the SDK's implicit usings, less <c>System.Text</c> and
/// <c>System.Collections</c>: a script's own usings shadow the kernel's, a program's would clash with them
/// (<c>System.Text.Encoder</c> against the course's <c>Encoder</c>); a cell that needs them says so itself.
/// </summary>
public sealed partial class AppExporter
{
    private static readonly CSharpParseOptions ScriptOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    /// <summary>Exports <paramref name="document"/> (parameters already applied) to the text of a file-based app.</summary>
    /// <param name="document">The notebook.</param>
    /// <param name="libraryProject">Path of lib/ContrastiveNotes/ContrastiveNotes.csproj relative to the app's folder.</param>
    /// <param name="notebookFolder">The notebook's folder relative to the app's folder (the app's working directory).</param>
    /// <param name="profile">The parameter profile applied, named in the header, or null.</param>
    /// <exception cref="AppExportException">A cell uses something an app cannot express.</exception>
    public string Export(NotebookDocument document, string libraryProject, string notebookFolder, string? profile)
    {
        // File-based apps default to native AOT, which turns off reflection-based JSON (the charts' figures use it).
        var directives = new SortedSet<string>(StringComparer.Ordinal) { $"#:project {libraryProject.Replace('\\', '/')}", "#:property PublishAot=false" };
        var usings = new SortedSet<string>(StringComparer.Ordinal);
        var types = new StringBuilder();
        var body = new StringBuilder();
        var cellNumber = 0;
        foreach (var cell in document.Cells)
        {
            if (cell.CellType == "markdown" || cell.IsCode && CellMagics.StartsWithMarkdownMagic(cell.Source))
            {
                AppendComment(body, cell.IsCode ? string.Join('\n', cell.Source.Split('\n').Skip(1)) : cell.Source);
            }
            else if (cell.IsCode && !string.IsNullOrWhiteSpace(cell.Source))
            {
                cellNumber++;
                body.Append(CultureInfo.InvariantCulture, $"// ---- cell {cellNumber}{(cell.Tags.Count > 0 ? $" ({string.Join(", ", cell.Tags)})" : "")}\n");
                var code = TakeDirectives(cell.Source, document.Name, cellNumber, directives);
                AppendCode(code, usings, body, types);
                body.Append('\n');
            }
        }

        var app = new StringBuilder();
        app.Append(CultureInfo.InvariantCulture, $"// {document.Name}: exported from the notebook by `contrastive-notebooks export-app`{(profile is null ? "" : $" with the '{profile}' profile")}.\n");
        app.Append("// Run it with the .NET 10 SDK from anywhere: dotnet run <this file>. Charts, images and tables are written to\n");
        app.Append(CultureInfo.InvariantCulture, $"// {document.Name}-outputs/ next to it. Edit the notebook, not this file: export again to update it.\n");
        foreach (var directive in directives) app.Append(directive).Append('\n');
        app.Append('\n');
        usings.Add("using static ContrastiveNotes.Interactive.NotebookApp;");
        foreach (var directive in usings) app.Append(directive).Append('\n');
        app.Append('\n');
        app.Append(CultureInfo.InvariantCulture, $"ContrastiveNotes.Interactive.NotebookApp.Start({SymbolDisplay.FormatLiteral(document.Name, true)}, {SymbolDisplay.FormatLiteral(notebookFolder.Replace('\\', '/'), true)});\n\n");
        app.Append(body);
        if (types.Length > 0)
        {
            app.Append("// ---- types declared in the notebook's cells (a program declares them after its statements)\n").Append(types);
        }

        return app.ToString();
    }

    private static void AppendComment(StringBuilder body, string markdown)
    {
        foreach (var line in markdown.TrimEnd().Split('\n'))
        {
            body.Append(line.Length == 0 ? "//" : "// " + line.TrimEnd('\r')).Append('\n');
        }

        body.Append('\n');
    }

    /// <summary>Removes the kernel's directives from a cell, turning those an app can express into <c>#:</c> directives.</summary>
    private static string TakeDirectives(string source, string notebook, int cell, SortedSet<string> directives)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('#') || line.StartsWith("#nullable", StringComparison.Ordinal) || line.StartsWith("#pragma", StringComparison.Ordinal) || line.StartsWith("#region", StringComparison.Ordinal) || line.StartsWith("#endregion", StringComparison.Ordinal))
            {
                continue;
            }

            var where = $"{notebook}: cell {cell}, line {i + 1}";
            if (line is "#!csharp" or "#!c#" or "#!C#")
            {
                lines[i] = "";
            }
            else if (NugetReference().Match(line) is { Success: true } nuget)
            {
                var version = nuget.Groups["version"].Value.Trim();
                directives.Add($"#:package {nuget.Groups["name"].Value.Trim()}{(version.Length > 0 ? "@" + version : "")}");
                lines[i] = "";
            }
            else if (AssemblyReference().Match(line) is { Success: true } reference)
            {
                if (!Path.GetFileName(reference.Groups["path"].Value).Equals("ContrastiveNotes.dll", StringComparison.OrdinalIgnoreCase))
                    throw new AppExportException($"{where}: '{line}' references an assembly an app cannot load by path; only the course library (ContrastiveNotes.dll, which becomes #:project) and #r \"nuget: ...\" can be exported.");
                lines[i] = "";
            }
            else
            {
                throw new AppExportException($"{where}: '{line}' is a notebook directive (#load, #i or a #! magic) that a file-based app cannot run. Rewrite the cell in plain C#.");
            }
        }

        return string.Join('\n', lines);
    }

    private static void AppendCode(string code, SortedSet<string> usings, StringBuilder body, StringBuilder types)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptOptions).GetRoot();
        foreach (var directive in root.Usings)
        {
            usings.Add(directive.ToString().Trim());
        }

        var members = root.Members;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (member is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or BaseNamespaceDeclarationSyntax)
            {
                types.Append(member.ToFullString().Trim('\n')).Append("\n\n");
            }
            else if (i == members.Count - 1 && member is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last })
            {
                body.Append(last.GetLeadingTrivia().ToFullString().TrimStart('\n'))
                    .Append("display(").Append(last.Expression.WithoutTrivia().ToFullString()).Append(");\n");
            }
            else
            {
                body.Append(member.ToFullString().Trim('\n')).Append('\n');
            }
        }
    }

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<name>[^,"]+)(,(?<version>[^"]*))?"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^#r\s+"(?<path>[^"]+)"\s*$""")]
    private static partial Regex AssemblyReference();
}
