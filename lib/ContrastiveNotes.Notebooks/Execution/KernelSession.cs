using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// One notebook's kernel: the real .NET Interactive C# kernel (<see cref="CSharpKernel"/> inside a
/// <see cref="CompositeKernel"/>), in this process, set up as the <c>dotnet-interactive</c> tool sets it up
/// for VS Code and Jupyter: <c>#r "nuget: ..."</c>, the kernel helpers (<c>display</c>, <c>HTML</c>), value
/// sharing, and HTML as the default MIME type (strings stay plain text). Directives (<c>#r</c>,
/// <c>#load</c>, <c>#i</c>, <c>#!</c> magics) are the kernel's own. Relative paths resolve against the
/// current directory, which the kernel reads before every submission.
/// </summary>
public sealed class KernelSession : IDisposable
{
    private readonly CompositeKernel _kernel;

    /// <summary>Creates the kernel; formatting is set up once per process, as the standalone kernel does.</summary>
    public KernelSession()
    {
        ConfigureFormattingLikeJupyter();
        var csharp = new CSharpKernel()
            .UseNugetDirective(AddPackageAssemblies)
            .UseKernelHelpers()
            .UseValueSharing();
        _kernel = new CompositeKernel { csharp };
        _kernel.DefaultKernelName = csharp.Name;
    }

    /// <summary>
    /// Submits one cell's code and reports every event the kernel publishes while it runs, in order,
    /// to <paramref name="onEvent"/> (called on the kernel's threads).
    /// </summary>
    public Task<KernelCommandResult> SubmitAsync(string code, Action<KernelEvent> onEvent)
    {
        var command = new SubmitCode(code);
        var subscription = _kernel.KernelEvents.Subscribe(new EventObserver(onEvent));
        return SendAndUnsubscribe(command, subscription);
    }

    /// <inheritdoc />
    public void Dispose() => _kernel.Dispose();

    private async Task<KernelCommandResult> SendAndUnsubscribe(KernelCommand command, IDisposable subscription)
    {
        try
        {
            return await _kernel.SendAsync(command).ConfigureAwait(false);
        }
        finally
        {
            subscription.Dispose();
        }
    }

    private static Task AddPackageAssemblies(CSharpKernel kernel, IReadOnlyList<ResolvedPackageReference> packages)
    {
        kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
        return Task.CompletedTask;
    }

    /// <summary>What the tool's Jupyter front end does (BrowserFrontendEnvironment): HTML first, strings as text.</summary>
    private static void ConfigureFormattingLikeJupyter()
    {
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
    }

    private sealed class EventObserver(Action<KernelEvent> onEvent) : IObserver<KernelEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(KernelEvent value) => onEvent(value);
    }
}
