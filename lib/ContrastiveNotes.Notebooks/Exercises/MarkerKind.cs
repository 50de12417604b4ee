namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>The kind of an exercise marker region.</summary>
public enum MarkerKind
{
    /// <summary>Instructor solution, replaced in student copies.</summary>
    Solution,

    /// <summary>Hidden checks, removed from student copies.</summary>
    HiddenTests,
}
