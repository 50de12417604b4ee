using System.Formats.Tar;
using System.IO.Compression;
using ContrastiveNotes.Data;

namespace ContrastiveNotes.Tests.Data;

public class SafeTarExtractorTests
{
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
        var extracted = SafeTarExtractor.ExtractTarGz(folder.File("ok.tar.gz"), target);
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
        var e = Assert.Throws<InvalidDataException>(() => SafeTarExtractor.ExtractTarGz(folder.File("bad.tar.gz"), target));
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
        var e = Assert.Throws<InvalidDataException>(() => SafeTarExtractor.ExtractTarGz(folder.File("link.tar.gz"), Path.Combine(folder.Path, "out")));
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
        SafeTarExtractor.ExtractTarGz(folder.File("a.tar.gz"), target);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target, "notes.txt")));
    }
}
