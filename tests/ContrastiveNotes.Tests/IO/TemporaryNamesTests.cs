using ContrastiveNotes.IO;
using ContrastiveNotes.Models;

namespace ContrastiveNotes.Tests.IO;

/// <summary>Temporaries left by a killed process are recognised and removed by the next run; a live process's are kept.</summary>
public class TemporaryNamesTests
{
    private const string Random = "0123456789abcdef0123456789abcdef";
    private static readonly int DeadPid = int.MaxValue - 11;

    private static string Folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cn-temporaries-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void AbandonedDownloadsAndStagingFoldersAreRemovedAndLiveOnesKept()
    {
        var folder = Folder();
        var deadDownload = Path.Combine(folder, $".download-{DeadPid}.{Random}.gz");
        var deadStaging = Path.Combine(folder, $".extract-{DeadPid}.{Random}");
        var liveDownload = TemporaryNames.New(folder, ".download-", ".gz");
        var userFile = Path.Combine(folder, ".download-notes.gz");
        File.WriteAllText(deadDownload, "partial");
        Directory.CreateDirectory(Path.Combine(deadStaging, "cifar-10-batches-bin"));
        File.WriteAllText(Path.Combine(deadStaging, "cifar-10-batches-bin", "data_batch_1.bin"), "half");
        File.WriteAllText(liveDownload, "in progress");
        File.WriteAllText(userFile, "not ours");

        TemporaryNames.RemoveAbandoned(folder, ".download-", ".gz");
        TemporaryNames.RemoveAbandoned(folder, ".extract-");

        Assert.False(File.Exists(deadDownload));
        Assert.False(Directory.Exists(deadStaging));
        Assert.True(File.Exists(liveDownload), "a running process's temporary was removed");
        Assert.True(File.Exists(userFile), "a file that only looks like a temporary was removed");
    }

    [Fact]
    public void SavingWeightsRemovesTheTemporaryAKilledSaveLeft()
    {
        var folder = Folder();
        var stale = Path.Combine(folder, $".encoder.bin.{DeadPid}.{Random}.tmp");
        File.WriteAllText(stale, "half a file");

        ModelWeights.Save(new SmallConvNet(1, featureDim: 8, width: 4), Path.Combine(folder, "encoder.bin"));

        Assert.Equal(["encoder.bin", "encoder.bin.sha256"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
    }
}
