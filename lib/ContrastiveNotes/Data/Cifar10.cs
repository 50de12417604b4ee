using ContrastiveNotes.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Data;

/// <summary>
/// CIFAR-10 (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny Images"): 60,000 colour
/// 32x32 images in 10 classes, read from the binary version's batches (<c>data_batch_1..5.bin</c>,
/// <c>test_batch.bin</c>): each record is one label byte followed by 3072 pixel bytes (1024 red, then
/// green, then blue, row by row).
/// </summary>
public static class Cifar10
{
    /// <summary>The environment variable naming a folder that holds <c>cifar-10-batches-bin/</c>.</summary>
    public const string DirectoryVariable = "CIFAR10_DIR";

    /// <summary>Upstream archive of the binary version.</summary>
    public const string DownloadUrl = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>MD5 of <c>cifar-10-binary.tar.gz</c> as published upstream.</summary>
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>The folder inside the archive that holds the batches.</summary>
    public const string BatchFolder = "cifar-10-batches-bin";

    /// <summary>
    /// The most bytes the archive may extract: its six batches (6 × 10,000 records) plus 1 MiB for
    /// <c>batches.meta.txt</c> and <c>readme.html</c>.
    /// </summary>
    public const long MaxExtractedBytes = 6L * RecordsPerBatch * RecordLength + (1 << 20);

    /// <summary>Bytes per record: one label byte and 3 x 32 x 32 pixel bytes.</summary>
    public const int RecordLength = 1 + 3 * 32 * 32;

    /// <summary>Images in every published CIFAR-10 binary batch (5 training batches and the test batch).</summary>
    public const int RecordsPerBatch = 10_000;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new[]
    {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    };

    /// <summary>
    /// Loads the training (50,000) or test (10,000) split as <c>uint8</c> <c>[count, 3, 32, 32]</c> images and
    /// <c>int64</c> labels.
    /// </summary>
    /// <param name="train">True for the five training batches, false for the test batch.</param>
    /// <param name="root">A folder holding <c>cifar-10-batches-bin/</c> (or the batches themselves); when null,
    /// searches the repository's <c>data/cifar-10/</c>, then <c>$CIFAR10_DIR</c>.</param>
    /// <param name="download">Download and extract the archive (MD5-verified) when no folder has the batches.</param>
    /// <param name="allowPartialBatches">Accept batches with fewer than <see cref="RecordsPerBatch"/> images (cut-down copies,
    /// e.g. for tests); by default a batch that is not complete is refused, since a file cut at a record boundary would
    /// otherwise load with fewer images without a word.</param>
    /// <exception cref="InvalidDataException">A batch is cut, or not a CIFAR-10 batch; the message names the file and the size expected.</exception>
    public static ImageDataset Load(bool train = true, string? root = null, bool download = false, bool allowPartialBatches = false)
    {
        string[] names = train ? Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray() : new[] { "test_batch.bin" };
        var candidates = CandidateFolders(root);
        string? folder = candidates.Select(BatchesIn).FirstOrDefault(f => names.All(n => File.Exists(Path.Combine(f, n))));
        if (folder == null && download)
        {
            string target = root ?? RepositoryRoot.DataFolder("cifar-10") ??
                Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "contrastive-notes", "cifar-10");
            DownloadAndExtract(target);
            folder = BatchesIn(target);
        }
        if (folder == null)
            throw new FileNotFoundException(
                $"CIFAR-10 ({(train ? "train" : "test")} split) was not found: expected {string.Join(", ", names)} in {BatchFolder}/ under one of: " +
                $"{string.Join(", ", candidates.Select(c => $"'{c}'"))}; found them in none. Set {DirectoryVariable}, pass root, or call Cifar10.Load(download: true).");

        if (!allowPartialBatches)
        {
            foreach (var name in names)
            {
                long length = new FileInfo(Path.Combine(folder, name)).Length;
                if (length != (long)RecordsPerBatch * RecordLength)
                    throw new InvalidDataException(
                        $"CIFAR-10 batch '{Path.Combine(folder, name)}' has {length} bytes ({length / RecordLength} images); every published batch has " +
                        $"{(long)RecordsPerBatch * RecordLength} bytes ({RecordsPerBatch} images of {RecordLength} bytes). The file is cut or is not from the " +
                        "published dataset: delete the folder and load with download: true, or pass allowPartialBatches: true for a cut-down copy.");
            }
        }
        var parts = names.Select(n => ReadBatch(Path.Combine(folder, n))).ToList();
        var images = torch.cat(parts.Select(p => p.Images).ToList(), 0);
        var labels = torch.cat(parts.Select(p => p.Labels).ToList(), 0);
        foreach (var (i, l) in parts) { i.Dispose(); l.Dispose(); }
        return new ImageDataset(images, labels, ClassNames, train ? "CIFAR-10 train" : "CIFAR-10 test");
    }

    /// <summary>Reads one binary batch file into <c>uint8</c> <c>[count, 3, 32, 32]</c> images and <c>int64</c> labels.</summary>
    public static (Tensor Images, Tensor Labels) ReadBatch(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"CIFAR-10 batch '{path}' does not exist. Expected a binary batch of {RecordLength}-byte records; download the dataset again.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0 || bytes.Length % RecordLength != 0)
            throw new InvalidDataException(
                $"CIFAR-10 batch '{path}' has {bytes.Length} bytes; expected a non-zero multiple of {RecordLength} (one label byte + 3072 pixel bytes per image). " +
                "The file is truncated or not a CIFAR-10 binary batch: delete it and download the dataset again.");
        long count = bytes.Length / RecordLength;
        using var records = torch.tensor(bytes, new long[] { count, RecordLength });
        using var labelBytes = records[.., 0];
        long maxLabel = labelBytes.max().item<byte>();
        if (maxLabel >= ClassNames.Count)
            throw new InvalidDataException(
                $"CIFAR-10 batch '{path}' holds label {maxLabel}; expected labels 0..9 in the first byte of each record. " +
                "The file is not a CIFAR-10 binary batch (CIFAR-100 has two label bytes): use the CIFAR-10 binary version.");
        var images = records[.., 1..].reshape(count, 3, 32, 32).contiguous();
        return (images, labelBytes.to(ScalarType.Int64));
    }

    /// <summary>The folders searched, in order, when <c>root</c> is null (or only <c>root</c> when given).</summary>
    public static IReadOnlyList<string> CandidateFolders(string? root = null)
    {
        if (root != null) return new[] { root };
        var folders = new List<string>();
        if (RepositoryRoot.DataFolder("cifar-10") is { } repository) folders.Add(repository);
        if (Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } variable) folders.Add(variable);
        return folders;
    }

    private static string BatchesIn(string folder) =>
        Directory.Exists(Path.Combine(folder, BatchFolder)) ? Path.Combine(folder, BatchFolder) : folder;

    private static void DownloadAndExtract(string target)
    {
        string archive = Downloads.ToTemporaryFile(new Uri(DownloadUrl), target, ".tar.gz");
        try
        {
            string found = Checksums.Md5OfFile(archive);
            if (found != ArchiveMd5)
                throw new InvalidDataException(
                    $"The downloaded {DownloadUrl} has MD5 {found}; expected {ArchiveMd5}. The download is corrupt or was altered: try again later.");
            SafeTarExtractor.ExtractTarGz(archive, target, MaxExtractedBytes);
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
