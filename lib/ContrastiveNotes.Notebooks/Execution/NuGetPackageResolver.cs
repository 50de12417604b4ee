using System.Xml.Linq;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Resolves <c>#r "nuget: Name, Version"</c> against the local NuGet package folder
/// (<c>$NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>) without downloading anything: the best
/// <c>lib/&lt;tfm&gt;</c> assemblies for this runtime, the package's dependencies from its .nuspec,
/// and <c>runtimes/&lt;rid&gt;/native</c> folders for native libraries.
/// </summary>
public sealed class NuGetPackageResolver
{
    private static readonly string[] FrameworkPreference =
    [
        "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netcoreapp3.0",
        "netcoreapp2.2", "netcoreapp2.1", "netcoreapp2.0", "netstandard2.1", "netstandard2.0",
        "netstandard1.6", "netstandard1.5", "netstandard1.4", "netstandard1.3", "netstandard1.2",
        "netstandard1.1", "netstandard1.0",
    ];

    private readonly HashSet<string> _frameworkAssemblies;

    /// <summary>Creates a resolver over a package folder (default: the user's global package folder).</summary>
    public NuGetPackageResolver(string? packageFolder = null)
    {
        PackageFolder = packageFolder ?? DefaultPackageFolder();
        _frameworkAssemblies = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), Path.GetDirectoryName(typeof(object).Assembly.Location), StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The folder searched for packages.</summary>
    public string PackageFolder { get; }

    /// <summary>The global package folder: <c>$NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>.</summary>
    public static string DefaultPackageFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Resolves a package and its dependencies into assembly paths and native library folders.</summary>
    /// <exception cref="NotebookDirectiveException">The package (or that version) is not in the local folder.</exception>
    public ResolvedPackage Resolve(PackageRequest request, int line)
    {
        var assemblies = new List<string>();
        var nativeFolders = new List<string>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var warnings = new List<string>();
        var root = FindPackage(request.Name, request.Version, exact: true)
            ?? throw new NotebookDirectiveException(line, MissingMessage(request));
        Collect(request.Name, root, assemblies, nativeFolders, visited, warnings);
        return new ResolvedPackage(assemblies, nativeFolders, warnings);
    }

    private void Collect(string name, string folder, List<string> assemblies, List<string> natives, HashSet<string> visited, List<string> warnings)
    {
        if (!visited.Add(name))
        {
            return;
        }

        var libFolder = BestFrameworkFolder(Path.Combine(folder, "lib"));
        if (libFolder is not null)
        {
            assemblies.AddRange(Directory.EnumerateFiles(libFolder, "*.dll")
                .Where(p => !_frameworkAssemblies.Contains(Path.GetFileNameWithoutExtension(p))));
        }

        var native = Path.Combine(folder, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native");
        if (Directory.Exists(native))
        {
            natives.Add(native);
        }

        foreach (var (id, minVersion) in Dependencies(folder))
        {
            if (_frameworkAssemblies.Contains(id) || id.Equals("NETStandard.Library", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (FindPackage(id, minVersion, exact: false) is { } dependency)
            {
                Collect(id, dependency, assemblies, natives, visited, warnings);
            }
            else
            {
                warnings.Add($"dependency {id} {minVersion} of {name} is not in {PackageFolder}; continuing without it");
            }
        }
    }

    private string? FindPackage(string name, string? version, bool exact)
    {
        var packageRoot = Path.Combine(PackageFolder, name.ToLowerInvariant());
        if (!Directory.Exists(packageRoot))
        {
            return null;
        }

        var versions = Directory.EnumerateDirectories(packageRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(v => File.Exists(Path.Combine(packageRoot, v, $"{name.ToLowerInvariant()}.nuspec")) || Directory.Exists(Path.Combine(packageRoot, v, "lib")))
            .ToList();
        if (version is not null && versions.Contains(version.ToLowerInvariant()))
        {
            return Path.Combine(packageRoot, version.ToLowerInvariant());
        }

        if (version is not null && exact)
        {
            return null;
        }

        var best = versions.OrderByDescending(ParseVersion).FirstOrDefault();
        return best is null ? null : Path.Combine(packageRoot, best);
    }

    private IEnumerable<(string Id, string? Version)> Dependencies(string folder)
    {
        var nuspec = Directory.EnumerateFiles(folder, "*.nuspec").FirstOrDefault();
        if (nuspec is null)
        {
            return [];
        }

        var document = XDocument.Load(nuspec);
        var groups = document.Descendants().Where(e => e.Name.LocalName == "group").ToList();
        IEnumerable<XElement> dependencies;
        if (groups.Count == 0)
        {
            dependencies = document.Descendants().Where(e => e.Name.LocalName == "dependency");
        }
        else
        {
            var byFramework = groups.ToDictionary(g => NormalizeFramework((string?)g.Attribute("targetFramework")), g => g);
            var chosen = FrameworkPreference.FirstOrDefault(byFramework.ContainsKey);
            dependencies = chosen is null ? [] : byFramework[chosen].Elements().Where(e => e.Name.LocalName == "dependency");
        }

        return dependencies.Select(d => ((string)d.Attribute("id")!, MinimumVersion((string?)d.Attribute("version")))).ToList();
    }

    private static string? BestFrameworkFolder(string lib)
    {
        if (!Directory.Exists(lib))
        {
            return null;
        }

        var present = Directory.EnumerateDirectories(lib).ToDictionary(d => Path.GetFileName(d).ToLowerInvariant(), d => d);
        return FrameworkPreference.Where(present.ContainsKey).Select(f => present[f]).FirstOrDefault();
    }

    private static string NormalizeFramework(string? framework)
    {
        var f = (framework ?? "").ToLowerInvariant();
        if (f.StartsWith(".netstandard", StringComparison.Ordinal))
        {
            return "netstandard" + f[".netstandard".Length..];
        }

        if (f.StartsWith(".netcoreapp", StringComparison.Ordinal))
        {
            var version = f[".netcoreapp".Length..];
            return version.StartsWith('5') || version.StartsWith('6') || version.StartsWith('7') || version.StartsWith('8') || version.StartsWith('9') || version.StartsWith("10")
                ? "net" + version
                : "netcoreapp" + version;
        }

        return f;
    }

    private static string? MinimumVersion(string? range)
    {
        if (string.IsNullOrWhiteSpace(range))
        {
            return null;
        }

        var trimmed = range.Trim('[', '(', ']', ')', ' ');
        var min = trimmed.Split(',')[0].Trim();
        return min.Length == 0 ? null : min;
    }

    private static Version ParseVersion(string text) =>
        Version.TryParse(text.Split('-', '+')[0], out var v) ? v : new Version(0, 0);

    private string MissingMessage(PackageRequest request) =>
        $"NuGet package '{request}' is not in the local package folder {PackageFolder}. The headless runner does not download packages: " +
        $"restore it first (for example add <PackageReference Include=\"{request.Name}\"{(request.Version is null ? "" : $" Version=\"{request.Version}\"")} /> to a project and run 'dotnet restore'), " +
        "or fix the name/version in the #r \"nuget: ...\" line.";
}
