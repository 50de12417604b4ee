using ContrastiveNotes.IO;
using TorchSharp;

namespace ContrastiveNotes.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017, arXiv:1708.07747; MIT licence): 70,000 grayscale
/// 28x28 images of clothing in 10 classes, 60,000 for training and 10,000 for testing, read from the
/// four upstream IDX files (<c>.gz</c> or decompressed) and verified against their SHA-256 digests.
/// </summary>
public static class FashionMnist
{
    /// <summary>The environment variable naming a folder that holds the IDX files.</summary>
    public const string DirectoryVariable = "FASHION_MNIST_DIR";

    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string SystemFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>Upstream location of the <c>.gz</c> files.</summary>
    public const string DownloadBaseUrl = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new[]
    {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    };

    /// <summary>
    /// SHA-256 of each DECOMPRESSED IDX file, keyed by file name without <c>.gz</c> (the same values as
    /// <c>data/fashion-mnist.sha256</c>), so upstream's and Debian's re-compressed files verify alike.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Sha256OfDecompressedFiles { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ["train-labels-idx1-ubyte"] = "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ["t10k-images-idx3-ubyte"] = "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ["t10k-labels-idx1-ubyte"] = "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
    };

    /// <summary>
    /// Loads the training (60,000) or test (10,000) split as <c>uint8</c> <c>[count, 1, 28, 28]</c> images
    /// and <c>int64</c> labels.
    /// </summary>
    /// <param name="train">True for the training split, false for the test split.</param>
    /// <param name="root">A folder holding the files; when null, searches <c>data/fashion-mnist/</c> in the
    /// repository, then <c>$FASHION_MNIST_DIR</c>, then <see cref="SystemFolder"/>.</param>
    /// <param name="download">Download the missing files from <see cref="DownloadBaseUrl"/> (into
    /// <paramref name="root"/>, or the repository's <c>data/fashion-mnist/</c>, or
    /// <c>~/.cache/contrastive-notes/fashion-mnist</c>) when no folder has them.</param>
    /// <param name="verifyChecksum">Check the SHA-256 of the decompressed files (turn off only for
    /// hand-made files in the same format).</param>
    public static ImageDataset Load(bool train = true, string? root = null, bool download = false, bool verifyChecksum = true)
    {
        string imagesName = train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte";
        string labelsName = train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte";
        var candidates = CandidateFolders(root);
        string? folder = candidates.FirstOrDefault(f => FindFile(f, imagesName) != null && FindFile(f, labelsName) != null);
        if (folder == null && download)
        {
            folder = root ?? RepositoryRoot.DataFolder("fashion-mnist") ?? DefaultCacheFolder();
            Download(folder, imagesName);
            Download(folder, labelsName);
        }
        if (folder == null)
            throw new FileNotFoundException(
                $"Fashion-MNIST ({(train ? "train" : "test")} split) was not found: expected {imagesName}[.gz] and {labelsName}[.gz] in one of: " +
                $"{string.Join(", ", candidates.Select(c => $"'{c}'"))}; found them in none. Install Debian's dataset-fashion-mnist package, " +
                $"set {DirectoryVariable} to a folder holding the files, or call FashionMnist.Load(download: true).");

        string imagesPath = FindFile(folder, imagesName)!, labelsPath = FindFile(folder, labelsName)!;
        var imageBytes = ReadVerified(imagesPath, imagesName, verifyChecksum);
        var labelBytes = ReadVerified(labelsPath, labelsName, verifyChecksum);
        var images = IdxFile.ParseImages(imageBytes, imagesPath);
        var labels = IdxFile.ParseLabels(labelBytes, labelsPath);
        if (images.shape[0] != labels.shape[0])
        {
            long imageCount = images.shape[0], labelCount = labels.shape[0];
            images.Dispose();
            labels.Dispose();
            throw new InvalidDataException(
                $"'{imagesPath}' holds {imageCount} images but '{labelsPath}' holds {labelCount} labels; expected one label per image. " +
                "The two files come from different datasets or splits: replace them with a matching pair.");
        }
        return new ImageDataset(images, labels, ClassNames, train ? "Fashion-MNIST train" : "Fashion-MNIST test");
    }

    /// <summary>The folders searched, in order, when <c>root</c> is null (or only <c>root</c> when given).</summary>
    public static IReadOnlyList<string> CandidateFolders(string? root = null)
    {
        if (root != null) return new[] { root };
        var folders = new List<string>();
        if (RepositoryRoot.DataFolder("fashion-mnist") is { } repository) folders.Add(repository);
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } variable) folders.Add(variable);
        folders.Add(SystemFolder);
        return folders;
    }

    private static string? FindFile(string folder, string name)
    {
        foreach (string candidate in new[] { Path.Combine(folder, name), Path.Combine(folder, name + ".gz") })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    private static byte[] ReadVerified(string path, string name, bool verify)
    {
        byte[] bytes = IdxFile.ReadAllBytes(path);
        if (verify)
        {
            string found = Checksums.Sha256(bytes), expected = Sha256OfDecompressedFiles[name];
            if (found != expected)
                throw new InvalidDataException(
                    $"'{path}' does not match the published Fashion-MNIST file: expected SHA-256 {expected} of the decompressed bytes, found {found}. " +
                    "The file is corrupt or a different dataset: delete it and load with download: true (or reinstall dataset-fashion-mnist).");
        }
        return bytes;
    }

    private static void Download(string folder, string name)
    {
        if (FindFile(folder, name) != null) return;
        string temporary = Downloads.ToTemporaryFile(new Uri(DownloadBaseUrl + name + ".gz"), folder, ".gz");
        try
        {
            ReadVerified(temporary, name, verify: true);
            Downloads.MoveIntoPlace(temporary, Path.Combine(folder, name + ".gz"));
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string DefaultCacheFolder() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "contrastive-notes", "fashion-mnist");
}
