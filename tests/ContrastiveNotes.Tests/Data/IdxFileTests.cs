using System.IO.Compression;
using System.Buffers.Binary;
using ContrastiveNotes.Data;
using TorchSharp;

namespace ContrastiveNotes.Tests.Data;

public class IdxFileTests
{
    private static byte Pixel(int n, int r, int c) => (byte)((n * 31 + r * 7 + c * 3) % 256);

    [Fact]
    public void ReadsGzippedAndPlainImagesAndLabelsWithTheirValues()
    {
        using var folder = new TemporaryFolder();
        IdxWriter.WriteGz(folder.File("images.gz"), IdxWriter.Images(3, 4, 5, Pixel));
        File.WriteAllBytes(folder.File("labels"), IdxWriter.Labels(new byte[] { 9, 0, 4 }));

        using var images = IdxFile.ReadImages(folder.File("images.gz"));
        using var labels = IdxFile.ReadLabels(folder.File("labels"));

        Assert.Equal(new long[] { 3, 1, 4, 5 }, images.shape);
        Assert.Equal(torch.ScalarType.Byte, images.dtype);
        Assert.Equal(torch.ScalarType.Int64, labels.dtype);
        Assert.Equal(new long[] { 9, 0, 4 }, labels.data<long>().ToArray());
        for (int n = 0; n < 3; n++)
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 5; c++)
                    Assert.Equal(Pixel(n, r, c), images[n, 0, r, c].item<byte>());
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        using var folder = new TemporaryFolder();
        var e = Assert.Throws<FileNotFoundException>(() => IdxFile.ReadImages(folder.File("nope.gz")));
        Assert.Contains("nope.gz", e.Message);
    }

    [Fact]
    public void WrongMagicNumberSaysWhatWasExpectedAndFound()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("labels"), IdxWriter.Labels(new byte[20]));
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(folder.File("labels")));
        Assert.Contains(folder.File("labels"), e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains("0x00000801", e.Message);
    }

    [Fact]
    public void TruncatedFileSaysHowManyBytesWereExpectedAndFound()
    {
        using var folder = new TemporaryFolder();
        var bytes = IdxWriter.Images(2, 3, 3, Pixel);
        File.WriteAllBytes(folder.File("images"), bytes[..^5]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(folder.File("images")));
        Assert.Contains(folder.File("images"), e.Message);
        Assert.Contains($"{16 + 2 * 9} bytes", e.Message);
        Assert.Contains($"{bytes.Length - 5} bytes", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TruncatedHeaderIsReported()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("labels"), new byte[] { 0, 0, 8 });
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(folder.File("labels")));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void TruncatedGzipIsReportedWithThePath()
    {
        using var folder = new TemporaryFolder();
        IdxWriter.WriteGz(folder.File("full.gz"), IdxWriter.Images(20, 8, 8, Pixel));
        var gz = File.ReadAllBytes(folder.File("full.gz"));
        File.WriteAllBytes(folder.File("cut.gz"), gz[..(gz.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(folder.File("cut.gz")));
        Assert.Contains("cut.gz", e.Message);
    }

    [Fact]
    public void AGzipThatInflatesBeyondItsHeaderIsRefusedWithoutInflatingIt()
    {
        // The header declares 2 images of 3x3 pixels (34 bytes); the file inflates to 64 MiB of zeros after it.
        using var folder = new TemporaryFolder();
        var header = IdxWriter.Images(2, 3, 3, Pixel);
        using (var file = File.Create(folder.File("bomb.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(header);
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) gzip.Write(zeros);
        }
        Assert.True(new FileInfo(folder.File("bomb.gz")).Length < 200_000, "the test file should be small");

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(folder.File("bomb.gz")));

        Assert.Contains("bomb.gz", e.Message);
        Assert.Contains("more than its IDX header declares (34 bytes): it inflates beyond that", e.Message);
    }

    [Theory]
    [InlineData(2, 0, 3, "0 as its rows")]
    [InlineData(2, 3, -4, "-4 as its columns")]
    [InlineData(0, 3, 3, "0 as its image count")]
    [InlineData(100_000, 100_000, 100_000, "declares 100,000 images of 100,000x100,000 pixels")]
    public void ImpossibleDimensionsAreRefusedBeforeAnythingIsAllocated(int count, int rows, int columns, string expected)
    {
        using var folder = new TemporaryFolder();
        var header = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(header, IdxFile.ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(12), columns);
        File.WriteAllBytes(folder.File("images"), header);

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(folder.File("images")));

        Assert.Contains(folder.File("images"), e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AFileLongerThanItsHeaderDeclaresIsRefused()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("labels"), IdxWriter.Labels(new byte[] { 1, 2, 3 }).Concat(new byte[] { 9, 9 }).ToArray());

        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadLabels(folder.File("labels")));

        Assert.Contains("more than its IDX header declares (11 bytes)", e.Message);
    }
}
