using Microsoft.DotNet.Interactive;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Connects the kernel helpers (<see cref="Kernel.display"/>, <see cref="DisplayedValue.Update"/>)
/// to the <see cref="OutputCapture"/> of the cell that is running.
/// </summary>
public static class DisplayChannel
{
    private static volatile OutputCapture? _current;

    /// <summary>The capture receiving displays, or null outside a cell run.</summary>
    public static OutputCapture? Current
    {
        get => _current;
        set => _current = value;
    }

    internal static DisplayedValue Display(object? value, string[] mimeTypes)
    {
        var formatted = ValueFormatter.Format(value, mimeTypes);
        var displayed = new DisplayedValue(Guid.NewGuid().ToString("N"), formatted.Keys.ToArray());
        _current?.AddDisplay(displayed.DisplayId, formatted);
        return displayed;
    }

    internal static void Update(DisplayedValue displayed, object? value)
    {
        var formatted = ValueFormatter.Format(value, displayed.MimeTypes.ToArray());
        _current?.UpdateDisplay(displayed.DisplayId, formatted);
    }
}
