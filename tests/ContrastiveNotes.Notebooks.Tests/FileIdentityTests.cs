using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>Link resolution and file identity, which the sandbox layout and the output checks rely on.</summary>
public sealed class FileIdentityTests
{
    [Fact]
    public void PathsJustBelowTheRootAndTheRootItselfStayAbsolute()
    {
        Assert.Equal("/", FileIdentity.Resolved("/"));
        Assert.Equal("/proc", FileIdentity.Resolved("/proc"));
        Assert.StartsWith("/", FileIdentity.Resolved("/usr/bin/dotnet"));
    }

    [Fact]
    public void EverySymbolicLinkOnThePathIsResolvedAndLinkedFilesAreTheSameFile()
    {
        using var temp = new TempFolder();
        var real = Directory.CreateDirectory(temp.File("real")).FullName;
        File.WriteAllText(Path.Combine(real, "nb.ipynb"), "{}");
        Directory.CreateSymbolicLink(temp.File("link"), real);

        Assert.Equal(Path.Combine(real, "nb.ipynb"), FileIdentity.Resolved(temp.File("link/nb.ipynb")));
        Assert.Equal(Path.Combine(real, "missing.ipynb"), FileIdentity.Resolved(temp.File("link/missing.ipynb")));
        Assert.True(FileIdentity.Same(temp.File("link/nb.ipynb"), Path.Combine(real, "nb.ipynb")));
        Assert.False(FileIdentity.Same(temp.File("link/missing.ipynb"), Path.Combine(real, "nb.ipynb")));
    }
}
