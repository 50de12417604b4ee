using System.Diagnostics;
using System.Globalization;
using ContrastiveNotes.Notebooks.Execution;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// Starts sandboxed kernels for grading: one <see cref="SandboxedKernel"/> per submission, each in a
/// <see cref="Bubblewrap"/> sandbox with the course's <see cref="SandboxLayout"/>, fresh <see cref="ScratchFolder"/>s,
/// its own user and a <see cref="ControlGroup"/> (or rlimits). With <c>unsafe</c> the worker runs as a plain child
/// process in the course's notebooks folder, with none of that (for machines where bwrap cannot run).
/// </summary>
public sealed class KernelSandbox
{
    private readonly SandboxLayout _layout;
    private readonly SandboxLimits _limits;
    private readonly bool _unsafe;

    /// <summary>Sets up (checks nothing yet: see <see cref="WhyUnavailable"/>).</summary>
    public KernelSandbox(SandboxLayout layout, SandboxLimits limits, bool unsafeNoSandbox)
    {
        _layout = layout;
        _limits = limits.Validated();
        _unsafe = unsafeNoSandbox;
    }

    /// <summary>The layout every sandbox gets.</summary>
    public SandboxLayout Layout => _layout;

    /// <summary>True when submissions run without a sandbox.</summary>
    public bool Unsafe => _unsafe;

    /// <summary>
    /// Null when a sandbox can be started here (checked by starting one that runs <c>true</c>), else the reason.
    /// </summary>
    public string? WhyUnavailable()
    {
        if (Bubblewrap.Executable() is null)
        {
            return "bwrap was not found on PATH (install Debian's bubblewrap package; environment/setup.sh does)";
        }

        using var scratch = ScratchFolder.Create(Bubblewrap.UserFor(0));
        var info = Bubblewrap.StartInfo(_layout, (scratch.Working, scratch.Artifacts), _limits, null, 0, Environment(1, null), ["/bin/true"]);
        using var probe = Process.Start(info)!;
        probe.StandardInput.Close();
        var error = probe.StandardError.ReadToEndAsync();
        if (!probe.WaitForExit(30_000))
        {
            probe.Kill(entireProcessTree: true);
            return "bwrap did not finish a trivial command within 30 s";
        }

        return probe.ExitCode == 0 ? null : $"bwrap failed (exit code {probe.ExitCode}): {error.Result.Trim()}";
    }

    /// <summary>What the sandbox protects on this machine, for the score table and the log.</summary>
    public string Describe(bool withControlGroup)
    {
        if (_unsafe)
        {
            return "NO SANDBOX (--unsafe-no-sandbox): submissions ran as this user with its file access; scores can be forged";
        }

        var memory = SandboxLimits.Describe(_limits.MemoryBytes);
        var tasks = _limits.Processes.ToString(CultureInfo.InvariantCulture);
        var user = Bubblewrap.RunningAsRoot ? "own unprivileged user" : "user namespace";
        var limits = withControlGroup
            ? $"control group: {memory} memory, {tasks} tasks"
            : $"rlimits: {memory} address space per process, " + (Bubblewrap.RunningAsRoot ? $"{tasks} tasks" : "no task limit");
        return $"bubblewrap sandbox: no network, own PID/IPC namespaces, read-only course lib/data, fresh scratch, {user}; {limits}";
    }

    /// <summary>Starts a kernel for one submission in sandbox slot <paramref name="slot"/>.</summary>
    /// <param name="slot">Which concurrent sandbox (each has its own user).</param>
    /// <param name="threads">Intra-op threads the kernel's TorchSharp may use.</param>
    /// <param name="protections">What protected this kernel (see <see cref="Describe"/>).</param>
    public SandboxedKernel Start(int slot, int threads, out string protections)
    {
        var worker = ToolProcess.CommandLine([KernelWorker.CommandName]);
        if (_unsafe)
        {
            protections = Describe(false);
            var plain = new ProcessStartInfo(worker[0])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
                UseShellExecute = false, WorkingDirectory = _layout.WorkingDirectory,
            };
            worker.Skip(1).ToList().ForEach(plain.ArgumentList.Add);
            plain.Environment["CONTRASTIVE_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            return new SandboxedKernel(plain, null, _limits.StartupTimeout);
        }

        var user = Bubblewrap.UserFor(slot);
        var scratch = ScratchFolder.Create(user);
        var group = ControlGroup.TryCreate($"contrastive-notebooks-{System.Environment.ProcessId}-{slot}-{Guid.NewGuid():N}", _limits, out _);
        protections = Describe(group is not null);
        try
        {
            var info = Bubblewrap.StartInfo(_layout, (scratch.Working, scratch.Artifacts), _limits, group, slot, Environment(threads, group), worker);
            return new SandboxedKernel(info, group, _limits.StartupTimeout, scratch);
        }
        catch
        {
            group?.Dispose();
            scratch.Dispose();
            throw;
        }
    }

    private Dictionary<string, string> Environment(int threads, ControlGroup? group)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = _layout.WorkingDirectory,
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["CONTRASTIVE_THREADS"] = threads.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var name in new[] { "DOTNET_ROOT", "FASHION_MNIST_DIR" })
        {
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                variables[name] = value;
            }
        }

        if (group is null)
        {
            // Under an address-space rlimit the GC must not reserve more than it may use.
            variables["DOTNET_GCHeapHardLimit"] = (_limits.MemoryBytes / 4 * 3).ToString("X", CultureInfo.InvariantCulture);
        }

        return variables;
    }
}
