using System.Diagnostics;
using ContrastiveNotes.Build;

namespace ContrastiveNotes.Tests.Foundation;

/// <summary>
/// The build-time fix that lets TorchSharp's native library load on libstdc++ without GLIBCXX_3.4.32.
/// Checked against the real libLibTorchSharp.so from the NuGet cache (copied, never edited in place)
/// and against binutils' readelf as an independent reader of the ELF version sections.
/// </summary>
public sealed class ElfVersionPatcherTests : IDisposable
{
    private const string Version = "GLIBCXX_3.4.32";
    private readonly string _folder = Directory.CreateTempSubdirectory("elf-patch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void PatchChangesOnlyTheWeakBitOfTheOneVersionNeed()
    {
        string copy = CopyOfOriginal();
        byte[] before = File.ReadAllBytes(copy);

        Assert.Equal(ElfPatchOutcome.Patched, ElfVersionPatcher.MarkVersionNeedWeak(copy, Version));

        byte[] after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        int offset = Assert.Single(changed);
        Assert.Equal(ElfVersionPatcher.VerFlagWeak, after[offset] ^ before[offset]);

        var needs = ElfVersionPatcher.ReadVersionNeeds(copy);
        Assert.All(needs.Where(n => n.Version != Version), n => Assert.Equal(0, n.Flags & ElfVersionPatcher.VerFlagWeak));
        Assert.Contains(needs, n => n.Version == Version && (n.Flags & ElfVersionPatcher.VerFlagWeak) != 0);
    }

    [Fact]
    public void ReadelfSeesTheRequirementAsWeakAfterThePatchAndOnlyThen()
    {
        string copy = CopyOfOriginal();
        Assert.Equal("none", ReadelfFlagsOf(copy, Version));

        ElfVersionPatcher.MarkVersionNeedWeak(copy, Version);

        Assert.Equal("WEAK", ReadelfFlagsOf(copy, Version));
        Assert.Equal("none", ReadelfFlagsOf(copy, "GLIBCXX_3.4.21"));
    }

    [Fact]
    public void ThePatchedCopyKeepsTheOriginalModificationTimeSoIncrementalBuildsSkipIt()
    {
        string copy = CopyOfOriginal();
        var packaged = new DateTime(2026, 5, 7, 10, 3, 28, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, packaged);

        ElfVersionPatcher.MarkVersionNeedWeak(copy, Version);

        Assert.Equal(packaged, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void TheBuildOutputCopyHasThePackagedSizeAndTime()
    {
        var output = new FileInfo(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));
        var packaged = new FileInfo(OriginalLibrary());
        Assert.Equal(packaged.Length, output.Length);
        Assert.Equal(packaged.LastWriteTimeUtc, output.LastWriteTimeUtc);
    }

    [Fact]
    public void PatchingTwiceIsIdempotent()
    {
        string copy = CopyOfOriginal();
        ElfVersionPatcher.MarkVersionNeedWeak(copy, Version);
        byte[] once = File.ReadAllBytes(copy);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, ElfVersionPatcher.MarkVersionNeedWeak(copy, Version));

        Assert.Equal(once, File.ReadAllBytes(copy));
    }

    [Fact]
    public void AVersionTheLibraryDoesNotNeedLeavesTheFileUntouched()
    {
        string copy = CopyOfOriginal();
        byte[] before = File.ReadAllBytes(copy);

        Assert.Equal(ElfPatchOutcome.NotRequired, ElfVersionPatcher.MarkVersionNeedWeak(copy, "GLIBCXX_9.9.99"));

        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void AHardLinkedCopyIsReplacedNotWrittenThrough()
    {
        string shared = CopyOfOriginal();
        string linked = Path.Combine(_folder, "linked.so");
        Run("ln", shared, linked);
        byte[] sharedBefore = File.ReadAllBytes(shared);

        ElfVersionPatcher.MarkVersionNeedWeak(linked, Version);

        Assert.Equal(sharedBefore, File.ReadAllBytes(shared));
        Assert.Equal("WEAK", ReadelfFlagsOf(linked, Version));
    }

    [Fact]
    public void TheNuGetCacheCopyIsNeverPatchedByTheBuild()
    {
        Assert.Equal("none", ReadelfFlagsOf(OriginalLibrary(), Version));
    }

    [Fact]
    public void TheBuildOutputCopyIsPatchedWhenTheSystemLacksTheVersion()
    {
        string output = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        string? system = ElfVersionPatcher.FindSystemLibstdcxx();
        Assert.NotNull(system);
        bool systemHasIt = ElfVersionPatcher.ReadVersionDefinitions(system!).Contains(Version);
        Assert.Equal(systemHasIt ? "none" : "WEAK", ReadelfFlagsOf(output, Version));
    }

    [Fact]
    public void VersionDefinitionsOfTheSystemLibstdcxxMatchReadelf()
    {
        string system = ElfVersionPatcher.FindSystemLibstdcxx()!;
        var ours = ElfVersionPatcher.ReadVersionDefinitions(system).Where(v => v.StartsWith("GLIBCXX_")).ToHashSet();
        var theirs = Run("readelf", "-V", "-W", system).Split('\n')
            .Where(l => l.Contains("Name: GLIBCXX_") && l.Contains("Index:"))
            .Select(l => l[(l.IndexOf("Name: ") + 6)..].Trim()).ToHashSet();
        Assert.NotEmpty(theirs);
        Assert.Equal(theirs.OrderBy(x => x), ours.OrderBy(x => x));
    }

    [Fact]
    public void ANonElfFileIsRejectedWithAMessageThatSaysWhatWasExpected()
    {
        string text = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(text, "this is not a shared library, it is a note to self that is long enough to parse");

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkVersionNeedWeak(text, Version));

        Assert.Contains("is not an ELF file", error.Message);
        Assert.Contains("7F 45 4C 46", error.Message);
        Assert.Contains(text, error.Message);
        Assert.Equal("this is not a shared library, it is a note to self that is long enough to parse", File.ReadAllText(text));
    }

    [Fact]
    public void ATruncatedElfIsRejectedAsCorrupt()
    {
        string truncated = Path.Combine(_folder, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(OriginalLibrary()).Take(4096).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.MarkVersionNeedWeak(truncated, Version));

        Assert.Contains("truncated or corrupt", error.Message);
    }

    [Fact]
    public void AMissingFileIsReportedByName()
    {
        string missing = Path.Combine(_folder, "missing.so");
        var error = Assert.Throws<FileNotFoundException>(() => ElfVersionPatcher.MarkVersionNeedWeak(missing, Version));
        Assert.Contains(missing, error.Message);
    }

    private string CopyOfOriginal()
    {
        string copy = Path.Combine(_folder, $"libLibTorchSharp-{Guid.NewGuid():N}.so");
        File.Copy(OriginalLibrary(), copy);
        return copy;
    }

    /// <summary>The unpatched library as TorchSharp ships it, in the NuGet package folder.</summary>
    private static string OriginalLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"expected TorchSharp's native library in the NuGet package folder at {path}; run 'dotnet restore' first");
        return path;
    }

    /// <summary>The "Flags:" readelf prints for the Vernaux entry named <paramref name="version"/>.</summary>
    private static string ReadelfFlagsOf(string library, string version)
    {
        string line = Run("readelf", "-V", "-W", library).Split('\n')
            .Single(l => l.Contains("Name: " + version + " ") || l.TrimEnd().EndsWith("Name: " + version));
        int start = line.IndexOf("Flags: ") + "Flags: ".Length;
        return line[start..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    }

    private static string Run(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }
}
