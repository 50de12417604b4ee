using ContrastiveNotes.Notebooks.Execution;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// A displayed output that can be replaced in place, as with the real kernel's
/// <c>DisplayedValue</c>. Headless runs keep only the last value of each displayed output.
/// </summary>
public sealed class DisplayedValue
{
    internal DisplayedValue(string displayId, IReadOnlyCollection<string> mimeTypes)
    {
        DisplayId = displayId;
        MimeTypes = mimeTypes;
    }

    /// <summary>The display id shared by the original output and its updates.</summary>
    public string DisplayId { get; }

    /// <summary>The MIME types the value is formatted as.</summary>
    public IReadOnlyCollection<string> MimeTypes { get; }

    /// <summary>Replaces the displayed output with a new value (formatted with the same MIME types).</summary>
    public void Update(object updatedValue) => DisplayChannel.Update(this, updatedValue);
}
