namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>A marker region: 0-based first and last line (the marker lines themselves).</summary>
public sealed record MarkerRegion(MarkerKind Kind, int BeginLine, int EndLine);
