using System.Formats.Tar;
using System.IO.Compression;
using ContrastiveNotes.Data;

namespace ContrastiveNotes.Tests.Data;

public class SafeTarExtractorTests
{
    private const long Bound = 1 << 20;

    private static void WriteTarGz(string path, params TarEntry[] entries)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var writer = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var entry in entries) writer.WriteEntry(entry);
    }

    private static PaxTarEntry FileEntry(string name, string content) =>
        new(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)) };

    [Fact]
    public void ExtractsFilesAndFolders()
    {
        using var folder = new TemporaryFolder();
        WriteTarGz(folder.File("ok.tar.gz"), new PaxTarEntry(TarEntryType.Directory, "cifar-10-batches-bin/"),
            FileEntry("cifar-10-batches-bin/test_batch.bin", "abc"), FileEntry("./readme.html", "hi"));
        string target = Path.Combine(folder.Path, "out");
        var extracted = SafeTarExtractor.ExtractTarGz(folder.File("ok.tar.gz"), target, Bound);
        Assert.Equal(2, extracted.Count);
        Assert.Equal("abc", File.ReadAllText(Path.Combine(target, "cifar-10-batches-bin", "test_batch.bin")));
        Assert.Equal("hi", File.ReadAllText(Path.Combine(target, "readme.html")));
        Assert.Equal(new[] { Path.Combine(target, "cifar-10-batches-bin") }, Directory.GetDirectories(target));
    }

    [Theory]
    [InlineData("../evil.txt", "'..'")]
    [InlineData("data/../../evil.txt", "'..'")]
    [InlineData("/tmp/evil.txt", "absolute")]
    public void RejectsEntriesThatEscapeTheTargetAndWritesNothing(string name, string reason)
    {
        using var folder = new TemporaryFolder();
        WriteTarGz(folder.File("bad.tar.gz"), FileEntry("good.txt", "fine"), FileEntry(name, "evil"));
        string target = Path.Combine(folder.Path, "out");
        var e = Assert.Throws<InvalidDataException>(() => SafeTarExtractor.ExtractTarGz(folder.File("bad.tar.gz"), target, Bound));
        Assert.Contains(name, e.Message);
        Assert.Contains(reason, e.Message);
        Assert.False(File.Exists(Path.Combine(folder.Path, "evil.txt")));
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public void RejectsSymbolicLinks()
    {
        using var folder = new TemporaryFolder();
        WriteTarGz(folder.File("link.tar.gz"), new PaxTarEntry(TarEntryType.SymbolicLink, "link") { LinkName = "/etc" });
        var e = Assert.Throws<InvalidDataException>(() => SafeTarExtractor.ExtractTarGz(folder.File("link.tar.gz"), Path.Combine(folder.Path, "out"), Bound));
        Assert.Contains("link", e.Message);
        Assert.False(File.Exists(Path.Combine(folder.Path, "out", "link")));
    }

    [Fact]
    public void NeverOverwritesExistingFiles()
    {
        using var folder = new TemporaryFolder();
        string target = Directory.CreateDirectory(Path.Combine(folder.Path, "out")).FullName;
        File.WriteAllText(Path.Combine(target, "notes.txt"), "mine");
        WriteTarGz(folder.File("a.tar.gz"), FileEntry("notes.txt", "theirs"));
        SafeTarExtractor.ExtractTarGz(folder.File("a.tar.gz"), target, Bound);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "notes.txt")));
    }

    [Fact]
    public void RefusesAnArchiveWhoseFilesWouldPassTheBoundBeforeWritingTheEntryThatPassesIt()
    {
        using var folder = new TemporaryFolder();
        // 3 files of 400,000 zero bytes: 1.2 MB in all, a few KiB compressed. The bound is 1 MiB.
        var entries = Enumerable.Range(0, 3).Select(i => new PaxTarEntry(TarEntryType.RegularFile, $"part{i}.bin")
            { DataStream = new MemoryStream(new byte[400_000]) }).ToArray();
        WriteTarGz(folder.File("bomb.tar.gz"), entries);
        Assert.True(new FileInfo(folder.File("bomb.tar.gz")).Length < 20_000);
        string target = Path.Combine(folder.Path, "out");

        var e = Assert.Throws<InvalidDataException>(() => SafeTarExtractor.ExtractTarGz(folder.File("bomb.tar.gz"), target, Bound));

        Assert.Contains("bomb.tar.gz", e.Message);
        Assert.Contains("'part2.bin' (400,000 bytes)", e.Message);
        Assert.Contains("1,200,000 bytes; expected at most 1,048,576 bytes", e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(target)); // staging removed, nothing moved into place
    }

    [Fact]
    public void ExtractsAnArchiveExactlyAtTheBound()
    {
        using var folder = new TemporaryFolder();
        WriteTarGz(folder.File("full.tar.gz"), new PaxTarEntry(TarEntryType.RegularFile, "all.bin") { DataStream = new MemoryStream(new byte[Bound]) });
        string target = Path.Combine(folder.Path, "out");
        Assert.Equal(["all.bin"], SafeTarExtractor.ExtractTarGz(folder.File("full.tar.gz"), target, Bound));
        Assert.Equal(Bound, new FileInfo(Path.Combine(target, "all.bin")).Length);
    }
}
