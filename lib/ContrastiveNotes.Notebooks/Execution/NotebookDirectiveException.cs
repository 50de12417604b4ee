namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>A kernel directive in a cell cannot be honoured (unsupported magic, missing package or DLL).</summary>
public sealed class NotebookDirectiveException(int line, string message) : Exception(message)
{
    /// <summary>The 1-based line of the directive in its cell.</summary>
    public int Line { get; } = line;
}
