using System.Runtime.InteropServices;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>The few POSIX calls .NET has no API for (file descriptors, ownership, the effective user).</summary>
internal static class Libc
{
    /// <summary><c>F_DUPFD_CLOEXEC</c>: duplicate to the lowest free descriptor ≥ arg, closed on exec.</summary>
    public const int DuplicateCloseOnExec = 1030;

    /// <summary><c>O_RDWR</c>.</summary>
    public const int ReadWrite = 2;

    [DllImport("libc", EntryPoint = "geteuid")]
    public static extern uint EffectiveUserId();

    [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
    public static extern int ChangeOwner([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static extern int Fcntl(int descriptor, int command, int argument);

    [DllImport("libc", EntryPoint = "dup2", SetLastError = true)]
    public static extern int Duplicate2(int descriptor, int target);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int descriptor);

    /// <summary>Throws with errno when a call returned -1.</summary>
    public static int Check(int result, string what) =>
        result >= 0 ? result : throw new IOException($"{what} failed (errno {Marshal.GetLastPInvokeError()}).");
}
