namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>A notebook file is not valid JSON or not the nbformat shape the tool expects.</summary>
public sealed class NotebookFormatException(string message) : Exception(message);
