using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContrastiveNotes.Notebooks.Documents;
using Microsoft.CodeAnalysis.CSharp;

namespace ContrastiveNotes.Notebooks.Parameters;

/// <summary>
/// Papermill-style parameters for C# notebooks: the first cell tagged <c>parameters</c> holds the
/// defaults; overrides (from a profile in <c>metadata.contrastive_notes.profiles.&lt;name&gt;</c> and
/// from <c>--set name=value</c>) become a new cell tagged <c>injected-parameters</c> right after it,
/// re-declaring each variable with the type of its default, and are recorded in
/// <c>metadata.papermill.parameters</c>.
/// </summary>
public static partial class ParameterInjector
{
    /// <summary>The tag of the cell holding the defaults.</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The tag of the cell the injector inserts.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Parses <c>type name = value;</c> declarations (types: var, int, long, double, float, decimal, bool, string).</summary>
    public static IReadOnlyList<ParameterDeclaration> ParseDeclarations(string source) =>
        Declaration().Matches(source)
            .Select(m => new ParameterDeclaration(m.Groups["name"].Value, ResolveType(m.Groups["type"].Value, m.Groups["value"].Value.Trim()), m.Groups["value"].Value.Trim()))
            .ToList();

    /// <summary>The named profiles of a notebook (<c>metadata.contrastive_notes.profiles</c>).</summary>
    public static IReadOnlyDictionary<string, JsonObject> Profiles(NotebookDocument document) =>
        (document.Metadata["contrastive_notes"]?["profiles"] as JsonObject)?
            .Where(p => p.Value is JsonObject)
            .ToDictionary(p => p.Key, p => (JsonObject)p.Value!)
        ?? new Dictionary<string, JsonObject>();

    /// <summary>
    /// Merges a profile's values and <c>name=value</c> overrides (which win) into text values.
    /// </summary>
    /// <exception cref="ParameterException">The profile does not exist or an override is not <c>name=value</c>.</exception>
    public static IReadOnlyDictionary<string, string> Collect(NotebookDocument document, string? profile, IEnumerable<string> sets)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (profile is not null)
        {
            var profiles = Profiles(document);
            if (!profiles.TryGetValue(profile, out var chosen))
            {
                var known = profiles.Count == 0 ? "none" : string.Join(", ", profiles.Keys);
                throw new ParameterException($"{document.Name}: no profile '{profile}' in metadata.contrastive_notes.profiles (known profiles: {known}).");
            }

            foreach (var (name, value) in chosen)
            {
                values[name] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "null";
            }
        }

        foreach (var set in sets)
        {
            var equals = set.IndexOf('=');
            if (equals <= 0)
            {
                throw new ParameterException($"--set expects name=value, found '{set}'.");
            }

            values[set[..equals].Trim()] = set[(equals + 1)..];
        }

