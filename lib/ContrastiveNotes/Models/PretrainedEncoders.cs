using ContrastiveNotes.Data;
using ContrastiveNotes.IO;

namespace ContrastiveNotes.Models;

/// <summary>
/// The course's pretrained encoders in <c>data/pretrained/</c> (<see cref="PretrainedManifest"/>): notebooks' <c>pretrained</c>
/// profile loads them instead of training. The weights file's SHA-256 is checked against the manifest before anything is
/// read, so a missing, cut or altered file is refused with what to do.
/// </summary>
public static class PretrainedEncoders
{
    /// <summary>The folder in the repository: <c>data/pretrained</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither the working directory nor the library is inside the repository.</exception>
    public static string DefaultFolder => RepositoryRoot.DataFolder("pretrained") ?? throw new DirectoryNotFoundException(
        "Cannot find the course repository (a folder holding ContrastiveNotes.sln) above the working directory or the library; " +
        "pass the folder of the pretrained encoders explicitly.");

    /// <summary>The manifest's file name.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>Reads the manifest of <paramref name="folder"/> (default <see cref="DefaultFolder"/>).</summary>
    public static PretrainedManifest Manifest(string? folder = null) =>
        PretrainedManifest.Read(Path.Combine(folder ?? DefaultFolder, ManifestFileName));

    /// <summary>Builds the encoder called <paramref name="name"/> and loads its checked weights (eval mode, CPU).</summary>
    /// <param name="name">Entry name, e.g. "simclr", "moco", "supcon", "supervised".</param>
    /// <param name="folder">Folder of the manifest and weights (default <see cref="DefaultFolder"/>).</param>
    /// <exception cref="KeyNotFoundException">The manifest has no such encoder (the message lists the ones it has).</exception>
    /// <exception cref="FileNotFoundException">The weights file is missing.</exception>
    /// <exception cref="InvalidDataException">The weights file's SHA-256 is not the manifest's.</exception>
    public static SmallConvNet Load(string name, string? folder = null)
    {
        folder ??= DefaultFolder;
        var manifest = Manifest(folder);
        var entry = manifest.Find(name) ?? throw new KeyNotFoundException(
            $"data/pretrained has no encoder '{name}'. It has: {string.Join(", ", manifest.Encoders.Select(e => e.Name))}.");
        string path = Path.Combine(folder, entry.File);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The pretrained encoder '{name}' is listed in the manifest but its weights '{path}' are missing. " +
                "Restore them with 'git checkout -- data/pretrained' (or make them again: data/pretrained/README.md).", path);
        string actual = Checksums.Sha256OfFile(path);
        if (actual != entry.Sha256)
            throw new InvalidDataException($"The weights '{path}' have SHA-256 {actual}, but the manifest expects {entry.Sha256}: the file is " +
                "damaged or was replaced. Restore it with 'git checkout -- data/pretrained'.");
        var encoder = new SmallConvNet(entry.InChannels, entry.FeatureDim, entry.Width);
        ModelWeights.Load(encoder, path);
        encoder.eval();
        return encoder;
    }
}
