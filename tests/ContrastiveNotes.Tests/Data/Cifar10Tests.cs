using ContrastiveNotes.Data;

namespace ContrastiveNotes.Tests.Data;

public class Cifar10Tests
{
    private static byte Pixel(int n, int channel, int row, int column) => (byte)((n * 13 + channel * 101 + row * 5 + column) % 256);

    /// <summary>Writes a batch in the published layout: label byte, then 1024 R, 1024 G, 1024 B bytes, row by row.</summary>
    internal static byte[] Batch(int offset, params byte[] labels)
    {
        var bytes = new List<byte>();
        for (int n = 0; n < labels.Length; n++)
        {
            bytes.Add(labels[n]);
            for (int channel = 0; channel < 3; channel++)
                for (int row = 0; row < 32; row++)
                    for (int column = 0; column < 32; column++)
                        bytes.Add(Pixel(offset + n, channel, row, column));
        }
        return bytes.ToArray();
    }

    [Fact]
    public void ReadsABatchInChannelRowColumnOrder()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("test_batch.bin"), Batch(0, 3, 7));
        var (images, labels) = Cifar10.ReadBatch(folder.File("test_batch.bin"));
        using (images)
        using (labels)
        {
            Assert.Equal(new long[] { 2, 3, 32, 32 }, images.shape);
            Assert.Equal(new long[] { 3, 7 }, labels.data<long>().ToArray());
            foreach (var (n, c, r, col) in new[] { (0, 0, 0, 0), (1, 2, 31, 31), (1, 1, 5, 17), (0, 2, 10, 3) })
                Assert.Equal(Pixel(n, c, r, col), images[n, c, r, col].item<byte>());
        }
    }

    [Fact]
    public void ABatchCutAtARecordBoundaryIsRefusedWithItsNameAndTheSizeOfAPublishedBatch()
    {
        using var folder = new TemporaryFolder();
        string batches = Directory.CreateDirectory(Path.Combine(folder.Path, Cifar10.BatchFolder)).FullName;
        File.WriteAllBytes(Path.Combine(batches, "test_batch.bin"), new byte[(Cifar10.RecordsPerBatch - 1) * Cifar10.RecordLength]);

        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load(train: false, root: folder.Path));

        Assert.Contains("test_batch.bin' has 30726927 bytes (9999 images)", error.Message);
        Assert.Contains("30730000 bytes (10000 images", error.Message);
    }

    [Fact]
    public void LoadsTrainAndTestSplitsFromTheBatchFolder()
    {
        using var folder = new TemporaryFolder();
        string batches = Directory.CreateDirectory(Path.Combine(folder.Path, Cifar10.BatchFolder)).FullName;
        for (int i = 1; i <= 5; i++) File.WriteAllBytes(Path.Combine(batches, $"data_batch_{i}.bin"), Batch(10 * i, (byte)i, (byte)(i + 4)));
        File.WriteAllBytes(Path.Combine(batches, "test_batch.bin"), Batch(0, 0));

        using var train = Cifar10.Load(train: true, root: folder.Path, allowPartialBatches: true);
        using var test = Cifar10.Load(train: false, root: folder.Path, allowPartialBatches: true);
        Assert.Equal(10, train.Count);
        Assert.Equal(new long[] { 1, 5, 2, 6, 3, 7, 4, 8, 5, 9 }, train.Labels.data<long>().ToArray());
        Assert.Equal(Pixel(50, 1, 2, 3), train.Images[8, 1, 2, 3].item<byte>());
        Assert.Equal(1, test.Count);
        Assert.Equal("truck", test.ClassNames[9]);
    }

    [Fact]
    public void TruncatedBatchSaysWhatLengthWasExpected()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("test_batch.bin"), Batch(0, 1, 2)[..^100]);
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatch(folder.File("test_batch.bin")));
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains("3073", e.Message);
        Assert.Contains($"{2 * 3073 - 100} bytes", e.Message);
    }

    [Fact]
    public void LabelOutsideTheTenClassesIsRejected()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("test_batch.bin"), Batch(0, 1, 12));
        var e = Assert.Throws<InvalidDataException>(() => Cifar10.ReadBatch(folder.File("test_batch.bin")));
        Assert.Contains("label 12", e.Message);
    }

    [Fact]
    public void MissingBatchesListTheFolderAndWhatToDo()
    {
        using var folder = new TemporaryFolder();
        var e = Assert.Throws<FileNotFoundException>(() => Cifar10.Load(train: false, root: folder.Path));
        Assert.Contains(folder.Path, e.Message);
        Assert.Contains("test_batch.bin", e.Message);
        Assert.Contains("download: true", e.Message);
    }
}
