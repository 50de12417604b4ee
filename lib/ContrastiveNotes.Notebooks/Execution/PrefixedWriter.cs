using System.Text;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>Writes each line to another writer with a prefix (e.g. <c>[alice/03-simclr] </c>), one line per call.</summary>
public sealed class PrefixedWriter(TextWriter inner, string prefix) : TextWriter
{
    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void WriteLine(string? value) => inner.WriteLine(prefix + value);

    /// <inheritdoc />
    public override void Write(char value) => inner.Write(value);
}
