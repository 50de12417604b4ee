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
}
