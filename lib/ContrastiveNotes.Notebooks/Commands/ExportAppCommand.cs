using ContrastiveNotes.IO;
using System.CommandLine;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Export;
using ContrastiveNotes.Notebooks.Parameters;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary><c>export-app &lt;notebook|folder&gt;... --output &lt;folder&gt; [--profile NAME] [--set name=value]</c>.</summary>
internal static class ExportAppCommand
{
    public static Command Create()
    {
        var inputs = CommandOptions.Inputs("Notebooks to export");
        var output = CommandOptions.Output("artifacts/apps");
        var profile = CommandOptions.Profile("to write into the app's parameters (default: the notebook's own defaults)");
        var sets = CommandOptions.Sets();
        var command = new Command("export-app", "Write each notebook as a C# file-based app (dotnet run x.cs): markdown as comments, cells in order, the library referenced, charts and images written as files.")
        {
            inputs, output, profile, sets,
        };
        command.SetAction(parse =>
        {
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            var library = FindLibraryProject();
            var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(library)!, "..", ".."));
            if (Path.GetRelativePath(repository, folder).StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(Path.GetRelativePath(repository, folder)))
            {
                // The repository's Directory.Build.props/.targets pick the machine's TorchSharp native library and make it
                // loadable on Debian 12 / Ubuntu 22.04; an app outside the tree would build without them.
                Console.Error.WriteLine($"export-app writes apps inside the repository ({repository}), where its build settings apply to them; {folder} is outside. Choose e.g. --output artifacts/apps.");
                return 2;
            }

            var exporter = new AppExporter();
            foreach (var path in NotebookFiles.Expand(parse.GetValue(inputs)!))
            {
                var document = NotebookReader.Read(path);
                ParameterInjector.ApplyToParametersCell(document, ParameterInjector.Collect(document, parse.GetValue(profile), parse.GetValue(sets) ?? []));
                var target = Path.Combine(folder, document.Name + ".cs");
                var text = exporter.Export(document, Path.GetRelativePath(folder, library), Path.GetRelativePath(folder, Path.GetDirectoryName(document.Path!)!), parse.GetValue(profile));
                AtomicFile.WriteAllText(target, text);
                Console.WriteLine($"[{document.Name}] app -> {target}  (run: dotnet run {Path.GetRelativePath(Directory.GetCurrentDirectory(), target)})");
            }

            return 0;
        });
        return command;
    }

    /// <summary>lib/ContrastiveNotes/ContrastiveNotes.csproj of the repository this tool was built in.</summary>
    private static string FindLibraryProject()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var project = Path.Combine(folder.FullName, "lib", "ContrastiveNotes", "ContrastiveNotes.csproj");
            if (File.Exists(project)) return project;
        }

        throw new FileNotFoundException($"No lib/ContrastiveNotes/ContrastiveNotes.csproj above {AppContext.BaseDirectory}: export-app references the course library's project, so run the tool from its repository checkout.");
    }
}
