using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Resolves <c>#r</c> paths against the notebook folder, and assemblies that a referenced DLL
/// depends on from that DLL's own folder (TorchSharp.dll next to ContrastiveNotes.dll), so that a
/// cell can use the dependency's types after <c>#r "ContrastiveNotes.dll"</c>.
/// </summary>
public sealed class KernelMetadataResolver(string baseDirectory) : MetadataReferenceResolver
{
    private readonly ScriptMetadataResolver _inner = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory).WithSearchPaths(baseDirectory);

    /// <inheritdoc />
    public override bool ResolveMissingAssemblies => true;

    /// <inheritdoc />
    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties) =>
        _inner.ResolveReference(reference, baseFilePath, properties);

    /// <inheritdoc />
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        if (definition is PortableExecutableReference { FilePath: { } path } && Path.GetDirectoryName(path) is { } folder)
        {
            var candidate = Path.Combine(folder, referenceIdentity.Name + ".dll");
            if (File.Exists(candidate))
            {
                return MetadataReference.CreateFromFile(candidate);
            }
        }

        return _inner.ResolveMissingAssembly(definition, referenceIdentity);
    }

    /// <inheritdoc />
    public override bool Equals(object? other) => other is KernelMetadataResolver r && r._inner.Equals(_inner);

    /// <inheritdoc />
    public override int GetHashCode() => _inner.GetHashCode();
}
