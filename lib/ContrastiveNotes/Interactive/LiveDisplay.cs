using System.Reflection;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// A notebook output that is replaced in place as a value changes, e.g. a <see cref="TrainingProgressView"/> updated
/// after every few training steps: <c>var card = LiveDisplay.Show(view); ... card.Update(next);</c>. Outside a
/// notebook kernel (a console or file-based app) each value is written to the console as a line of text.
/// </summary>
/// <remarks>
/// Use this instead of the kernel's <c>display(x).Update(y)</c>: in .NET Interactive's last release (the kernel
/// 1.0.712001 and the packages 1.0.0-beta.26120.1) <c>display</c> publishes one displayed value and returns another
/// with a different display id, so an update names an output that does not exist: Jupyter ignores it and the first
/// value stays on screen. <see cref="Show"/> displays through the kernel's
/// <c>KernelInvocationContext.Display(value)</c>, which returns the value it published, so updates reach the output.
/// The kernel is found by reflection, as in <see cref="KernelCompilerWarnings"/>; the library has no compile-time
/// reference to it.
/// </remarks>
public sealed class LiveDisplay
{
    private readonly object? _displayed;
    private readonly MethodInfo? _update;

    private LiveDisplay(object? displayed)
    {
        _displayed = displayed;
        _update = displayed?.GetType().GetMethod("Update", [typeof(object)]);
    }

    /// <summary>True when the value is shown as a notebook output (false: written to the console).</summary>
    public bool InNotebook => _update is not null;

    /// <summary>Shows <paramref name="value"/> as a new output of the running cell.</summary>
    public static LiveDisplay Show(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var live = new LiveDisplay(DisplayInKernel(value));
        if (!live.InNotebook) Console.WriteLine(value);
        return live;
    }

    /// <summary>Replaces the output with <paramref name="value"/> (formatted with the same MIME types).</summary>
    public void Update(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_update is null) Console.WriteLine(value);
        else _update.Invoke(_displayed, [value]);
    }

    /// <summary>The kernel's displayed value for <paramref name="value"/>, or null outside a .NET Interactive kernel.</summary>
    private static object? DisplayInKernel(object value)
    {
        var (contextType, context) = RunningKernel.InvocationContext();
        var display = RunningKernel.InteractiveAssembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContextExtensions")
            ?.GetMethod("Display", BindingFlags.Public | BindingFlags.Static, [contextType!, typeof(object), typeof(string[])]);
        return context is null || display is null ? null : display.Invoke(null, [context, value, Array.Empty<string>()]);
    }
}
