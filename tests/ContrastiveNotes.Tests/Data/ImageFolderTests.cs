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

    [Fact]
    public void ClassFoldersThatDifferOnlyInUnicodeNormalisationAreRefused()
    {
        using var folder = new TemporaryFolder();
        string composed = "caf\u00e9", decomposed = "cafe\u0301";   // both display as "café"
        Assert.NotEqual(composed, decomposed);
        WritePng(Path.Combine(folder.Path, composed, "a.png"), 4, 4, 1, 2, 3);
        WritePng(Path.Combine(folder.Path, decomposed, "b.png"), 4, 4, 1, 2, 3);

        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path, size: 4));

        Assert.Contains("differ only in their Unicode normalisation", e.Message);
        Assert.Contains(Path.Combine(folder.Path, composed), e.Message);
        Assert.Contains(Path.Combine(folder.Path, decomposed), e.Message);
    }

    [Fact]
    public void AnImageFarTooNarrowIsRefusedBeforeDecodingWithItsNameAndTheBound()
    {
        using var folder = new TemporaryFolder();
        WritePng(Path.Combine(folder.Path, "strips", "one-by-20000.png"), 1, 20000, 9, 9, 9);

        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path, size: 224, channels: 3));

        Assert.Contains("one-by-20000.png", e.Message);
        Assert.Contains("1 × 20,000 pixels, an aspect ratio of 20000:1, more than the 50:1 accepted", e.Message);
    }

    [Fact]
    public void AHeaderDeclaringTooManyPixelsIsRefusedWithoutDecodingThem()
    {
        // A 57-byte PNG whose header declares 20000 × 20000 pixels (400 million) and that holds no pixel data at all:
        // decoding it would need gigabytes; the declared size alone must refuse it.
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "bomb", "huge.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, PngHeaderOnly(20000, 20000));

        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder.Path, size: 32));

        Assert.Contains("huge.png", e.Message);
        Assert.Contains("20,000 × 20,000 = 400,000,000 pixels, more than the 50,000,000 accepted", e.Message);
    }

    /// <summary>PNG signature, an IHDR chunk (8-bit RGB) and IEND, with their CRC-32s computed here.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        var png = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };
        void Chunk(string type, byte[] data)
        {
            png.AddRange(BigEndian((uint)data.Length));
            var typed = System.Text.Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            png.AddRange(typed);
            png.AddRange(BigEndian(Crc32(typed)));
        }
        Chunk("IHDR", BigEndian((uint)width).Concat(BigEndian((uint)height)).Concat(new byte[] { 8, 2, 0, 0, 0 }).ToArray());
        Chunk("IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static byte[] BigEndian(uint value) => new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

    /// <summary>CRC-32 as the PNG specification defines it (polynomial 0xEDB88320, reflected, final xor).</summary>
    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFF;
    }
}
