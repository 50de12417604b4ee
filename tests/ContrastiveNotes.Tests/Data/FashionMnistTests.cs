using System.Diagnostics;
using System.Security.Cryptography;
using ContrastiveNotes.Data;
using TorchSharp;

namespace ContrastiveNotes.Tests.Data;

public class FashionMnistTests
{
    private static void WritePair(TemporaryFolder folder, bool train, int images, int labels)
    {
        string prefix = train ? "train" : "t10k";
        IdxWriter.WriteGz(folder.File($"{prefix}-images-idx3-ubyte.gz"), IdxWriter.Images(images, 28, 28, (n, r, c) => (byte)(n + r + c)));
        IdxWriter.WriteGz(folder.File($"{prefix}-labels-idx1-ubyte.gz"), IdxWriter.Labels(Enumerable.Range(0, labels).Select(i => (byte)(i % 10)).ToArray()));
    }

    [Fact]
    public void ChecksumConstantsAgreeWithTheRepositoryFile()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "ContrastiveNotes.sln"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        var fromFile = File.ReadAllLines(Path.Combine(dir!, "data", "fashion-mnist.sha256"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => p[1], p => p[0]);
        Assert.Equal(4, fromFile.Count);
        Assert.Equal(fromFile.OrderBy(p => p.Key), FashionMnist.Sha256OfDecompressedFiles.OrderBy(p => p.Key));
    }

    [Fact]
    public void LoadsTheRealTestSplitFromTheDebianPackageWithVerifiedChecksums()
    {
        Assert.True(Directory.Exists(FashionMnist.SystemFolder), "this machine has dataset-fashion-mnist installed (ENVIRONMENT.md)");
        using var test = FashionMnist.Load(train: false, root: FashionMnist.SystemFolder);
        Assert.Equal(10000, test.Count);
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, test.Images.shape);
        Assert.Equal(torch.ScalarType.Byte, test.Images.dtype);
        Assert.All(test.ClassCounts(), count => Assert.Equal(1000, count));
        Assert.Equal("Ankle boot", test.ClassNames[9]);
    }

    [Fact]
    public void LoadsTheRealTrainingSplit()
    {
        using var train = FashionMnist.Load(train: true, root: FashionMnist.SystemFolder);
        Assert.Equal(new long[] { 60000, 1, 28, 28 }, train.Images.shape);
        Assert.All(train.ClassCounts(), count => Assert.Equal(6000, count));
    }

    [Fact]
    public void HandMadeFilesLoadWithoutChecksumAndFailWithIt()
    {
        using var folder = new TemporaryFolder();
        WritePair(folder, train: false, images: 5, labels: 5);
        using var loaded = FashionMnist.Load(train: false, root: folder.Path, verifyChecksum: false);
        Assert.Equal(new long[] { 5, 1, 28, 28 }, loaded.Images.shape);
        Assert.Equal(3, loaded.Images[2, 0, 0, 1].item<byte>());

        var before = File.ReadAllBytes(folder.File("t10k-images-idx3-ubyte.gz"));
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(train: false, root: folder.Path));
        Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
        Assert.Contains(FashionMnist.Sha256OfDecompressedFiles["t10k-images-idx3-ubyte"], e.Message);
        Assert.Equal(before, File.ReadAllBytes(folder.File("t10k-images-idx3-ubyte.gz")));
    }

    [Fact]
    public void LabelCountThatDoesNotMatchTheImageCountNamesBothFiles()
    {
        using var folder = new TemporaryFolder();
        WritePair(folder, train: true, images: 4, labels: 3);
        var e = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(train: true, root: folder.Path, verifyChecksum: false));
        Assert.Contains("train-images-idx3-ubyte.gz", e.Message);
        Assert.Contains("train-labels-idx1-ubyte.gz", e.Message);
        Assert.Contains("4 images", e.Message);
        Assert.Contains("3 labels", e.Message);
    }

    [Fact]
    public void MissingFilesListTheSearchedFoldersAndWhatToDo()
    {
        using var folder = new TemporaryFolder();
        var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(train: true, root: folder.Path));
        Assert.Contains(folder.Path, e.Message);
        Assert.Contains("train-images-idx3-ubyte", e.Message);
        Assert.Contains("download: true", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void RepositoryRootIsFoundFromTheTestFolder()
    {
        var candidates = FashionMnist.CandidateFolders();
        Assert.EndsWith(Path.Combine("data", "fashion-mnist"), candidates[0]);
        Assert.Equal(FashionMnist.SystemFolder, candidates[^1]);
    }

    [Fact]
    public void DecompressedRealFileMatchesItsPublishedDigestIndependently()
    {
        var bytes = IdxFile.ReadAllBytes(Path.Combine(FashionMnist.SystemFolder, "t10k-labels-idx1-ubyte.gz"));
        Assert.Equal("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
    }
}
