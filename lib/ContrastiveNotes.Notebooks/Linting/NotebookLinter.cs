using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Exercises;
using ContrastiveNotes.Notebooks.Parameters;

namespace ContrastiveNotes.Notebooks.Linting;

/// <summary>
/// Checks committed course notebooks: valid JSON in nbformat 4.5 shape, the Polyglot metadata of
/// NOTEBOOK-CONVENTIONS.md on the notebook and on every code cell, a <c>parameters</c> cell,
/// <c>fast</c> and <c>full</c> profiles, no committed outputs, balanced exercise markers, and a graded
/// check cell after every exercise solution cell, and check cells that name the checker and references by
/// <c>global::</c> names (<see cref="CheckCellNames"/>). Each problem is one line: <c>name: [cell N: ]message</c>.
/// </summary>
public static partial class NotebookLinter
{
    /// <summary>The profiles every course notebook must define.</summary>
    public static readonly string[] RequiredProfiles = ["fast", "full"];

    /// <summary>The longest code line a lesson may have: longer lines scroll sideways in VS Code and in the export.</summary>
    public const int MaxCodeLineLength = 100;

    /// <summary>Lints a notebook file.</summary>
    public static IReadOnlyList<string> Check(string path) =>
        CheckText(File.ReadAllText(path), Path.GetFileNameWithoutExtension(path));

    /// <summary>Lints notebook JSON text; <paramref name="name"/> prefixes each problem.</summary>
    public static IReadOnlyList<string> CheckText(string json, string name)
    {
        var problems = new List<string>();
        void Add(string message) => problems.Add($"{name}: {message}");
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            Add($"not valid JSON: {e.Message}");
            return problems;
        }

        if (root is not JsonObject obj)
        {
            Add("not a JSON object");
            return problems;
        }

        foreach (var shapeProblem in ShapeProblems(obj))
        {
            Add(shapeProblem);
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var document = NotebookReader.Parse(json, name);
        CheckNotebookMetadata(document, Add);
        CheckCells(document, Add);
        foreach (var shadowable in CheckCellNames.Unqualified(document))
        {
            Add(shadowable);
        }

        return problems;
    }

    /// <summary>The nbformat 4.5 structural rules (the parts of the JSON schema the course relies on).</summary>
    public static IEnumerable<string> ShapeProblems(JsonObject notebook)
    {
        if (notebook["nbformat"]?.GetValueKind() != JsonValueKind.Number || notebook["nbformat"]!.GetValue<int>() != 4)
        {
            yield return "nbformat must be 4";
        }

        if (notebook["nbformat_minor"]?.GetValueKind() != JsonValueKind.Number || notebook["nbformat_minor"]!.GetValue<int>() < 5)
        {
            yield return "nbformat_minor must be 5 or more (cell ids)";
        }

        if (notebook["metadata"] is not JsonObject)
        {
            yield return "metadata must be an object";
        }

        if (notebook["cells"] is not JsonArray cells)
        {
            yield return "cells must be an array";
            yield break;
        }

        var ids = new HashSet<string>();
        for (var i = 0; i < cells.Count; i++)
        {
            var where = $"cell {i + 1}: ";
            if (cells[i] is not JsonObject cell)
            {
                yield return where + "not an object";
                continue;
            }

            var type = cell["cell_type"]?.GetValueKind() == JsonValueKind.String ? cell["cell_type"]!.GetValue<string>() : null;
            if (type is not ("code" or "markdown" or "raw"))
            {
                yield return where + "cell_type must be code, markdown or raw";
            }

            var id = cell["id"]?.GetValueKind() == JsonValueKind.String ? cell["id"]!.GetValue<string>() : null;
            if (id is null || !CellId().IsMatch(id))
            {
                yield return where + "id must be 1-64 characters of letters, digits, '-' or '_'";
            }
            else if (!ids.Add(id))
            {
                yield return where + $"id '{id}' is not unique";
            }

            if (cell["metadata"] is not JsonObject)
            {
                yield return where + "metadata must be an object";
            }

            if (!IsMultiline(cell["source"]))
            {
                yield return where + "source must be a string or a list of strings";
            }

            if (type == "code")
            {
                if (cell["outputs"] is not JsonArray)
                {
                    yield return where + "a code cell needs an outputs array";
                }

                if (!cell.ContainsKey("execution_count") || cell["execution_count"] is { } count && count.GetValueKind() != JsonValueKind.Number)
                {
                    yield return where + "a code cell needs execution_count (a number or null)";
                }
            }
            else if (cell.ContainsKey("outputs") || cell.ContainsKey("execution_count"))
            {
                yield return where + $"a {type} cell must not have outputs or execution_count";
            }
        }
    }

