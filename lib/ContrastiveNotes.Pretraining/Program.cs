using System.Diagnostics;
using System.Globalization;
using ContrastiveNotes.Data;
using ContrastiveNotes.Evaluation;
using ContrastiveNotes.IO;
using ContrastiveNotes.Models;
using ContrastiveNotes.Pretraining;
using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

// contrastive-pretrain: train | baselines | readme (data/pretrained/README.md).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
torch.set_num_threads(Environment.ProcessorCount);
string root = RepositoryRoot.Find() ?? throw new DirectoryNotFoundException(
    "Run contrastive-pretrain inside the course repository (a folder holding ContrastiveNotes.sln).");
string folder = Path.Combine(root, "data", "pretrained");
string manifestPath = Path.Combine(folder, PretrainedEncoders.ManifestFileName);
try
{
    switch (args.FirstOrDefault())
    {
        case "train":
            Commands.Train(args, root, folder, manifestPath);
            return 0;
        case "baselines":
            Commands.Baselines(manifestPath);
            return 0;
        case "readme":
            ReadmeTables.Update(Path.Combine(root, "README.md"), PretrainedManifest.Read(manifestPath));
            Console.WriteLine("README.md: results table rewritten from data/pretrained/manifest.json.");
            return 0;
        default:
            Console.Error.WriteLine("usage: contrastive-pretrain train <simclr|moco|supcon|supervised> --epochs N | baselines | readme");
            return 2;
    }
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"contrastive-pretrain: {e.Message}");
    return 1;
}

/// <summary>The three commands.</summary>
internal static class Commands
{
    public static void Train(string[] args, string root, string folder, string manifestPath)
    {
        string name = args.Length > 1 ? args[1] : throw new ArgumentException("Name the recipe: train <simclr|moco|supcon|supervised> --epochs N.");
        var recipe = Recipe.Named(name);
        int epochs = IntOption(args, "--epochs") ?? throw new ArgumentException("Give the number of epochs: --epochs N.");
        string work = Path.Combine(root, "artifacts", "pretraining");
        Directory.CreateDirectory(work);
        Directory.CreateDirectory(folder);
        using var train = FashionMnist.Load(train: true);
        using var test = FashionMnist.Load(train: false);

        torch.manual_seed(0);
        var (method, encoder) = recipe.CreateMethod();
        string checkpoint = Path.Combine(work, $"{name}.ckpt");
        var wall = new WallClock(Path.Combine(work, $"{name}.seconds"));
        using (var trainer = new Trainer(method, recipe.Options(epochs, checkpoint, seed: 0)))
        {
            if (File.Exists(checkpoint))
            {
                trainer.Resume();
                Console.WriteLine($"Resumed {name} at step {trainer.GlobalStep} ({trainer.CompletedEpochs} epochs done).");
            }
            else wall.Reset();
            var session = Stopwatch.StartNew();
            trainer.Fit(train, recipe.BatchSize, new ConsoleProgress(), epochMetrics: _ =>
            {
                wall.Add(session.Elapsed.TotalSeconds);
                session.Restart();
                return new Dictionary<string, double>();
            });
        }
        string weights = Path.Combine(folder, $"{name}.bin");
        ModelWeights.Save(encoder, weights);
        var results = Evaluate(recipe.Method, encoder, train, test);
        var entry = new PretrainedEncoderEntry(name, recipe.Method, $"{name}.bin", Checksums.Sha256OfFile(weights),
            $"SmallConvNet(1, {recipe.FeatureDim}, {recipe.Width})", 1, recipe.FeatureDim, recipe.Width, recipe.Describe(), epochs,
            train.Count, Math.Round(wall.Total), $"{Environment.ProcessorCount} CPU cores, bfloat16", Repository.Commit(root),
            $"dotnet run --project lib/ContrastiveNotes.Pretraining -c Release -- train {name} --epochs {epochs}", results);
        PretrainedManifest.Read(manifestPath, missingIsEmpty: true).With(entry).Write(manifestPath);
        Console.WriteLine($"Wrote {weights} and its entry in {manifestPath}.");
    }

    public static void Baselines(string manifestPath)
    {
        using var train = FashionMnist.Load(train: true);
        using var test = FashionMnist.Load(train: false);
        var pixels = StandardProtocol.Evaluate("raw pixels", Pixels(train), train.Labels, Pixels(test), test.Labels, Console.WriteLine);
        torch.manual_seed(0);
        var random = Evaluate("random SmallConvNet(1, 128, 32)", new SmallConvNet(1, 128, 32), train, test);
        var manifest = PretrainedManifest.Read(manifestPath, missingIsEmpty: true) with { Baselines = new[] { pixels, random } };
        manifest.Write(manifestPath);
    }

    private static StandardProtocolResult Evaluate(string name, nn.Module<Tensor, Tensor> encoder, ImageDataset train, ImageDataset test)
    {
        using var scope = NewDisposeScope();
        var trainFeatures = FeatureExtractor.Extract(encoder, train.Images, CPU);
        var testFeatures = FeatureExtractor.Extract(encoder, test.Images, CPU);
        return StandardProtocol.Evaluate(name, trainFeatures, train.Labels, testFeatures, test.Labels, Console.WriteLine);
    }

    private static Tensor Pixels(ImageDataset data) => data.Images.flatten(1).to_type(ScalarType.Float32).div(255);

    private static int? IntOption(string[] args, string option)
    {
        int i = Array.IndexOf(args, option);
        if (i < 0) return null;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out int value) || value < 1)
            throw new ArgumentException($"{option} needs a positive whole number, e.g. {option} 20.");
        return value;
    }
}
