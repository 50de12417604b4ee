using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Runs C# cells in one <see cref="ScriptSession"/>: takes out kernel directives, adds the
/// referenced DLLs and NuGet packages, captures stdout/stderr/displays, displays the return value
/// as <c>display_data</c> like the kernel, and turns failures into nbformat errors with the line
/// in the cell. A cell that runs past its time limit is reported as <c>timeout</c>; it cannot be
/// aborted in-process, so the caller must end the process after saving.
/// </summary>
public sealed class CellExecutor
{
    private readonly ScriptSession _session;
    private readonly NuGetPackageResolver _packages;
    private readonly string _notebookName;

    /// <summary>Creates an executor for one notebook whose folder is <paramref name="baseDirectory"/>.</summary>
    public CellExecutor(string baseDirectory, string notebookName, NuGetPackageResolver? packages = null)
    {
        _session = new ScriptSession(baseDirectory);
        _packages = packages ?? new NuGetPackageResolver();
        _notebookName = notebookName;
        ConsoleRedirect.Install();
    }

    /// <summary>Runs one cell's source; <paramref name="cellNumber"/> names it in file paths and messages.</summary>
    /// <param name="source">The cell's source.</param>
    /// <param name="cellNumber">1-based number of the cell among the C# cells.</param>
    /// <param name="timeout">Time the cell may run (compilation excluded).</param>
    /// <param name="limitName">Which limit <paramref name="timeout"/> comes from, for the message.</param>
    public CellOutcome Execute(string source, int cellNumber, TimeSpan timeout, string limitName = "cell time limit")
    {
        var capture = new OutputCapture();
        var watch = Stopwatch.StartNew();
        DisplayChannel.Current = capture;
        var filePath = Path.Combine(_session.BaseDirectory, $"{_notebookName}.ipynb.cell{cellNumber}.csx");
        try
        {
            var parsed = KernelDirectives.Parse(source);
            AddReferences(parsed);
            // Compiling is not timed (the first cell pays for warming up Roslyn); running is.
            var submission = _session.Compile(parsed.Code, filePath);
            var task = Task.Run(() => _session.RunAsync(submission));
            if (!task.Wait(timeout))
            {
                var message = $"Cell {cellNumber} did not finish within {timeout.TotalSeconds:0.###} s ({limitName}) and was stopped.";
                var error = new CellError("TimeoutException", message, null, [$"TimeoutException: {message}"]);
                return Finish(capture, watch, "timeout", error, null);
            }

            var result = task.Result;
            if (result.Exception is { } exception)
            {
                return Finish(capture, watch, "failed", RuntimeError(exception, filePath), null);
            }

            return Finish(capture, watch, "completed", null, result);
        }
        catch (AggregateException e) when (e.InnerException is CompilationErrorException compile)
        {
            return Finish(capture, watch, "failed", CompilationError(compile), null);
        }
        catch (CompilationErrorException compile)
        {
            return Finish(capture, watch, "failed", CompilationError(compile), null);
        }
        catch (NotebookDirectiveException directive)
        {
            return Finish(capture, watch, "failed", new CellError("DirectiveError", directive.Message, directive.Line, [$"(line {directive.Line}) {directive.Message}"]), null);
        }
        finally
        {
            if (DisplayChannel.Current == capture)
            {
                DisplayChannel.Current = null;
            }
        }
    }

    private void AddReferences(ParsedCell parsed)
    {
        var paths = new List<string>();
        foreach (var reference in parsed.References)
        {
            var full = Path.GetFullPath(reference.Path, _session.BaseDirectory);
            if (!File.Exists(full))
            {
                throw new NotebookDirectiveException(reference.Line, $"#r \"{reference.Path}\": no file at {full}. Build the library first (dotnet build lib/ContrastiveNotes -c Release) or fix the path (relative paths start at the notebook's folder).");
            }

            NativeLibraryProbe.AddFolder(Path.GetDirectoryName(full)!);
            paths.Add(full);
        }

        foreach (var package in parsed.Packages)
        {
            var resolved = _packages.Resolve(package, package.Line);
            foreach (var warning in resolved.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            foreach (var folder in resolved.NativeFolders)
            {
                NativeLibraryProbe.AddFolder(folder);
            }

            paths.AddRange(resolved.Assemblies);
        }

        if (paths.Count > 0)
        {
            _session.AddReferences(paths);
        }
    }

    private static CellOutcome Finish(OutputCapture capture, Stopwatch watch, string status, CellError? error, SubmissionResult? result)
    {
        if (result is { HasReturnValue: true })
        {
            capture.AddDisplay(Guid.NewGuid().ToString("N"), ValueFormatter.Format(result.ReturnValue, null));
        }

        var outputs = capture.ToOutputs();
        if (error is not null)
        {
            outputs.Add(error.ToOutput());
        }

        return new CellOutcome(status, outputs, error, capture.WroteToStandardError, watch.Elapsed);
    }

    private static CellError CompilationError(CompilationErrorException e)
    {
        var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var first = errors.FirstOrDefault();
        int? line = first is null ? null : first.Location.GetLineSpan().StartLinePosition.Line + 1;
        var lines = errors.Select(d => $"(line {d.Location.GetLineSpan().StartLinePosition.Line + 1}, column {d.Location.GetLineSpan().StartLinePosition.Character + 1}): {d.Id}: {d.GetMessage()}").ToList();
        return new CellError("CompilationError", lines.FirstOrDefault() ?? e.Message, line, lines);
    }

    private static CellError RuntimeError(Exception exception, string filePath)
    {
        var trace = new StackTrace(exception, true);
        int? line = trace.GetFrames()
            .Where(f => string.Equals(f.GetFileName(), filePath, StringComparison.Ordinal) && f.GetFileLineNumber() > 0)
            .Select(f => (int?)f.GetFileLineNumber())
            .FirstOrDefault();
        // Keep the exception line(s) and the frames up to the script's own submission frame;
        // the scripting engine's frames below it say nothing about the notebook.
        var traceback = new List<string>();
        foreach (var text in exception.ToString().Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (text.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal))
            {
                break;
            }

            if (!text.StartsWith("--- End of stack trace", StringComparison.Ordinal))
            {
                traceback.Add(text.Replace(filePath, $"cell {Path.GetFileNameWithoutExtension(filePath).Split(".cell").Last()}", StringComparison.Ordinal));
            }
        }
        return new CellError(exception.GetType().Name, exception.Message, line, traceback);
    }
}