    private static void CheckNotebookMetadata(NotebookDocument document, Action<string> add)
    {
        var kernelspec = document.Metadata["kernelspec"] as JsonObject;
        if (kernelspec?["name"]?.ToString() != ".net-csharp" || kernelspec["language"]?.ToString() != "C#" || kernelspec["display_name"]?.ToString() != ".NET (C#)")
        {
            add("metadata.kernelspec must be {\"display_name\": \".NET (C#)\", \"language\": \"C#\", \"name\": \".net-csharp\"}");
        }

        if (document.Metadata["language_info"]?["name"]?.ToString() != "polyglot-notebook")
        {
            add("metadata.language_info.name must be \"polyglot-notebook\"");
        }

        if (document.Metadata["polyglot_notebook"]?["kernelInfo"]?["defaultKernelName"]?.ToString() != "csharp")
        {
            add("metadata.polyglot_notebook.kernelInfo.defaultKernelName must be \"csharp\"");
        }

        if (!document.Cells.Any(c => c.IsCode && c.Tags.Contains(ParameterInjector.ParametersTag)))
        {
            add("no code cell is tagged 'parameters' (papermill defaults cell)");
        }

        var profiles = ParameterInjector.Profiles(document);
        foreach (var profile in RequiredProfiles.Where(p => !profiles.ContainsKey(p)))
        {
            add($"metadata.contrastive_notes.profiles.{profile} is missing");
        }
    }

    private static void CheckCells(NotebookDocument document, Action<string> add)
    {
        for (var i = 0; i < document.Cells.Count; i++)
        {
            var cell = document.Cells[i];
            var where = $"cell {i + 1}: ";
            if (!cell.IsCode)
            {
                continue;
            }

            if (cell.Metadata["dotnet_interactive"]?["language"]?.ToString() != "csharp" || cell.Metadata["polyglot_notebook"]?["kernelName"]?.ToString() != "csharp")
            {
                add(where + "code cell metadata must have dotnet_interactive.language = csharp and polyglot_notebook.kernelName = csharp");
            }

            if (cell.Outputs.Count > 0 || cell.ExecutionCount is not null)
            {
                add(where + "has committed outputs or an execution_count; clear outputs before committing");
            }

            var lines = cell.Source.Split('\n');
            for (var line = 0; line < lines.Length; line++)
            {
                var length = lines[line].TrimEnd('\r').Length;
                if (length > MaxCodeLineLength)
                {
                    add(where + $"line {line + 1} has {length} characters; break it at {MaxCodeLineLength} or fewer (a name for a sub-expression, one argument group per line)");
                }
            }

            try
            {
                ExerciseMarkers.Scan(cell.Source);
            }
            catch (ExerciseMarkerException e)
            {
                add(where + $"line {e.Line}: {e.Message}");
            }

            try
            {
                DisallowedNames.Of(cell);
            }
            catch (NotebookFormatException e)
            {
                add(where + e.Message);
            }

            var isSolution = cell.Nbgrader?["solution"]?.GetValue<bool>() == true || cell.Source.Contains(ExerciseMarkers.BeginSolution, StringComparison.Ordinal);
            if (isSolution)
            {
                var next = document.Cells.Skip(i + 1).FirstOrDefault(c => c.IsCode);
                if (next?.Nbgrader?["grade"]?.GetValue<bool>() != true || next.GradeId is null)
                {
                    add(where + "exercise solution cell is not followed by a graded check cell (next code cell needs metadata.nbgrader {grade: true, grade_id, points})");
                }
            }
        }
    }

    /// <summary>The names in graded check cells that a submission could shadow (see <see cref="CheckCellNames"/>).</summary>
    public static IEnumerable<string> UnqualifiedNamesInChecks(NotebookDocument key) => CheckCellNames.Unqualified(key);

    private static bool IsMultiline(JsonNode? node) => node switch
    {
        JsonValue v => v.GetValueKind() == JsonValueKind.String,
        JsonArray a => a.All(x => x?.GetValueKind() == JsonValueKind.String),
        _ => false,
    };

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex CellId();
}
