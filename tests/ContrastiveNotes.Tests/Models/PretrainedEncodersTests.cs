using System.Security.Cryptography;
using ContrastiveNotes.Evaluation;
using ContrastiveNotes.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Models;

public sealed class PretrainedEncodersTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrastive-pretrained-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly StandardProtocolResult SomeResults = new("SimCLR", 60000, 10000, 0.86, 0.89, 1e-3,
        new[] { new SubsetAccuracies(100, new[] { 0.83, 0.84 }), new SubsetAccuracies(10, new[] { 0.75, 0.76 }) });

    private PretrainedEncoderEntry WriteEncoder(string name, SmallConvNet encoder)
    {
        string path = Path.Combine(folder, $"{name}.bin");
        ModelWeights.Save(encoder, path);
        string sha = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();
        var entry = new PretrainedEncoderEntry(name, "SimCLR", $"{name}.bin", sha, "SmallConvNet(1, 8, 4)", 1, 8, 4,
            new Dictionary<string, string> { ["batchSize"] = "256" }, 20, 60000, 1234, "2 CPU cores, bfloat16", "abc", "train", SomeResults);
        var manifestPath = Path.Combine(folder, PretrainedEncoders.ManifestFileName);
        PretrainedManifest.Read(manifestPath, missingIsEmpty: true).With(entry).Write(manifestPath);
        return entry;
    }

    [Fact]
    public void ALoadedEncoderComputesWhatTheSavedOneComputedInEvalMode()
    {
        var saved = new SmallConvNet(1, featureDim: 8, width: 4);
        saved.train();
        saved.call(rand(6, 1, 28, 28));
        saved.eval();
        var images = rand(3, 1, 28, 28, generator: new Generator(9));
        var expected = saved.call(images).data<float>().ToArray();
        WriteEncoder("simclr", saved);

        var loaded = PretrainedEncoders.Load("simclr", folder);

        Assert.False(loaded.training);
        Assert.Equal(expected, loaded.call(images).data<float>().ToArray());
    }

    [Fact]
    public void TheManifestRoundTripsAndAnEntryOfTheSameNameReplacesTheOldOne()
    {
        WriteEncoder("simclr", new SmallConvNet(1, 8, 4));
        WriteEncoder("moco", new SmallConvNet(1, 8, 4));
        var replaced = WriteEncoder("simclr", new SmallConvNet(1, 8, 4));

        var manifest = PretrainedEncoders.Manifest(folder);

        Assert.Equal(new[] { "simclr", "moco" }, manifest.Encoders.Select(e => e.Name));
        var read = manifest.Find("simclr")!;
        Assert.Equal(replaced.Sha256, read.Sha256);
        Assert.Equal(0.75, read.Results.PerClass(10).Accuracies[0]);
        Assert.Equal("256", read.Recipe["batchSize"]);
    }

    [Fact]
    public void AnAlteredWeightsFileIsRefusedBeforeItIsReadWithWhatToDo()
    {
        var entry = WriteEncoder("simclr", new SmallConvNet(1, 8, 4));
        string path = Path.Combine(folder, entry.File);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 1;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => PretrainedEncoders.Load("simclr", folder));

        Assert.Contains(entry.Sha256, error.Message);
        Assert.Contains("git checkout -- data/pretrained", error.Message);
    }

    [Fact]
    public void MissingWeightsAnUnknownNameAndABrokenManifestEachSayWhatIsWrong()
    {
        var entry = WriteEncoder("simclr", new SmallConvNet(1, 8, 4));
        Assert.Contains("It has: simclr", Assert.Throws<KeyNotFoundException>(() => PretrainedEncoders.Load("byol", folder)).Message);
        File.Delete(Path.Combine(folder, entry.File));
        Assert.Contains("are missing", Assert.Throws<FileNotFoundException>(() => PretrainedEncoders.Load("simclr", folder)).Message);

        string manifest = Path.Combine(folder, PretrainedEncoders.ManifestFileName);
        File.WriteAllText(manifest, "{ \"format\": 1, \"encoders\": [ {");
        Assert.Contains("not a valid pretrained-encoder manifest", Assert.Throws<InvalidDataException>(() => PretrainedEncoders.Manifest(folder)).Message);
        File.WriteAllText(manifest, "{ \"format\": 7 }");
        Assert.Contains("format 7, but this library reads format 1", Assert.Throws<InvalidDataException>(() => PretrainedEncoders.Manifest(folder)).Message);
        File.Delete(manifest);
        Assert.Contains("No pretrained-encoder manifest", Assert.Throws<FileNotFoundException>(() => PretrainedEncoders.Manifest(folder)).Message);
    }
}
