namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>A C# cell split by <see cref="KernelDirectives.Parse"/>.</summary>
/// <param name="Code">The code for Roslyn, directive lines blanked so line numbers match the cell.</param>
/// <param name="References">Paths from <c>#r "path"</c> (relative to the notebook folder).</param>
/// <param name="Packages">Packages from <c>#r "nuget: Name, Version"</c>.</param>
public sealed record ParsedCell(string Code, IReadOnlyList<AssemblyReference> References, IReadOnlyList<PackageRequest> Packages);
