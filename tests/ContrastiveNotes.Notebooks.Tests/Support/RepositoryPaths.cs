namespace ContrastiveNotes.Notebooks.Tests.Support;

/// <summary>Folders of the repository the tests run in.</summary>
internal static class RepositoryPaths
{
    public static string Root
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ContrastiveNotes.sln")))
                folder = folder.Parent;
            Assert.True(folder is not null, $"no ContrastiveNotes.sln above {AppContext.BaseDirectory}");
            return folder!.FullName;
        }
    }

    public static string Notebooks => Path.Combine(Root, "notebooks");

    /// <summary>The course notebooks' file names, in order, as theory data.</summary>
    public static TheoryData<string> CourseNotebookNames()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Notebooks, "*.ipynb").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>Where screenshots for a person to look at go (CI keeps artifacts/).</summary>
    public static string Screenshots => Directory.CreateDirectory(Path.Combine(Root, "artifacts", "screenshots")).FullName;
}
