using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

public sealed class ModelWeightsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrastive-weights-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void RoundTripGivesIdenticalOutputs()
    {
        var trained = new SmallConvNet(1, featureDim: 8, width: 4);
        trained.train();
        trained.call(torch.rand(4, 1, 28, 28)); // non-default BN running statistics
        trained.eval();
        var images = torch.rand(3, 1, 28, 28, generator: new torch.Generator(5));
        var expected = trained.call(images).data<float>().ToArray();
        string path = Path.Combine(folder, "nested", "encoder.bin");

        ModelWeights.Save(trained, path);
        var restored = new SmallConvNet(1, featureDim: 8, width: 4);
        ModelWeights.Load(restored, path);
        restored.eval();

        Assert.Equal(expected, restored.call(images).data<float>().ToArray());
        Assert.Equal(new[] { "encoder.bin", "encoder.bin.sha256" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void LoadingIntoAnotherArchitectureNamesTheMismatch()
    {
        string path = Path.Combine(folder, "encoder.bin");
        ModelWeights.Save(new SmallConvNet(1, featureDim: 8, width: 4), path);

        var error = Assert.Throws<ArgumentException>(() => ModelWeights.Load(new SmallConvNet(3, featureDim: 8, width: 4), path));

        Assert.Contains("'body.block1.conv.weight' is [4, 3, 3, 3] Float32 in the model but [4, 1, 3, 3] Float32 in the weights", error.Message);
        var missing = Assert.Throws<ArgumentException>(() => ModelWeights.Load(ResNet.ResNet18(1), path));
        Assert.Contains("'layer1.0.conv1.weight' [64, 64, 3, 3] Float32 is in the model but not in the weights", missing.Message);
    }

    [Fact]
    public void MissingAndCorruptFilesAreExplained()
    {
        string missing = Path.Combine(folder, "nope.bin");
        Assert.Contains("No weights file", Assert.Throws<FileNotFoundException>(() => ModelWeights.Load(new SmallConvNet(), missing)).Message);

        string corrupt = Path.Combine(folder, "corrupt.bin");
        ModelWeights.Save(new SmallConvNet(1, featureDim: 8, width: 4), corrupt);
        var bytes = File.ReadAllBytes(corrupt);
        File.WriteAllBytes(corrupt, bytes[..(bytes.Length / 2)]);
        Assert.Contains("not a readable TorchSharp weights file",
            Assert.Throws<InvalidDataException>(() => ModelWeights.Load(new SmallConvNet(1, featureDim: 8, width: 4), corrupt)).Message);
    }

    [Fact]
    public void FlippedBytesOrAMissingChecksumFileAreRefusedBeforeAnythingIsLoaded()
    {
        string path = Path.Combine(folder, "flipped.bin");
        ModelWeights.Save(new SmallConvNet(1, featureDim: 8, width: 4), path);
        Assert.Equal($"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant()}  flipped.bin",
            File.ReadAllText(path + ".sha256").Trim());
        var good = File.ReadAllBytes(path);
        var target = new SmallConvNet(1, featureDim: 8, width: 4);
        var before = target.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        var lastByte = (byte[])good.Clone();
        lastByte[^1] ^= 0x3C; // inside the last tensor's data: the file still parses, only the checksum can tell
        File.WriteAllBytes(path, lastByte);
        Assert.Contains("is corrupt: its SHA-256 is", Assert.Throws<InvalidDataException>(() => ModelWeights.Load(target, path)).Message);
        var spread = (byte[])good.Clone();
        for (int i = 0; i < 64; i++) spread[40 + i * (good.Length - 80) / 64] ^= 0x5A; // headers too: refused, never a native error
        File.WriteAllBytes(path, spread);
        Assert.Throws<InvalidDataException>(() => ModelWeights.Load(target, path));
        Assert.Equal(before, target.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());

        File.WriteAllBytes(path, good);
        File.Delete(path + ".sha256");
        Assert.Contains("has no checksum file", Assert.Throws<InvalidDataException>(() => ModelWeights.Load(target, path)).Message);
    }

    [Fact]
    public void ATrainingCheckpointLoadedAsWeightsIsRefusedWithAMessageNotANativeError()
    {
        string path = Path.Combine(folder, "run.ckpt");
        var method = ContrastiveNotes.Tests.Training.TrainingTestKit.Method("SimCLR", 1);
        using (var trainer = new ContrastiveNotes.Training.Trainer(method, new ContrastiveNotes.Training.TrainingOptions { Epochs = 1, CheckpointPath = path }))
        {
            var (images, labels) = ContrastiveNotes.Tests.Training.TrainingTestKit.Quadrants(8, seed: 1);
            trainer.Fit(images, labels, batchSize: 4);
        }
        File.WriteAllText(path + ".sha256", $"{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant()}  run.ckpt\n");

        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(ContrastiveNotes.Tests.Training.TrainingTestKit.Encoder(), path));

        Assert.Contains("run.ckpt", e.Message);
    }

    [Fact]
    public void ASaveInterruptedBetweenItsRenamesLeavesAChecksumFileThatListsBothVersions()
    {
        string path = Path.Combine(folder, "replaced.bin");
        var oldModel = new SmallConvNet(1, featureDim: 8, width: 4);
        ModelWeights.Save(oldModel, path);
        string oldHash = File.ReadAllText(path + ".sha256").Split(' ')[0];
        var newModel = new SmallConvNet(1, featureDim: 8, width: 4);
        string newFile = Path.Combine(folder, "new.bin");
        ModelWeights.Save(newModel, newFile);
        string newHash = File.ReadAllText(newFile + ".sha256").Split(' ')[0];
        Assert.NotEqual(oldHash, newHash);

        // The state a save of newModel over replaced.bin is in between its two renames: the checksum file lists
        // the old and the new hash; either weights file verifies against it, any other does not.
        File.WriteAllText(path + ".sha256", $"{oldHash}  replaced.bin\n{newHash}  replaced.bin\n");
        var target = new SmallConvNet(1, featureDim: 8, width: 4);
        ModelWeights.Load(target, path);
        File.Copy(newFile, path, overwrite: true);
        ModelWeights.Load(target, path);
        Assert.Equal(newModel.parameters().SelectMany(p => p.data<float>().ToArray()), target.parameters().SelectMany(p => p.data<float>().ToArray()));
        File.WriteAllText(path + ".sha256", $"{oldHash}  replaced.bin\n");
        var e = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(target, path));
        Assert.Contains($"says {oldHash}", e.Message);

        // A whole save ends with only the new hash listed.
        ModelWeights.Save(newModel, path);
        Assert.Equal($"{newHash}  replaced.bin\n", File.ReadAllText(path + ".sha256"));
    }

    [Theory]
    [InlineData(6, new long[] { 1L << 20, 1L << 20 }, "dimension 1048576")]                    // float32 [2^20, 2^20]
    [InlineData(6, new long[] { 60, 60, 60 }, "needs 864000 bytes of data")]                 // each dimension plausible, the whole not
    [InlineData(6, new long[] { 3, -1 }, "dimension -1")]                                      // a negative dimension
    [InlineData(99, new long[] { 2 }, "unknown element type 99")]
    [InlineData(6, new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, "rank 17")]
    public void AHostileTensorHeaderIsRefusedBeforeLibtorchAllocatesAnything(int dtype, long[] shape, string expected)
    {
        string path = Path.Combine(folder, "hostile.bin");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            void Encode(long value)
            {
                var v = (ulong)value;
                do { byte b = (byte)(v & 0x7f); v >>= 7; writer.Write(v != 0 ? (byte)(b | 0x80) : b); } while (v != 0);
            }
            Encode(1);                   // one entry
            writer.Write("weight");
            Encode(dtype);
            Encode(shape.Length);
            foreach (var d in shape) Encode(d);
            writer.Write(new byte[64]);  // a little data
        }

        var error = Assert.Throws<InvalidDataException>(() => ModelWeights.Load(new SmallConvNet(1, featureDim: 8, width: 4), path));

        Assert.Contains("not a readable TorchSharp weights file", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
