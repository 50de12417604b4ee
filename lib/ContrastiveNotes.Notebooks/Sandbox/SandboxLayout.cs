using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// What a sandboxed kernel sees of the file system. Read-only: the system folders (<c>/usr</c>, <c>/etc</c>, the
/// .NET installation), the course's <c>lib</c> and <c>data</c> folders and the tool itself. Writable and empty
/// at the start: a scratch folder mounted where the course's <c>notebooks</c> folder is (the working directory and
/// home, so the notebooks' relative paths <c>../lib</c>, <c>../data</c> resolve as in the course) and one mounted
/// at <c>artifacts</c>. Nothing else exists inside: not the repository's other folders (its notebooks are keys, its
/// <c>.git</c> holds them too), not the key, the other submissions or the grader's output.
/// </summary>
public sealed class SandboxLayout
{
    private SandboxLayout(string courseRoot, string toolDirectory, string dotnetRoot, IReadOnlyList<string> readOnly)
    {
        CourseRoot = courseRoot;
        ToolDirectory = toolDirectory;
        DotnetRoot = dotnetRoot;
        ReadOnlyFolders = readOnly;
    }

    /// <summary>The course repository (holds <c>lib</c>, <c>data</c>, <c>notebooks</c>).</summary>
    public string CourseRoot { get; }

    /// <summary>The folder of the tool's assemblies (the worker runs from there).</summary>
    public string ToolDirectory { get; }

    /// <summary>The .NET installation the worker runs on.</summary>
    public string DotnetRoot { get; }

    /// <summary>Host folders mounted read-only at the same path.</summary>
    public IReadOnlyList<string> ReadOnlyFolders { get; }

    /// <summary>Where the scratch working folder appears inside: the course's notebooks folder.</summary>
    public string WorkingDirectory => Path.Combine(CourseRoot, "notebooks");

    /// <summary>Where the scratch artifacts folder appears inside.</summary>
    public string ArtifactsDirectory => Path.Combine(CourseRoot, "artifacts");

    /// <summary>
    /// The layout for the course at <paramref name="courseRoot"/>; <paramref name="extraReadOnly"/> are further host
    /// folders to show read-only (e.g. a dataset folder named by FASHION_MNIST_DIR).
    /// </summary>
    public static SandboxLayout For(string courseRoot, IEnumerable<string>? extraReadOnly = null)
    {
        var root = Path.GetFullPath(courseRoot).TrimEnd('/');
        if (!Directory.Exists(Path.Combine(root, "lib")))
        {
            throw new SandboxException($"The course root '{root}' has no lib folder: pass the repository that holds lib/, data/ and notebooks/ with --course-root.");
        }

        var tool = Path.GetFullPath(AppContext.BaseDirectory).TrimEnd('/');
        var dotnet = Path.GetDirectoryName(FileIdentity.Resolved(Environment.ProcessPath ?? "/usr/bin/dotnet"))!;
        var folders = new List<string> { "/usr", "/etc", Path.Combine(root, "lib"), tool, dotnet };
        if (Directory.Exists(Path.Combine(root, "data")))
        {
            folders.Add(Path.Combine(root, "data"));
        }

        folders.AddRange((extraReadOnly ?? []).Where(Directory.Exists).Select(Path.GetFullPath));
        var outermost = folders.Distinct(StringComparer.Ordinal)
            .Where(f => !folders.Any(o => o != f && IsInside(f, o)))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        return new SandboxLayout(root, tool, dotnet, outermost);
    }

    /// <summary>The course repository this tool was built in: the nearest folder above the tool holding <c>lib/ContrastiveNotes</c>.</summary>
    /// <exception cref="SandboxException">The tool does not live in a course repository.</exception>
    public static string DefaultCourseRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (Directory.Exists(Path.Combine(folder.FullName, "lib", "ContrastiveNotes")))
            {
                return folder.FullName;
            }
        }

        throw new SandboxException($"The tool at {AppContext.BaseDirectory} is not inside a course repository: pass the folder holding lib/, data/ and notebooks/ with --course-root.");
    }

    /// <summary>
    /// Throws when <paramref name="path"/> (the key, a submission, the output folder) would be visible inside the
    /// sandbox, so that a submission could read or rewrite it.
    /// </summary>
    public void EnsureHidden(string path, string what)
    {
        var full = FileIdentity.Resolved(path);
        if (ReadOnlyFolders.FirstOrDefault(f => IsInside(full, f)) is { } shown)
        {
            throw new SandboxException($"The {what} '{full}' is inside '{shown}', which the sandbox shows to every submission: move it elsewhere (e.g. into the course's notebooks folder or outside the course).");
        }
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    public static bool IsInside(string path, string folder) =>
        path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);
}
