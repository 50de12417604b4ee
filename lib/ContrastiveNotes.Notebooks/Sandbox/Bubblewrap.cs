using System.Diagnostics;
using System.Globalization;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// Builds the command line that starts a program inside a Bubblewrap sandbox (Debian's <c>bubblewrap</c>,
/// <c>bwrap</c>): new PID, IPC, UTS, network (no network at all) and, where possible, cgroup namespaces; the
/// file system of a <see cref="SandboxLayout"/>; a cleared environment; a new session (no terminal to inject
/// into); killed with its parent. As root it drops to an unprivileged user of its own (one per concurrent
/// sandbox, so the task rlimit counts only that sandbox) with no capabilities and <c>no_new_privs</c>.
/// Memory and tasks are capped by a <see cref="ControlGroup"/> when one can be made, by rlimits otherwise.
/// </summary>
public static class Bubblewrap
{
    /// <summary>First user id given to sandboxes (slot n runs as 61000 + n).</summary>
    public const int FirstSandboxUser = 61000;

    /// <summary>The bwrap executable, or null when it is not on PATH.</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(d => Path.Combine(d, "bwrap")).FirstOrDefault(File.Exists);

    /// <summary>True when this process runs as root (then sandboxes switch to their own user).</summary>
    public static bool RunningAsRoot => Libc.EffectiveUserId() == 0;

    /// <summary>
    /// Starts nothing; returns the process start info for <paramref name="command"/> in the sandbox.
    /// </summary>
    /// <param name="layout">What the sandbox sees.</param>
    /// <param name="scratch">Host folders mounted writable at the working directory and at artifacts.</param>
    /// <param name="limits">Memory and task limits.</param>
    /// <param name="group">The control group to enter, or null for rlimits.</param>
    /// <param name="slot">Which concurrent sandbox this is (its user id is <see cref="FirstSandboxUser"/> + slot).</param>
    /// <param name="environment">Variables set inside (everything else is cleared).</param>
    /// <param name="command">The program and its arguments.</param>
    public static ProcessStartInfo StartInfo(
        SandboxLayout layout, (string Working, string Artifacts) scratch, SandboxLimits limits, ControlGroup? group,
        int slot, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> command)
    {
        var bwrap = Executable() ?? throw new SandboxException("bwrap was not found on PATH: install Debian's bubblewrap package (environment/setup.sh does).");
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string>();
        if (group is not null)
        {
            info.FileName = "/bin/sh";
            arguments.AddRange(["-c", group.EnterScript(), "sandbox", bwrap]);
        }
        else
        {
            info.FileName = bwrap;
        }

        arguments.AddRange(Namespaces());
        arguments.AddRange(FileSystem(layout, scratch));
        arguments.AddRange(["--clearenv", "--chdir", layout.WorkingDirectory]);
        foreach (var (name, value) in environment)
        {
            arguments.AddRange(["--setenv", name, value]);
        }

        arguments.Add("--");
        arguments.AddRange(DropPrivileges(slot));
        arguments.AddRange(ResourceLimits(limits, group));
        arguments.AddRange(command);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>The user id slot <paramref name="slot"/> runs as (the process's own when not root).</summary>
    public static uint UserFor(int slot) => RunningAsRoot ? (uint)(FirstSandboxUser + slot) : Libc.EffectiveUserId();

    private static string[] Namespaces() =>
        RunningAsRoot
            ? ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
            : ["--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--cap-drop", "ALL"];

    private static List<string> FileSystem(SandboxLayout layout, (string Working, string Artifacts) scratch)
    {
        // The sandbox's own /tmp, /proc and /dev first: later mounts go over earlier ones, so a course that lives
        // under /tmp (a CI clone) is mounted over the empty /tmp, not hidden by it.
        var arguments = new List<string> { "--perms", "1777", "--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev" };
        foreach (var top in new[] { "/bin", "/sbin", "/lib", "/lib64", "/lib32" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target)
            {
                arguments.AddRange(["--symlink", target, top]);
            }
            else if (Directory.Exists(top))
            {
                arguments.AddRange(["--ro-bind", top, top]);
            }
        }

        var created = new HashSet<string>(StringComparer.Ordinal) { "/" };
        void Parents(string path)
        {
            var parent = Path.GetDirectoryName(path);
            if (parent is null || !created.Add(parent))
            {
                return;
            }

            Parents(parent);
            arguments.AddRange(["--perms", "0755", "--dir", parent]);
        }

        foreach (var folder in layout.ReadOnlyFolders)
        {
            Parents(folder);
            arguments.AddRange(["--ro-bind", folder, folder]);
        }

        Parents(layout.WorkingDirectory);
        arguments.AddRange(["--bind", scratch.Working, layout.WorkingDirectory]);
        arguments.AddRange(["--bind", scratch.Artifacts, layout.ArtifactsDirectory]);
        return arguments;
    }

    private static string[] DropPrivileges(int slot)
    {
        if (!RunningAsRoot)
        {
            return [];
        }

        var user = UserFor(slot).ToString(CultureInfo.InvariantCulture);
        return ["setpriv", $"--reuid={user}", $"--regid={user}", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"];
    }

    private static string[] ResourceLimits(SandboxLimits limits, ControlGroup? group)
    {
        if (group is not null)
        {
            return [];
        }

        // Without a control group: the address space of each process (the .NET GC is told to stay at 3/4 of it,
        // or it reserves more than that up front) and, per user, the task count.
        var limitsArguments = new List<string> { "prlimit", $"--as={limits.MemoryBytes.ToString(CultureInfo.InvariantCulture)}" };
        if (RunningAsRoot)
        {
            limitsArguments.Add($"--nproc={limits.Processes.ToString(CultureInfo.InvariantCulture)}");
        }

        limitsArguments.Add("--");
        return limitsArguments.ToArray();
    }
}
