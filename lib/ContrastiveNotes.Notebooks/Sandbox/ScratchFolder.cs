using ContrastiveNotes.IO;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// A sandbox's writable folders (its working directory and its artifacts folder), fresh and empty, owned by the
/// sandbox's user, in the system temp folder, named by the shared temporary-name rule (<see cref="TemporaryNames"/>).
/// Deleted on dispose; folders left by a grading process that was killed are deleted by the next one
/// (<see cref="RemoveAbandoned"/>).
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    private const string Prefix = "sandbox-";

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
        var scratch = new ScratchFolder(TemporaryNames.New(Parent, Prefix));
        foreach (var folder in new[] { scratch.Root, scratch.Working, scratch.Artifacts })
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Libc.Check(Libc.ChangeOwner(folder, user, user), $"giving {folder} to the sandbox's user");
        }

        return scratch;
    }

    /// <summary>Deletes scratch folders whose grading process no longer runs.</summary>
    public static void RemoveAbandoned() => TemporaryNames.RemoveAbandoned(Parent, Prefix);

    /// <inheritdoc />
    public void Dispose() => TemporaryNames.TryDelete(Root);
}
