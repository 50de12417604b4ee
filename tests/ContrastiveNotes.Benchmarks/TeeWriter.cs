using System.Text;

namespace ContrastiveNotes.Benchmarks;

/// <summary>Writes everything to the console and keeps a copy, so the run's report can also be saved as a file.</summary>
internal sealed class TeeWriter(TextWriter console) : TextWriter
{
    private readonly StringBuilder copy = new();

    /// <inheritdoc />
    public override Encoding Encoding => console.Encoding;

    /// <summary>Everything written so far.</summary>
    public string Text => copy.ToString();

    /// <inheritdoc />
    public override void Write(char value)
    {
        console.Write(value);
        copy.Append(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        console.Write(value);
        copy.Append(value);
    }

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        console.WriteLine(value);
        copy.AppendLine(value);
    }

    /// <inheritdoc />
    public override void Flush() => console.Flush();
}
