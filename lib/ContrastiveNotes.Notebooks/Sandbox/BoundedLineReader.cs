using System.Text;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// Reads UTF-8 lines from a stream on a background thread, refusing any line longer than a limit, so that a
/// process on the other end can neither exhaust the reader's memory nor block it: the reader gets each line,
/// end of stream, or <see cref="TooLong"/>, with a timeout.
/// </summary>
internal sealed class BoundedLineReader
{
    /// <summary>What <see cref="TryRead"/> returns for a line over the limit.</summary>
    public const string TooLong = "\0line too long";

    private readonly System.Collections.Concurrent.BlockingCollection<string?> _lines = new(boundedCapacity: 64);

    public BoundedLineReader(Stream stream, int maxLineBytes)
    {
        var thread = new Thread(() => Pump(stream, maxLineBytes)) { IsBackground = true, Name = "sandbox channel reader" };
        thread.Start();
    }

    /// <summary>The next line (null at end of stream), or false when none arrived within <paramref name="timeout"/>.</summary>
    public bool TryRead(TimeSpan timeout, out string? line)
    {
        if (_lines.IsCompleted)
        {
            line = null;
            return true;
        }

        try
        {
            if (_lines.TryTake(out line, timeout))
            {
                return true;
            }
        }
        catch (InvalidOperationException)
        {
            // completed while waiting
        }

        line = null;
        return _lines.IsCompleted; // end of stream (true) or nothing yet (false)
    }

    private void Pump(Stream stream, int maxLineBytes)
    {
        var line = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                var start = 0;
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != (byte)'\n')
                    {
                        continue;
                    }

                    line.Write(buffer, start, i - start);
                    _lines.Add(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length));
                    line.SetLength(0);
                    start = i + 1;
                }

                line.Write(buffer, start, read - start);
                if (line.Length > maxLineBytes)
                {
                    _lines.Add(TooLong);
                    return;
                }
            }
        }
        catch (IOException)
        {
            // the process ended
        }
        finally
        {
            _lines.CompleteAdding();
        }
    }
}