        return values;
    }

    /// <summary>
    /// Inserts (or replaces) the <c>injected-parameters</c> cell after the first <c>parameters</c> cell.
    /// Does nothing when <paramref name="values"/> is empty.
    /// </summary>
    /// <exception cref="ParameterException">No parameters cell, unknown name, or a value that does not fit the type.</exception>
    public static void Inject(NotebookDocument document, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        var index = document.Cells.FindIndex(c => c.IsCode && c.Tags.Contains(ParametersTag));
        if (index < 0)
        {
            throw new ParameterException($"{document.Name}: parameters were given ({string.Join(", ", values.Keys)}) but no code cell is tagged '{ParametersTag}'. Tag the cell holding the defaults.");
        }

        var declarations = ParseDeclarations(document.Cells[index].Source).GroupBy(d => d.Name).ToDictionary(g => g.Key, g => g.Last());
        var unknown = values.Keys.Where(k => !declarations.ContainsKey(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ParameterException($"{document.Name}: unknown parameter(s) {string.Join(", ", unknown)}; the parameters cell declares: {string.Join(", ", declarations.Keys)}.");
        }

        document.Cells.RemoveAll(c => c.Tags.Contains(InjectedTag));
        var source = new StringBuilder("// Parameters injected by contrastive-notebooks\n");
        var recorded = new JsonObject();
        foreach (var (name, text) in values)
        {
            var declaration = declarations[name];
            var (literal, json) = Literal(declaration, text, document.Name);
            source.Append($"{declaration.TypeName} {name} = {literal};\n");
            recorded[name] = json;
        }

        var cell = new NotebookCell("code", source.ToString().TrimEnd('\n')) { Metadata = NotebookConventions.CSharpCellMetadata() };
        cell.AddTag(InjectedTag);
        document.Cells.Insert(index + 1, cell);
        if (document.Metadata["papermill"] is not JsonObject papermill)
        {
            papermill = new JsonObject();
            document.Metadata["papermill"] = papermill;
        }

        papermill["parameters"] = recorded;
    }

    /// <summary>
    /// Writes the values into the <c>parameters</c> cell itself (its declarations' initializers), for exports that
    /// cannot re-declare a variable in a later cell (a C# program, unlike a notebook kernel, refuses that).
    /// </summary>
    /// <exception cref="ParameterException">No parameters cell, unknown name, or a value that does not fit the type.</exception>
    public static void ApplyToParametersCell(NotebookDocument document, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        Inject(document, values); // validates every value and records them
        var injected = document.Cells.Single(c => c.Tags.Contains(InjectedTag));
        var parameters = document.Cells.First(c => c.IsCode && c.Tags.Contains(ParametersTag));
        var literals = ParseDeclarations(injected.Source).ToDictionary(d => d.Name, d => d.DefaultText);
        parameters.Source = Declaration().Replace(parameters.Source, m => literals.TryGetValue(m.Groups["name"].Value, out var literal)
            ? $"{m.Groups["type"].Value} {m.Groups["name"].Value} = {literal}; // default: {m.Groups["value"].Value.Trim()}"
            : m.Value);
        document.Cells.Remove(injected);
    }

    private static (string Literal, JsonNode Json) Literal(ParameterDeclaration declaration, string text, string notebook)
    {
        var t = text.Trim();
        var invariant = CultureInfo.InvariantCulture;
        string Fail() => throw new ParameterException($"{notebook}: parameter {declaration.Name} is {declaration.TypeName} (default {declaration.DefaultText}), but the value '{text}' is not a {declaration.TypeName}.");
        string NotFinite() => throw new ParameterException($"{notebook}: parameter {declaration.Name} must be a finite number (default {declaration.DefaultText}), but '{text}' is {(t.Contains("NaN", StringComparison.OrdinalIgnoreCase) ? "not a number" : "infinite or beyond the type's range")}.");
        switch (declaration.TypeName)
        {
            case "int":
                return int.TryParse(t, NumberStyles.Integer, invariant, out var i) ? (i.ToString(invariant), JsonValue.Create(i)) : (Fail(), null!);
            case "long":
                return long.TryParse(t.TrimEnd('L', 'l'), NumberStyles.Integer, invariant, out var l) ? (l.ToString(invariant) + "L", JsonValue.Create(l)) : (Fail(), null!);
            case "double":
                return !double.TryParse(t.TrimEnd('d', 'D'), NumberStyles.Float, invariant, out var d) ? (Fail(), null!)
                    : double.IsFinite(d) ? (DoubleLiteral(d), JsonValue.Create(d)) : (NotFinite(), null!);
            case "float":
                return !float.TryParse(t.TrimEnd('f', 'F'), NumberStyles.Float, invariant, out var f) ? (Fail(), null!)
                    : float.IsFinite(f) ? (f.ToString("R", invariant) + "f", JsonValue.Create(f)) : (NotFinite(), null!);
            case "decimal":
                return decimal.TryParse(t.TrimEnd('m', 'M'), NumberStyles.Float, invariant, out var m) ? (m.ToString(invariant) + "m", JsonValue.Create(m)) : (Fail(), null!);
            case "bool":
                return bool.TryParse(t, out var b) ? (b ? "true" : "false", JsonValue.Create(b)) : (Fail(), null!);
            default:
                return (SymbolDisplay.FormatLiteral(text, quote: true), JsonValue.Create(text));
        }
    }

    private static string DoubleLiteral(double value)
    {
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.') || s.Contains('E') ? s : s + ".0";
    }

    private static string ResolveType(string declared, string value)
    {
        if (declared != "var")
        {
            return declared;
        }

        if (value.StartsWith('"') || value.StartsWith("@\"", StringComparison.Ordinal) || value.StartsWith("$\"", StringComparison.Ordinal))
        {
            return "string";
        }

        if (value is "true" or "false")
        {
            return "bool";
        }

        var lower = value.ToLowerInvariant();
        if (lower.EndsWith('f'))
        {
            return "float";
        }

        if (lower.EndsWith('m'))
        {
            return "decimal";
        }

        if (lower.EndsWith('l'))
        {
            return "long";
        }

        if (lower.EndsWith('d') || lower.Contains('.') || lower.Contains('e'))
        {
            return "double";
        }

        return "int";
    }

    [GeneratedRegex("""^[ \t]*(?<type>var|int|long|double|float|decimal|bool|string)[ \t]+(?<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?<value>[^;\n]+);""", RegexOptions.Multiline)]
    private static partial Regex Declaration();
}
