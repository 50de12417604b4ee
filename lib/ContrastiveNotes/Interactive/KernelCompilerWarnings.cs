using System.Reflection;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// Keeps the .NET Interactive C# kernel from printing a compiler warning under every cell that calls into
/// TorchSharp. The library targets net8.0 so that kernels on .NET 8 to 10 load it; TorchSharp's net8.0 assembly
/// references System.Runtime.Numerics 8.0, and in a .NET 10 kernel the compiler reports the version it substitutes
/// as <c>warning CS1701</c> on every submission whose overload resolution meets <c>System.Numerics.Complex</c> (for
/// example any <c>torch.tensor(...)</c>). An SDK project never shows it (the SDK's <c>NoWarn</c> lists CS1701), and
/// it says nothing about the student's code.
/// </summary>
/// <remarks>
/// <para>
/// The kernel has no per-code filter: <c>#pragma warning disable</c> cannot reach CS1701 (it has no source location),
/// and Roslyn's script options take a warning level only. So this sets the kernel's level to
/// <see cref="WarningLevel"/>: CS1701 is a level-2 warning, so it is dropped, together with the other warnings of
/// levels 2 to 4 (for example CS0162 unreachable code, CS0168 and CS0219 unused variables); level-1 warnings (nullable
/// annotations CS8632, unawaited tasks CS4014, ...) and every error are still shown.
/// </para>
/// <para>
/// The kernel exposes no API for this, so it is done by reflection on the kernel that runs the current cell
/// (<c>KernelInvocationContext.Current.HandlingKernel</c>, its private <c>_scriptOptions</c>). The kernel is frozen at
/// its last release (.NET Interactive is deprecated), which is what makes this safe; anything unexpected makes it do
/// nothing. Outside a kernel (a console app, a test, a file-based app) it does nothing.
/// </para>
/// </remarks>
internal static class KernelCompilerWarnings
{
    /// <summary>The warning level the kernel compiles cells with after <see cref="Course.Setup"/>.</summary>
    internal const int WarningLevel = 1;

    /// <summary>Sets the running C# kernel's warning level; true when it was applied.</summary>
    internal static bool Apply()
    {
        var kernel = RunningCSharpKernel();
        var field = kernel is null ? null : FindField(kernel.GetType(), "_scriptOptions");
        var options = field?.GetValue(kernel);
        var withWarningLevel = options?.GetType().GetMethod("WithWarningLevel", [typeof(int)]);
        if (field is null || options is null || withWarningLevel is null) return false;
        field.SetValue(kernel, withWarningLevel.Invoke(options, [WarningLevel]));
        return true;
    }

    /// <summary>The C# kernel running the current cell, or null outside a .NET Interactive kernel.</summary>
    private static object? RunningCSharpKernel()
    {
        var (_, context) = RunningKernel.InvocationContext();
        var kernel = context?.GetType().GetProperty("HandlingKernel")?.GetValue(context);
        return kernel?.GetType().FullName == "Microsoft.DotNet.Interactive.CSharp.CSharpKernel" ? kernel : null;
    }

    private static FieldInfo? FindField(Type type, string name)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.GetField(name, BindingFlags.NonPublic | BindingFlags.Instance) is { } field) return field;
        }
        return null;
    }
}
