namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>Exercise markers are unbalanced or nested; <see cref="Line"/> is 1-based in the cell.</summary>
public sealed class ExerciseMarkerException(int line, string message) : Exception(message)
{
    /// <summary>The 1-based line of the offending marker.</summary>
    public int Line { get; } = line;
}
