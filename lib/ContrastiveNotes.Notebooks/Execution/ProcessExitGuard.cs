using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// For a run in this process: when a cell ends the process (<c>Environment.Exit</c>) before the run finished, the
/// cell that was running is recorded as failed with a message that says so, the notebook is saved, and the exit
/// code becomes <see cref="RunStatus.Crashed"/>'s, so the run is not reported as <c>ok</c>.
/// </summary>
public sealed class ProcessExitGuard : IDisposable
{
    private readonly NotebookDocument _document;
    private readonly string _target;
    private volatile bool _finished;

    /// <summary>Watches the run of <paramref name="document"/> saved to <paramref name="target"/>.</summary>
    public ProcessExitGuard(NotebookDocument document, string target)
    {
        _document = document;
        _target = target;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The run ended normally; exits from here on are the tool's own.</summary>
    public void Finished() => _finished = true;

    /// <inheritdoc />
    public void Dispose() => AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;

    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (_finished)
        {
            return;
        }

        var running = _document.Cells.FirstOrDefault(c => c.Metadata["papermill"]?["status"]?.GetValue<string>() == NotebookRunner.RunningStatus);
        var message = $"The cell ended the kernel's process (Environment.Exit with code {Environment.ExitCode}) before the notebook finished; the cells after it did not run.";
        if (running is not null)
        {
            running.Metadata["papermill"]!["status"] = "failed";
            running.Metadata["papermill"]!["exception"] = true;
            running.Outputs.Add(CellError.Of("KernelLost", message).ToOutput());
        }

        try
        {
            NotebookWriter.Write(_document, _target);
        }
        catch (IOException)
        {
            // nothing more can be done while the process ends
        }

        ToolConsole.Error.WriteLine($"error: {_document.Name}: {message}");
        ToolConsole.Error.Flush();
        Environment.ExitCode = RunStatus.Crashed.ExitCode();
    }
}
