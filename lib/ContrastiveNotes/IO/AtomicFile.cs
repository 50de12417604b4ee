using System.Text;

namespace ContrastiveNotes.IO;

/// <summary>
/// The one way files are written (weights, checkpoints, notebooks, pages): to a temp file in the target folder,
/// flushed to disk, then renamed over the target, so a reader never sees half a file and a failed write (disk
/// full, no permission, a crash) leaves the previous copy as it was. Temp files are named
/// <c>.&lt;name&gt;.&lt;pid&gt;.&lt;random&gt;.tmp</c>; ones left by a process that no longer runs are removed by the next
/// write of the same file. (Compiled into the course library and, as a linked source, into the notebook tool.)
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically, creating the folder if needed.</summary>
    /// <exception cref="IOException">The file could not be written; the message names it and says the old copy is kept.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        RemoveAbandonedTemporaries(folder, Path.GetFileName(full));
        var temp = TemporaryNames.New(folder, $".{Path.GetFileName(full)}.", ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var kept = File.Exists(full) ? "the previous copy is unchanged" : "no file was written";
            throw new IOException($"Could not save {full}: {e.Message} ({kept}). Free some disk space or write to another folder, then try again.", e);
        }
        finally
        {
            TemporaryNames.TryDelete(temp);
        }
    }

    /// <summary>Writes UTF-8 text (no byte-order mark) atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>Writes bytes atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, stream => stream.Write(bytes));

    /// <summary>Removes <c>.&lt;name&gt;.&lt;pid&gt;.*.tmp</c> files in <paramref name="folder"/> whose process is gone.</summary>
    public static void RemoveAbandonedTemporaries(string folder, string name) => TemporaryNames.RemoveAbandoned(folder, $".{name}.", ".tmp");
}
