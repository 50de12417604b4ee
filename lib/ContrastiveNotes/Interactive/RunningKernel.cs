using System.Reflection;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// The .NET Interactive kernel running the current cell, found by reflection so that the library has no compile-time
/// reference to the kernel (whose last release is frozen; see <see cref="KernelCompilerWarnings"/> and
/// <see cref="LiveDisplay"/>). Everything is null outside a kernel.
/// </summary>
internal static class RunningKernel
{
    /// <summary>The loaded <c>Microsoft.DotNet.Interactive</c> assembly, or null (none is ever loaded here).</summary>
    internal static Assembly? InteractiveAssembly =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "Microsoft.DotNet.Interactive");

    /// <summary>The <c>KernelInvocationContext</c> type and its <c>Current</c> value, or nulls outside a cell.</summary>
    internal static (Type? ContextType, object? Context) InvocationContext()
    {
        var contextType = InteractiveAssembly?.GetType("Microsoft.DotNet.Interactive.KernelInvocationContext");
        return (contextType, contextType?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.GetValue(null));
    }
}
