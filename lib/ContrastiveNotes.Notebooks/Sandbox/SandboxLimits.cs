using System.Globalization;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>What one sandboxed kernel may use. The wall-time limits are the grader's; these are the kernel's own.</summary>
/// <param name="MemoryBytes">Memory of all the sandbox's processes together (control group), or their address space each when no control group can be made.</param>
/// <param name="Processes">Processes (and threads, which Linux counts as tasks) the sandbox may hold at once.</param>
/// <param name="StartupTimeout">Time the kernel may take to start before the first cell.</param>
public sealed record SandboxLimits(long MemoryBytes, int Processes, TimeSpan StartupTimeout)
{
    /// <summary>The default: 4 GiB, 512 tasks (the kernel and libtorch start about 60 threads), 3 minutes to start.</summary>
    public static SandboxLimits Default { get; } = new(4L << 30, 512, TimeSpan.FromMinutes(3));

    /// <summary>Throws when a limit is impossible (not positive, or too small for the kernel to start).</summary>
    public SandboxLimits Validated()
    {
        if (MemoryBytes < 512L << 20)
        {
            throw new ArgumentOutOfRangeException(nameof(MemoryBytes), $"The sandbox memory limit must be at least 512 MiB (the kernel needs about 400 MiB to start); found {Describe(MemoryBytes)}.");
        }

        if (Processes < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Processes), $"The sandbox task limit must be at least 64 (the kernel starts about 60 threads); found {Processes}.");
        }

        return this;
    }

    /// <summary>A byte count as text, e.g. <c>4 GiB</c>.</summary>
    public static string Describe(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB";
}
