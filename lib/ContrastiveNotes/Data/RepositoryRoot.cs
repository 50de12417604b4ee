namespace ContrastiveNotes.Data;

/// <summary>Finds the repository root (the folder holding <c>ContrastiveNotes.sln</c>) to locate <c>data/</c>.</summary>
internal static class RepositoryRoot
{
    public const string SolutionFile = "ContrastiveNotes.sln";

    /// <summary>Walks up from the current directory, then from this assembly's folder; null when neither is inside the repository.</summary>
    public static string? Find()
    {
        foreach (string? start in new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(typeof(RepositoryRoot).Assembly.Location) })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir != null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                    return dir.FullName;
        }
        return null;
    }

    /// <summary><c>&lt;root&gt;/data/&lt;name&gt;</c>, or null outside the repository.</summary>
    public static string? DataFolder(string name) => Find() is { } root ? Path.Combine(root, "data", name) : null;
}
