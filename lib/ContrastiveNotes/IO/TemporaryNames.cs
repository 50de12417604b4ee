using System.Globalization;

namespace ContrastiveNotes.IO;

/// <summary>
/// The one naming rule for temporary files and folders (atomic writes, downloads, archive staging):
/// <c>&lt;prefix&gt;&lt;pid&gt;.&lt;random&gt;&lt;suffix&gt;</c>, so that the next run recognises the ones a killed process left
/// (its pid no longer runs) and removes them. (Compiled into the course library and, linked, into the notebook tool.)
/// </summary>
public static class TemporaryNames
{
    /// <summary>A new temporary path in <paramref name="folder"/> named for this process.</summary>
    public static string New(string folder, string prefix, string suffix = "") =>
        Path.Combine(folder, $"{prefix}{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{suffix}");

    /// <summary>Deletes files and folders in <paramref name="folder"/> named by <see cref="New"/> whose process is gone.</summary>
    public static void RemoveAbandoned(string folder, string prefix, string suffix = "")
    {
        if (!Directory.Exists(folder))
            return;
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder, $"{prefix}*{suffix}"))
        {
            var name = Path.GetFileName(entry);
            var middle = name[prefix.Length..^suffix.Length].Split('.');
            if (middle.Length == 2 && middle[1].Length == 32 && int.TryParse(middle[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && !Running(pid))
                TryDelete(entry);
        }
    }

    /// <summary>Deletes a file or folder, ignoring failures (the next run removes it).</summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
            else
                File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
