namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>A <c>#r "path.dll"</c> directive and the 1-based line it is on.</summary>
public sealed record AssemblyReference(string Path, int Line);
