using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Export;
using ContrastiveNotes.Notebooks.Parameters;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// export-app: a notebook as a C# file-based app (markdown as comments, cells in order, usings first, types last,
/// final values displayed, the library as #:project), and notebook 00 exported with its fast profile runs with
/// <c>dotnet run</c>, writing its charts and image grid as files.
/// </summary>
public sealed class AppExportTests
{
    private static NotebookDocument Named(NotebookDocument document, string name)
    {
        document.Path = Path.Combine(Path.GetTempPath(), name + ".ipynb");
        return document;
    }

    private static NotebookDocument Fixture() => Named(NotebookReader.Parse(new Fixture()
        .Markdown("# Title\n\nSome *text*.")
        .Code("#r \"../lib/ContrastiveNotes/bin/Release/net8.0/ContrastiveNotes.dll\"\n#r \"nuget: Humanizer.Core, 2.14.1\"\nusing TorchSharp;\nvar x = 1;")
        .Parameters("var epochs = 100; // how long\nint batch = 8;")
        .Code("record Point(int X, int Y);\nvar p = new Point(x, epochs);\np")
        .Profiles("""{"fast": {"epochs": 2}}""")
        .Build().ToJsonString()), "fixture");

    [Fact]
    public void CellsBecomeTopLevelStatementsWithUsingsFirstTypesLastAndFinalValuesDisplayed()
    {
        var document = Fixture();
        ParameterInjector.ApplyToParametersCell(document, ParameterInjector.Collect(document, "fast", []));

        var app = new AppExporter().Export(document, "../lib/ContrastiveNotes/ContrastiveNotes.csproj", "../notebooks", "fast");
        var lines = app.Split('\n');

        Assert.Contains("#:project ../lib/ContrastiveNotes/ContrastiveNotes.csproj", lines);
        Assert.Contains("#:package Humanizer.Core@2.14.1", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#r", StringComparison.Ordinal));
        Assert.Contains("// # Title", lines);
        Assert.Contains("// Some *text*.", lines);
        Assert.Contains("var epochs = 2; // default: 100 // how long", lines);
        Assert.Single(lines, l => l.Contains(" epochs = ", StringComparison.Ordinal));
        Assert.Contains("display(p);", lines);
        int Index(string line) => Array.IndexOf(lines, line);
        Assert.True(Index("using TorchSharp;") < Index("ContrastiveNotes.Interactive.NotebookApp.Start(\"fixture\", \"../notebooks\");"), "usings come first");
        Assert.True(Index("display(p);") < Index("record Point(int X, int Y);"), "types come after the statements");
        Assert.True(Index("var x = 1;") < Index("var epochs = 2; // default: 100 // how long"), "cells keep their order");
    }

    [Theory]
    [InlineData("#load \"helper.csx\"", "#load")]
    [InlineData("#!fsharp\nlet x = 1", "#!fsharp")]
    [InlineData("#r \"other.dll\"", "other.dll")]
    public void DirectivesAnAppCannotRunAreRefusedWithTheirCellAndLine(string source, string named)
    {
        var document = Named(NotebookReader.Parse(new Fixture().Code("var ok = 1;").Code(source).Build().ToJsonString()), "bad");

        var error = Assert.Throws<AppExportException>(() => new AppExporter().Export(document, "lib.csproj", ".", null));

        Assert.Contains("bad: cell 2, line 1", error.Message);
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Notebook00RunsAsAFileBasedApp()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "artifacts", "test-apps", Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var export = Tool.Run(RepositoryPaths.Root, "export-app", Path.Combine(RepositoryPaths.Notebooks, "00-setup-and-tour.ipynb"), "--profile", "fast", "--output", folder);
            Assert.True(export.ExitCode == 0, export.All);

            var run = ExternalProcess.Run("dotnet", ["run", Path.Combine(folder, "00-setup-and-tour.cs")], TimeSpan.FromMinutes(10), folder);

            Assert.True(run.ExitCode == 0, run.All);
            Assert.Contains("✅ cosine: passed", run.Stdout);
            var outputs = Directory.GetFiles(Path.Combine(folder, "00-setup-and-tour-outputs")).Order(StringComparer.Ordinal).ToList();
            var charts = outputs.Where(f => f.EndsWith(".html", StringComparison.Ordinal) && File.ReadAllText(f).Contains("class=\"contrastive-chart\"", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, charts.Count);
            Assert.All(charts, c => Assert.Contains("plotly.js (cartesian - minified)", File.ReadAllText(c)));
            var png = Assert.Single(outputs, f => f.EndsWith(".png", StringComparison.Ordinal));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnOutputFolderOutsideTheRepositoryIsRefused()
    {
        using var temp = new TempFolder();

        var export = Tool.Run(RepositoryPaths.Root, "export-app", Path.Combine(RepositoryPaths.Notebooks, "00-setup-and-tour.ipynb"), "--output", temp.Path);

        Assert.Equal(2, export.ExitCode);
        Assert.Contains("inside the repository", export.Stderr);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
