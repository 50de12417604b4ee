namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>What a <c>#r "nuget: ..."</c> resolved to in the local package folder.</summary>
/// <param name="Assemblies">Managed assemblies to reference (the package and its dependencies).</param>
/// <param name="NativeFolders">Folders with native libraries for this runtime identifier.</param>
/// <param name="Warnings">Dependencies that were not found (the run continues without them).</param>
public sealed record ResolvedPackage(IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeFolders, IReadOnlyList<string> Warnings);
