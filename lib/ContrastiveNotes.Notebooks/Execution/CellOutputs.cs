using System.Text;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using DiagnosticSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Turns the kernel's events for one cell into nbformat outputs, as the <c>dotnet-interactive</c> Jupyter
/// kernel does: consecutive writes to one stream merge into one <c>stream</c> output; <c>display(x)</c> is a
/// <c>display_data</c> that its updates replace in place (matched by value id, as nbclient applies
/// <c>update_display_data</c>); the cell's final value is an <c>execute_result</c>; compiler warnings are
/// printed to <c>stderr</c>, spaced like the Jupyter kernel prints them. Thread-safe.
/// </summary>
public sealed class CellOutputs
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = new();
    private readonly int _executionCount;

    /// <summary>Collects the outputs of the cell with the given execution count.</summary>
    public CellOutputs(int executionCount) => _executionCount = executionCount;

    /// <summary>True when anything reached standard error (a warning, <c>Console.Error</c>, ...).</summary>
    public bool WroteToStandardError { get; private set; }

    /// <summary>The compiler errors of a cell that did not compile, in the kernel's words.</summary>
    public IReadOnlyList<Diagnostic> CompilerErrors { get; private set; } = [];

    /// <summary>Records one kernel event; events that make no output are ignored.</summary>
    public void Add(KernelEvent kernelEvent)
    {
        switch (kernelEvent)
        {
            case StandardOutputValueProduced stdout:
                AppendStream("stdout", PlainText(stdout));
                break;
            case StandardErrorValueProduced stderr:
                AppendStream("stderr", PlainText(stderr));
                break;
            case ErrorProduced error:
                AppendStream("stderr", error.Message);
                break;
            case DisplayedValueUpdated updated:
                Replace(updated.ValueId, Bundle(updated));
                break;
            case DisplayedValueProduced displayed:
                Add(new DisplayEntry(displayed.ValueId, Bundle(displayed), IsResult: false));
                break;
            case ReturnValueProduced { Value: not DisplayedValue } returned:
                Add(new DisplayEntry(returned.ValueId, Bundle(returned), IsResult: true));
                break;
            case DiagnosticsProduced diagnostics:
                AddDiagnostics(diagnostics);
                break;
        }
    }

    /// <summary>The collected outputs as nbformat JSON, in order.</summary>
    public List<JsonObject> ToOutputs()
    {
        lock (_gate)
        {
            return _entries.Select(ToOutput).ToList();
        }
    }

    private void AddDiagnostics(DiagnosticsProduced produced)
    {
        var warnings = produced.Diagnostics.Zip(produced.FormattedDiagnostics)
            .Where(pair => pair.First.Severity != DiagnosticSeverity.Error)
            .Select(pair => pair.Second.Value)
            .ToList();
        CompilerErrors = produced.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (warnings.Count > 0)
        {
            var nl = Environment.NewLine;
            AppendStream("stderr", nl + string.Join(nl + nl, warnings) + nl + nl);
        }
    }

    private void AppendStream(string name, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        lock (_gate)
        {
            WroteToStandardError |= name == "stderr";
            if (_entries.Count > 0 && _entries[^1] is StreamEntry last && last.Name == name)
            {
                last.Text.Append(text.Replace("\r\n", "\n"));
            }
            else
            {
                _entries.Add(new StreamEntry(name, new StringBuilder(text.Replace("\r\n", "\n"))));
            }
        }
    }

    private void Add(DisplayEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    private void Replace(string? valueId, JsonObject data)
    {
        lock (_gate)
        {
            var index = _entries.FindIndex(e => e is DisplayEntry d && d.ValueId is not null && d.ValueId == valueId);
            if (index >= 0)
            {
                _entries[index] = ((DisplayEntry)_entries[index]) with { Data = data };
            }
        }
    }

    private static string? PlainText(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString();

    private static JsonObject Bundle(DisplayEvent e)
    {
        var data = new JsonObject();
        foreach (var value in e.FormattedValues.Where(v => !v.SuppressDisplay))
        {
            data[value.MimeType] = value.Value;
        }

        return data;
    }

    private JsonObject ToOutput(Entry entry) => entry switch
    {
        StreamEntry s => new JsonObject { ["name"] = s.Name, ["output_type"] = "stream", ["text"] = s.Text.ToString() },
        DisplayEntry { IsResult: true } d => new JsonObject
        {
            ["data"] = d.Data.DeepClone(),
            ["execution_count"] = _executionCount,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        },
        DisplayEntry d => new JsonObject { ["data"] = d.Data.DeepClone(), ["metadata"] = new JsonObject(), ["output_type"] = "display_data" },
        _ => throw new InvalidOperationException($"unknown output entry {entry.GetType().Name}"),
    };

    private abstract record Entry;

    private sealed record StreamEntry(string Name, StringBuilder Text) : Entry;

    private sealed record DisplayEntry(string? ValueId, JsonObject Data, bool IsResult) : Entry;
}
