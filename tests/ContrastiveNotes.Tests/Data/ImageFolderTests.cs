using ContrastiveNotes.Data;
using StbImageWriteSharp;
using TorchSharp;

namespace ContrastiveNotes.Tests.Data;

public class ImageFolderTests
{
    private static void WritePng(string path, int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++) { pixels[3 * i] = r; pixels[3 * i + 1] = g; pixels[3 * i + 2] = b; }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        new ImageWriter().WritePng(pixels, width, height, ColorComponents.RedGreenBlue, stream);
    }

    [Fact]
    public void LoadsOneClassPerSubfolderResizedToTheRequestedSize()
    {
        using var folder = new TemporaryFolder();
        WritePng(Path.Combine(folder.Path, "red", "a.png"), 40, 20, 200, 10, 10);
        WritePng(Path.Combine(folder.Path, "red", "b.PNG"), 16, 16, 255, 0, 0);
        WritePng(Path.Combine(folder.Path, "blue", "c.png"), 9, 30, 0, 0, 250);
        File.WriteAllText(Path.Combine(folder.Path, "blue", "notes.txt"), "not an image");

        using var dataset = ImageFolder.Load(folder.Path, size: 12);
        Assert.Equal(new[] { "blue", "red" }, dataset.ClassNames);
        Assert.Equal(new long[] { 3, 3, 12, 12 }, dataset.Images.shape);
        Assert.Equal(new long[] { 0, 1, 1 }, dataset.Labels.data<long>().ToArray());
        // A uniform image stays uniform after resizing (bilinear weights sum to one).
        Assert.Equal(new byte[] { 0, 0, 250 }, dataset.Images[0, .., 5, 5].data<byte>().ToArray());
        Assert.Equal(new byte[] { 200, 10, 10 }, dataset.Images[1, .., 0, 11].data<byte>().ToArray());
        Assert.Equal(new byte[] { 255, 0, 0 }, dataset.Images[2, .., 11, 0].data<byte>().ToArray());
    }

    [Fact]
    public void GrayscaleOutputHasOneChannel()
    {
        using var folder = new TemporaryFolder();
        WritePng(Path.Combine(folder.Path, "white", "a.png"), 10, 10, 255, 255, 255);
        using var dataset = ImageFolder.Load(folder.Path, size: 8, channels: 1);
        Assert.Equal(new long[] { 1, 1, 8, 8 }, dataset.Images.shape);
        Assert.Equal(255, dataset.Images.min().item<byte>());
    }

    [Fact]
    public void FolderWithoutImagesSaysWhatWasExpected()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "cats"));
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path, 16));
        Assert.Contains(folder.Path, e.Message);
        Assert.Contains("one subfolder per class", e.Message);
    }

    [Fact]
    public void CorruptImageNamesTheFile()
    {
        using var folder = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "cats"));
        File.WriteAllBytes(Path.Combine(folder.Path, "cats", "broken.jpg"), new byte[] { 1, 2, 3, 4 });
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path, 16));
        Assert.Contains("broken.jpg", e.Message);
    }

    [Fact]
    public void MissingFolderIsReported()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load("/nonexistent/images", 16));
        Assert.Contains("/nonexistent/images", e.Message);
    }
}
