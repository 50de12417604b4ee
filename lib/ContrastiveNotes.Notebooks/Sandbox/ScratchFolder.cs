using System.Diagnostics;
using System.Globalization;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// A sandbox's writable folders (its working directory and its artifacts folder), fresh and empty, owned by the
/// sandbox's user, under one folder per grading process in the system temp folder. Deleted on dispose; folders
/// left by a grading process that was killed are deleted by the next one (<see cref="RemoveAbandoned"/>).
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    private static readonly string Parent = Path.Combine(Path.GetTempPath(), "contrastive-notebooks-sandboxes");

    private ScratchFolder(string root)
    {
        Root = root;
        Working = Path.Combine(root, "notebooks");
        Artifacts = Path.Combine(root, "artifacts");
    }

    /// <summary>The folder holding both.</summary>
    public string Root { get; }

    /// <summary>Mounted at the course's notebooks folder: working directory and home.</summary>
    public string Working { get; }

    /// <summary>Mounted at the course's artifacts folder.</summary>
    public string Artifacts { get; }

    /// <summary>Creates the folders for a sandbox running as <paramref name="user"/>.</summary>
    public static ScratchFolder Create(uint user)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new SandboxException("Sandboxes need Linux (bubblewrap); grade with --unsafe-no-sandbox elsewhere.");
        }

        Directory.CreateDirectory(Parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        var scratch = new ScratchFolder(Path.Combine(Parent, $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}"));
        foreach (var folder in new[] { scratch.Root, scratch.Working, scratch.Artifacts })
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Libc.Check(Libc.ChangeOwner(folder, user, user), $"giving {folder} to the sandbox's user");
        }

        return scratch;
    }

    /// <summary>Deletes scratch folders whose grading process no longer runs.</summary>
    public static void RemoveAbandoned()
    {
        if (!Directory.Exists(Parent))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(Parent))
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Running(pid))
            {
                TryDelete(folder);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => TryDelete(Root);

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // still in use; the next grading run removes it
        }
    }
}
