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
        Assert.Equal(new[] { "encoder.bin" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
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
}
