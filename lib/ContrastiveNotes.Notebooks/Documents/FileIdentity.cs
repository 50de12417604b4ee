using System.Runtime.InteropServices;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// Whether two paths are one file: the same device and inode (so a symlink, a hard link or a symlinked folder
/// that leads back to the input is recognised), or, for paths that do not exist yet, the same full path with
/// links resolved.
/// </summary>
public static class FileIdentity
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> name the same file or folder.</summary>
    public static bool Same(string a, string b)
    {
        if (Identity(a) is { } first && Identity(b) is { } second)
        {
            return first == second;
        }

        return string.Equals(Resolved(a), Resolved(b), StringComparison.Ordinal);
    }

    /// <summary>The full path with every symbolic link on the way resolved (as far as the path exists).</summary>
    public static string Resolved(string path)
    {
        var full = Path.GetFullPath(path);
        if (full.Length > Path.GetPathRoot(full)!.Length)
        {
            full = full.TrimEnd(Path.DirectorySeparatorChar); // but "/" stays "/"
        }

        var parent = Path.GetDirectoryName(full);
        var name = Path.GetFileName(full);
        if (parent is null || name.Length == 0)
        {
            return full;
        }

        var resolvedParent = Resolved(parent);
        var candidate = Path.Combine(resolvedParent, name);
        var info = new FileInfo(candidate);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target ? Resolved(target.FullName) : candidate;
    }

    private static (ulong Device, ulong Inode)? Identity(string path)
    {
        if (!OperatingSystem.IsLinux() || !(File.Exists(path) || Directory.Exists(path)))
        {
            return null;
        }

        // struct stat begins with st_dev and st_ino (8 bytes each) on x86-64 and arm64 Linux.
        var buffer = new byte[256];
        return Stat(path, buffer) == 0 ? (BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8)) : null;
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
