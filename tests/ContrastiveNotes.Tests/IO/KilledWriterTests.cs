using System.Diagnostics;
using ContrastiveNotes.Models;
using ContrastiveNotes.Training;
using ContrastiveNotes.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.IO;

/// <summary>
/// A child process saves weights and a training checkpoint over and over and is killed (SIGKILL, no cleanup) at
/// random moments: after every kill the files on disk are whole and verify (the weights are one of the two versions
/// the child alternates between, the checkpoint resumes), and the next save removes the temporaries the kills left.
/// </summary>
public class KilledWriterTests
{
    /// <summary>The command that makes the test assembly the child (see <see cref="Program"/>).</summary>
    public const string Command = "save-weights-and-checkpoints-forever";

    private const string WeightsFile = "encoder.bin";
    private const string CheckpointFile = "run.ckpt";
    private const int MaxRounds = 40;
    private const int WantedInterruptedSaves = 3;

    [Fact]
    public void EveryKillLeavesWholeFilesThatVerifyAndTheNextSaveRemovesItsTemporaries()
    {
        string folder = TrainingTestKit.TempFolder();
        var random = new Random(20261202);
        int rounds = 0, interrupted = 0;
        while (rounds < MaxRounds && interrupted < WantedInterruptedSaves)
        {
            rounds++;
            KillChildDuringSaves(folder, TimeSpan.FromMilliseconds(random.Next(0, 120)));
            if (Directory.GetFiles(folder, "*.tmp").Length > 0) interrupted++;

            var loaded = Encoder(seed: 99);
            ModelWeights.Load(loaded, Path.Combine(folder, WeightsFile));
            var weights = Parameters(loaded);
            Assert.True(weights.SequenceEqual(Parameters(Encoder(1))) || weights.SequenceEqual(Parameters(Encoder(2))),
                $"round {rounds}: the weights on disk are neither of the two versions the child saved");
            using var resumed = new Trainer(Method(), Options(folder));
            resumed.Resume(); // throws if the checkpoint is torn or does not verify
        }

        Assert.True(interrupted >= 1, $"none of {rounds} kills landed during a save; the test proved nothing");
        ModelWeights.Save(Encoder(1), Path.Combine(folder, WeightsFile));
        using (var trainer = new Trainer(Method(), Options(folder)))
        {
            trainer.Resume();
            trainer.SaveCheckpoint(Path.Combine(folder, CheckpointFile));
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        Assert.Equal([WeightsFile, WeightsFile + ".sha256", CheckpointFile], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>The child: one short run, then saves the two encoder versions and the checkpoint in turn until killed.</summary>
    public static int SaveForever(string folder)
    {
        using var trainer = new Trainer(Method(), Options(folder));
        var (images, labels) = TrainingTestKit.Quadrants(16, seed: 3);
        trainer.Fit(images, labels, batchSize: 8);
        var versions = new[] { Encoder(1), Encoder(2) };
        ModelWeights.Save(versions[0], Path.Combine(folder, WeightsFile));
        Console.WriteLine("ready");
        for (long i = 0; ; i++)
        {
            ModelWeights.Save(versions[i % 2], Path.Combine(folder, WeightsFile));
            trainer.SaveCheckpoint(Path.Combine(folder, CheckpointFile));
        }
    }

    private static void KillChildDuringSaves(string folder, TimeSpan afterReady)
    {
        // The dotnet host that runs the tests (the SDK sets DOTNET_HOST_PATH), with this assembly as the program.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(KilledWriterTests).Assembly.Location);
        start.ArgumentList.Add(Command);
        start.ArgumentList.Add(folder);
        using var child = Process.Start(start)!;
        try
        {
            var line = child.StandardOutput.ReadLine();
            Assert.True(line == "ready", $"the child did not start saving (it printed '{line}', exit code {(child.HasExited ? child.ExitCode : 0)})");
            Thread.Sleep(afterReady);
        }
        finally
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }
    }

    /// <summary>An encoder big enough (about 0.5 MB) that a save takes long enough to be interrupted.</summary>
    private static nn.Module<Tensor, Tensor> Encoder(long seed) => TrainingTestKit.Initialize(
        nn.Sequential(nn.Flatten(), nn.Linear(TrainingTestKit.Size * TrainingTestKit.Size, 2048), nn.ReLU(), nn.Linear(2048, 16)), seed);

    private static ITrainingMethod Method() =>
        new SimClrMethod(Encoder(5), TrainingTestKit.Initialize(TrainingTestKit.Head(), 6), TrainingTestKit.Augment, new TrainingTestKit.ReferenceNtXent());

    private static TrainingOptions Options(string folder) => new()
    {
        Epochs = 1, Seed = 7, CheckpointPath = Path.Combine(folder, CheckpointFile), ProgressEverySteps = 1000,
    };

    private static float[] Parameters(nn.Module module) =>
        module.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray();
}
