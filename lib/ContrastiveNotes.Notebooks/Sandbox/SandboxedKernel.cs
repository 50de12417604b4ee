using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContrastiveNotes.Notebooks.Execution;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// A <see cref="KernelWorker"/> in another process (normally a <see cref="Bubblewrap"/> sandbox), driven cell by
/// cell: this side sends each cell only when it is reached, waits for the reply within the cell's time limit,
/// and decides the cell's outcome from what it received. A cell that runs too long, a worker that exits (a cell
/// called <c>Environment.Exit</c>, the memory limit was hit) and a line on the channel that is not the expected
/// reply all end the kernel: its whole process tree is killed and the cells not reached are not run.
/// </summary>
public sealed class SandboxedKernel : ICellExecutor
{
    private static readonly TimeSpan ReplyGrace = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly ControlGroup? _group;
    private readonly IDisposable? _scratch;
    private readonly BoundedLineReader _replies;
    private readonly StringBuilder _stderrTail = new();
    private readonly Thread _stderrPump;
    private string? _lost;

    /// <summary>Starts the worker and waits until its kernel is ready.</summary>
    /// <param name="start">How to start the worker (in its sandbox).</param>
    /// <param name="group">The control group it runs in, consulted when it dies; disposed with this.</param>
    /// <param name="startupTimeout">Time the kernel may take to start.</param>
    /// <param name="scratch">The sandbox's writable folders, deleted with this.</param>
    /// <exception cref="SandboxException">The worker did not start or did not answer.</exception>
    public SandboxedKernel(ProcessStartInfo start, ControlGroup? group, TimeSpan startupTimeout, IDisposable? scratch = null)
    {
        _group = group;
        _scratch = scratch;
        _process = Process.Start(start) ?? throw new SandboxException($"Could not start {start.FileName}.");
        _replies = new BoundedLineReader(_process.StandardOutput.BaseStream, WorkerProtocol.MaxLineBytes);
        _stderrPump = new Thread(PumpStandardError) { IsBackground = true, Name = "sandbox stderr" };
        _stderrPump.Start();
        var nonce = WorkerProtocol.NewNonce();
        var started = Send(WorkerProtocol.Hello(nonce))
            && _replies.TryRead(startupTimeout, out var line) && line is not null && WorkerProtocol.IsReady(line, nonce);
        if (!started)
        {
            var tail = StandardErrorTail();
            Dispose();
            throw new SandboxException($"The sandboxed kernel did not start within {startupTimeout.TotalSeconds:0} s (exit code {ExitCodeText()}). Its last messages: {tail}");
        }
    }

    /// <summary>The end of what the worker wrote to stderr (diagnostics; never used for scoring).</summary>
    public string StandardErrorTail()
    {
        lock (_stderrTail)
        {
            return _stderrTail.Length == 0 ? "(none)" : _stderrTail.ToString().Trim();
        }
    }

    /// <inheritdoc />
    public CellOutcome Execute(string source, int executionCount, TimeSpan timeout, string limitName)
    {
        var watch = Stopwatch.StartNew();
        if (_lost is not null)
        {
            return Lost(watch, $"Cell {executionCount} was not run: {_lost}");
        }

        var request = new CellRequest(executionCount, WorkerProtocol.NewNonce(), source, timeout, limitName);
        if (!Send(WorkerProtocol.Request(request)))
        {
            return LoseKernel(watch, executionCount, "the kernel had exited before the cell was sent");
        }

        if (!_replies.TryRead(timeout + ReplyGrace, out var line))
        {
            Kill();
            _lost = $"cell {executionCount} ran past its time limit";
            return new CellOutcome(CellStatus.TimedOut, [], CellError.TimedOut(executionCount, timeout, limitName), false, watch.Elapsed);
        }

        if (line is null)
        {
            return LoseKernel(watch, executionCount, Death());
        }

        if (line == BoundedLineReader.TooLong || WorkerProtocol.ParseReply(line, request) is not { } outcome)
        {
            return LoseKernel(watch, executionCount, "the kernel's channel carried a line that is not this cell's reply (forged or corrupted); the kernel was stopped");
        }

        if (outcome.EndsRun)
        {
            Kill();
            _lost = $"cell {executionCount} ended the kernel";
        }

        return outcome with { Duration = watch.Elapsed };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _group?.Dispose();
        _scratch?.Dispose();
        _process.Dispose();
    }

    private CellOutcome LoseKernel(Stopwatch watch, int executionCount, string why)
    {
        Kill();
        _lost = $"the kernel ended during cell {executionCount} ({why})";
        return Lost(watch, $"The kernel ended while cell {executionCount} ran: {why}.");
    }

    private static CellOutcome Lost(Stopwatch watch, string message) =>
        new(CellStatus.KernelLost, [], CellError.Of("KernelLost", message), false, watch.Elapsed);

    private string Death()
    {
        _process.WaitForExit(5000);
        if (_group?.MemoryLimitHit() == true)
        {
            return "the sandbox's memory limit was exceeded and the kernel was killed";
        }

        return $"the kernel process exited with code {ExitCodeText()}, for example because the cell called Environment.Exit";
    }

    private string ExitCodeText() => _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "none: still running";

    private bool Send(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
    }

    private void PumpStandardError()
    {
        var buffer = new char[4096];
        try
        {
            int read;
            while ((read = _process.StandardError.Read(buffer, 0, buffer.Length)) > 0)
            {
                lock (_stderrTail)
                {
                    _stderrTail.Append(buffer, 0, read);
                    if (_stderrTail.Length > 16_384)
                    {
                        _stderrTail.Remove(0, _stderrTail.Length - 16_384);
                    }
                }
            }
        }
        catch (IOException)
        {
        }
    }
}
