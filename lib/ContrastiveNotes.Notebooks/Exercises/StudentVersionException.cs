namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>The student version cannot be made (bad markers, or the output would overwrite the input).</summary>
public sealed class StudentVersionException(string message) : Exception(message);
