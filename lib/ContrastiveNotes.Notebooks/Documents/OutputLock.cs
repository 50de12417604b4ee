namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// An exclusive lock on an output file or folder for one run, so that two runs writing the same output refuse
/// instead of interleaving. The lock is the open file <c>.&lt;name&gt;.lock</c> beside the output (an OS lock, released
/// when the process ends, however it ends); the file is removed when the run releases it.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private OutputLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>Locks <paramref name="output"/> (a file or folder path, which need not exist yet).</summary>
    /// <exception cref="IOException">Another run holds the lock; the message says which output.</exception>
    public static OutputLock Acquire(string output)
    {
        var full = Path.GetFullPath(output).TrimEnd(Path.DirectorySeparatorChar);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $".{Path.GetFileName(full)}.lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return new OutputLock(stream, path);
        }
        catch (IOException e)
        {
            throw new IOException($"Another run is writing '{full}' (it holds {path}). Wait for it to finish, or choose another --output.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        File.Delete(_path);
        _stream.Dispose();
    }
}
