using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Runs a notebook's C# cells one after another in one <see cref="KernelSession"/> and turns what the kernel
/// reports into nbformat outputs (<see cref="CellOutputs"/>) and a <see cref="CellOutcome"/>: a compile error
/// names the line in the cell; an exception names its type and message. A cell that runs past its time limit
/// is reported as <c>timeout</c>; the kernel cannot abort it, so the caller must save and end the process.
/// </summary>
public sealed class CellExecutor : ICellExecutor
{
    private readonly KernelSession _session = new();

    /// <summary>
    /// Starts the kernel and runs one submission that declares nothing and prints nothing, so that most of the
    /// seconds Roslyn and the kernel need to warm up are not charged to the notebook's first cell (and its time limit:
    /// the kernel compiles and runs a cell in one step, so both count).
    /// </summary>
    public CellExecutor() => _session.SubmitAsync("System.Console.Out.Flush();", _ => { }).GetAwaiter().GetResult();

    /// <inheritdoc />
    public CellOutcome Execute(string source, int executionCount, TimeSpan timeout, string limitName)
    {
        var outputs = new CellOutputs(executionCount);
        var watch = Stopwatch.StartNew();
        var submission = _session.SubmitAsync(source, outputs.Add);
        if (!submission.Wait(timeout))
        {
            return Finish(outputs, watch, CellStatus.TimedOut, CellError.TimedOut(executionCount, timeout, limitName));
        }

        var failed = submission.Result.Events.OfType<CommandFailed>().FirstOrDefault();
        return failed is null
            ? Finish(outputs, watch, CellStatus.Completed, null)
            : Finish(outputs, watch, CellStatus.Failed, Describe(failed, outputs.CompilerErrors));
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private static CellOutcome Finish(CellOutputs outputs, Stopwatch watch, CellStatus status, CellError? error)
    {
        var list = outputs.ToOutputs();
        if (error is not null)
        {
            list.Add(error.ToOutput());
        }

        return new CellOutcome(status, list, error, outputs.WroteToStandardError, watch.Elapsed);
    }

    private static CellError Describe(CommandFailed failed, IReadOnlyList<Diagnostic> compilerErrors)
    {
        if (compilerErrors.Count > 0)
        {
            var lines = compilerErrors.Select(d =>
                $"(line {d.LinePositionSpan.Start.Line + 1}, column {d.LinePositionSpan.Start.Character + 1}): {d.Code}: {d.Message}").ToList();
            return new CellError("CompilationError", lines[0], compilerErrors[0].LinePositionSpan.Start.Line + 1, lines);
        }

        if (failed.Exception is { } exception)
        {
            return new CellError(exception.GetType().Name, exception.Message, null, Traceback(exception));
        }

        return new CellError("CommandFailed", failed.Message, null, [failed.Message]);
    }

    /// <summary>The exception and its frames down to the cell's own code; the kernel's frames below say nothing about the notebook.</summary>
    private static List<string> Traceback(Exception exception)
    {
        var traceback = new List<string>();
        foreach (var line in exception.ToString().Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal) || line.Contains("Microsoft.DotNet.Interactive", StringComparison.Ordinal))
            {
                break;
            }

            if (!line.StartsWith("--- End of stack trace", StringComparison.Ordinal))
            {
                traceback.Add(line);
            }
        }

        return traceback;
    }
}
