using System.Globalization;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// A Linux control group that holds one sandbox's processes and caps their memory and task count together
/// (cgroup v2 <c>memory.max</c>/<c>pids.max</c>, or the v1 <c>memory</c> and <c>pids</c> hierarchies). Needs a
/// writable cgroup file system (root, or a delegated subtree); <see cref="TryCreate"/> returns null otherwise and
/// the caller falls back to per-process rlimits. Processes enter it through <see cref="EnterScript"/>, run by
/// the sandbox's launcher before it becomes the sandbox, so no process of the sandbox ever runs outside it.
/// </summary>
public sealed class ControlGroup : IDisposable
{
    private const string Root = "/sys/fs/cgroup";
    private readonly string[] _folders;
    private readonly string _memoryFolder;
    private readonly bool _v2;

    private ControlGroup(string[] folders, string memoryFolder, bool v2)
    {
        _folders = folders;
        _memoryFolder = memoryFolder;
        _v2 = v2;
    }

    /// <summary>The folders whose <c>cgroup.procs</c> a process writes itself into.</summary>
    public IReadOnlyList<string> Folders => _folders;

    /// <summary>Creates a group named <paramref name="name"/> with the limits, or returns null (with the reason) when this machine does not allow it.</summary>
    public static ControlGroup? TryCreate(string name, SandboxLimits limits, out string? whyNot)
    {
        whyNot = null;
        try
        {
            if (File.Exists(Path.Combine(Root, "cgroup.controllers")))
            {
                return CreateV2(Path.Combine(Root, name), limits);
            }

            var memory = Path.Combine(Root, "memory");
            var pids = Path.Combine(Root, "pids");
            if (Directory.Exists(memory) && Directory.Exists(pids))
            {
                return CreateV1(Path.Combine(memory, name), Path.Combine(pids, name), limits);
            }

            whyNot = $"no cgroup v2 at {Root} and no v1 memory and pids hierarchies";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            whyNot = $"cannot create a control group ({e.Message})";
        }

        return null;
    }

    /// <summary>
    /// A shell command that writes the shell's own process into every folder of the group and then replaces
    /// itself with its arguments (<c>exec "$@"</c>); children inherit the group.
    /// </summary>
    public string EnterScript() =>
        string.Concat(_folders.Select(f => $"echo $$ > '{f}/cgroup.procs' || exit 125; ")) + "exec \"$@\"";

    /// <summary>True when the kernel killed a process of this group for exceeding its memory limit.</summary>
    public bool MemoryLimitHit()
    {
        try
        {
            if (_v2)
            {
                var events = File.ReadAllLines(Path.Combine(_memoryFolder, "memory.events"));
                return events.Any(l => l.StartsWith("oom_kill ", StringComparison.Ordinal) && l != "oom_kill 0");
            }

            var control = File.ReadAllLines(Path.Combine(_memoryFolder, "memory.oom_control"));
            return control.Any(l => l.StartsWith("oom_kill ", StringComparison.Ordinal) && l != "oom_kill 0");
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Kills what is left in the group and removes it.</summary>
    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            for (var attempt = 0; attempt < 50 && Directory.Exists(folder); attempt++)
            {
                KillAll(folder);
                try
                {
                    Directory.Delete(folder);
                }
                catch (IOException)
                {
                    Thread.Sleep(20); // processes still exiting
                }
            }
        }
    }

    private static void KillAll(string folder)
    {
        try
        {
            foreach (var line in File.ReadAllLines(Path.Combine(folder, "cgroup.procs")))
            {
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    try
                    {
                        System.Diagnostics.Process.GetProcessById(pid).Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                    {
                        // already gone
                    }
                }
            }
        }
        catch (IOException)
        {
        }
    }

    private static ControlGroup CreateV2(string folder, SandboxLimits limits)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "memory.max"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        TryWrite(Path.Combine(folder, "memory.swap.max"), "0");
        File.WriteAllText(Path.Combine(folder, "pids.max"), limits.Processes.ToString(CultureInfo.InvariantCulture));
        return new ControlGroup([folder], folder, v2: true);
    }

    private static ControlGroup CreateV1(string memory, string pids, SandboxLimits limits)
    {
        Directory.CreateDirectory(memory);
        Directory.CreateDirectory(pids);
        File.WriteAllText(Path.Combine(memory, "memory.limit_in_bytes"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        TryWrite(Path.Combine(memory, "memory.memsw.limit_in_bytes"), limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        File.WriteAllText(Path.Combine(pids, "pids.max"), limits.Processes.ToString(CultureInfo.InvariantCulture));
        return new ControlGroup([memory, pids], memory, v2: false);
    }

    private static void TryWrite(string path, string value)
    {
        try
        {
            File.WriteAllText(path, value);
        }
        catch (IOException)
        {
            // no swap accounting on this machine
        }
    }
}
