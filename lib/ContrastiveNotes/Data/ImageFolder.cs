using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// Loads a user's own images: one subfolder per class (the folder name is the class name, classes in
/// ordinal name order), PNG or JPEG files inside. Each image is checked against bounds on size and shape before it is
/// decoded (the files may come from anywhere; see <see cref="ImageFileDecoder"/>), then its shorter side is resized to
/// <c>size</c> with an antialiased triangle filter and its centre cropped to <c>size x size</c> (torchvision's
/// <c>Resize(size)</c> + <c>CenterCrop(size)</c>).
/// </summary>
public static class ImageFolder
{
    /// <summary>File extensions that are decoded (case-insensitive); other files are ignored.</summary>
    public static IReadOnlyList<string> Extensions { get; } = new[] { ".png", ".jpg", ".jpeg" };

    /// <summary>Loads every image under <paramref name="folder"/> as <c>uint8</c> <c>[count, channels, size, size]</c>.</summary>
    /// <param name="folder">A folder with one subfolder per class.</param>
    /// <param name="size">Output height and width in pixels.</param>
    /// <param name="channels">3 for RGB output, 1 for grayscale output.</param>
    public static ImageDataset Load(string folder, int size, int channels = 3)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"Size must be at least 1 pixel, but it is {size}.");
        if (channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(channels), $"Channels must be 1 (grayscale) or 3 (RGB), but it is {channels}.");
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Image folder '{folder}' does not exist. Expected a folder with one subfolder per class holding PNG/JPEG files; check the path.");
        var classFolders = Directory.GetDirectories(folder).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        RefuseNamesEqualAfterNormalisation(classFolders);
        var files = classFolders
            .SelectMany((dir, label) => Directory.GetFiles(dir)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => (File: f, Label: (long)label)))
            .ToArray();
        if (files.Length == 0)
            throw new InvalidDataException(
                $"Image folder '{folder}' has {classFolders.Length} subfolders but no PNG/JPEG images in them. " +
                "Expected one subfolder per class (e.g. cats/, dogs/) with .png/.jpg/.jpeg files inside.");

        var images = torch.empty(files.Length, channels, size, size, ScalarType.Byte);
        for (int i = 0; i < files.Length; i++)
        {
            using var scope = torch.NewDisposeScope();
            images[i].copy_(ImageFileDecoder.DecodeResizeCrop(files[i].File, size, channels));
        }
        var labels = torch.tensor(files.Select(f => f.Label).ToArray(), ScalarType.Int64);
        var names = classFolders.Select(d => Path.GetFileName(d)).ToArray();
        return new ImageDataset(images, labels, names, Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar)));
    }

    /// <summary>
    /// Two class folders whose names differ only in Unicode normalisation ("café" typed on one system, "cafe" + a
    /// combining accent on another) look the same to a person but would silently become two classes.
    /// </summary>
    private static void RefuseNamesEqualAfterNormalisation(string[] classFolders)
    {
        var clash = classFolders.GroupBy(d => Path.GetFileName(d).Normalize(System.Text.NormalizationForm.FormC), StringComparer.Ordinal)
            .FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new InvalidDataException(
                $"The class folders {string.Join(" and ", clash.Select(d => $"'{d}'"))} have names that differ only in their Unicode " +
                $"normalisation: both read \"{clash.Key}\", but they would become two classes. Merge them into one folder, or rename one.");
    }
}
