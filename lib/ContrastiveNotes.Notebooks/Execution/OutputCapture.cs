using System.Text;
using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Collects one cell's outputs in order, as nbformat outputs: consecutive writes to the same
/// stream merge into one <c>stream</c> output; each display is one <c>display_data</c>, and
/// updates replace it in place (a live progress display keeps only its last value).
/// Thread-safe: background threads of a cell may write too.
/// </summary>
public sealed class OutputCapture
{
    private readonly object _gate = new();
    private readonly List<Entry> _entries = new();

    /// <summary>True when anything was written to standard error.</summary>
    public bool WroteToStandardError { get; private set; }

    /// <summary>Appends text to the <c>stdout</c> or <c>stderr</c> stream.</summary>
    public void WriteStream(string name, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (name == "stderr")
            {
                WroteToStandardError = true;
            }

            if (_entries.Count > 0 && _entries[^1] is StreamEntry last && last.Name == name)
            {
                last.Text.Append(text);
            }
            else
            {
                _entries.Add(new StreamEntry(name, new StringBuilder(text)));
            }
        }
    }

    /// <summary>Adds a displayed value (MIME type -> formatted text).</summary>
    public void AddDisplay(string displayId, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            _entries.Add(new DisplayEntry(displayId, data));
        }
    }

    /// <summary>Replaces a displayed value in place; unknown ids are added as new displays.</summary>
    public void UpdateDisplay(string displayId, IReadOnlyDictionary<string, string> data)
    {
        lock (_gate)
        {
            var index = _entries.FindIndex(e => e is DisplayEntry d && d.Id == displayId);
            if (index >= 0)
            {
                _entries[index] = new DisplayEntry(displayId, data);
            }
            else
            {
                _entries.Add(new DisplayEntry(displayId, data));
            }
        }
    }

    /// <summary>The collected outputs as nbformat JSON objects.</summary>
    public List<JsonObject> ToOutputs()
    {
        lock (_gate)
        {
            return _entries.Select(e => e switch
            {
                StreamEntry s => new JsonObject
                {
                    ["name"] = s.Name,
                    ["output_type"] = "stream",
                    ["text"] = s.Text.ToString(),
                },
                DisplayEntry d => DisplayData(d.Data),
                _ => throw new InvalidOperationException("unknown output entry"),
            }).ToList();
        }
    }

    /// <summary>An nbformat <c>display_data</c> output for formatted data.</summary>
    public static JsonObject DisplayData(IReadOnlyDictionary<string, string> data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, text) in data)
        {
            bundle[mime] = text;
        }

        return new JsonObject
        {
            ["data"] = bundle,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        };
    }

    private abstract record Entry;

    private sealed record StreamEntry(string Name, StringBuilder Text) : Entry;

    private sealed record DisplayEntry(string Id, IReadOnlyDictionary<string, string> Data) : Entry;
}
