using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// The binary VS Code starts, tested without the course's tool: notebook 00 runs in the standalone
/// <c>dotnet-interactive</c> kernel 1.0.712001 (installed by environment/setup.sh) through Jupyter's own
/// executor (Debian's python3-nbclient) with 0 errors and 0 stderr outputs; its executed notebook, exported to
/// HTML, draws every chart in headless Chromium with the network cut off.
/// </summary>
public sealed class StandaloneKernelTests(StandaloneKernelTests.ExecutedInJupyter executed) : IClassFixture<StandaloneKernelTests.ExecutedInJupyter>
{
    private const string Notebook = "00-setup-and-tour.ipynb";

    [Fact]
    public void Notebook00RunsInTheStandaloneKernelWithoutErrorsOrStderr()
    {
        var notebook = NbformatValidation.AssertValid(executed.Path);
        var outputs = CodeCells(notebook).SelectMany(c => c["outputs"]!.AsArray().Select(o => (Cell: c, Output: o!.AsObject()))).ToList();
        var errors = outputs.Where(x => (string?)x.Output["output_type"] == "error").ToList();
        var stderr = outputs.Where(x => (string?)x.Output["output_type"] == "stream" && (string?)x.Output["name"] == "stderr").ToList();

        Assert.True(errors.Count == 0, "errors: " + string.Join("; ", errors.Select(x => $"{x.Cell["id"]}: {x.Output["evalue"]}")));
        Assert.True(stderr.Count == 0, "stderr: " + string.Join("; ", stderr.Select(x => $"{x.Cell["id"]}: {Text(x.Output["text"])}")));
        Assert.All(CodeCells(notebook), c => Assert.NotNull(c["execution_count"]));
        Assert.Contains(outputs, x => (string?)x.Output["output_type"] == "execute_result");
        Assert.Equal(2, outputs.Count(x => Text(x.Output["data"]?["text/html"]).Contains("class=\"contrastive-chart\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void ItsChartsDrawInHeadlessChromiumWithTheNetworkCutOff()
    {
        using var temp = new TempFolder();
        var export = Tool.Run(RepositoryPaths.Root, "export-html", executed.Path, "--output", temp.Path);
        Assert.True(export.ExitCode == 0, export.All);
        var page = temp.File(Path.ChangeExtension(Notebook, ".html"));

        var charts = ChromiumPage.Charts(page, Path.Combine(RepositoryPaths.Screenshots, Path.ChangeExtension(Notebook, ".png")));

        // 00 draws a bar chart (one trace) and a similarity heatmap with its positive pairs outlined (two traces).
        Assert.Equal(2, charts.Count);
        Assert.All(charts, c => Assert.Equal(1, c.Svgs));
        Assert.Equal((1, 1, 0, 0), (charts[0].Traces, charts[0].Bars, charts[0].Heatmaps, charts[0].Scatters));
        Assert.Equal((2, 0, 1, 1), (charts[1].Traces, charts[1].Bars, charts[1].Heatmaps, charts[1].Scatters));
    }

    private static IEnumerable<JsonObject> CodeCells(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code");

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    /// <summary>Runs notebook 00 once in the standalone kernel for all tests of the class.</summary>
    public sealed class ExecutedInJupyter : IDisposable
    {
        private readonly TempFolder _temp = new();

        public ExecutedInJupyter()
        {
            var jupyterPath = System.IO.Path.Combine(RepositoryPaths.Root, ".tools", "jupyter");
            var kernelspec = System.IO.Path.Combine(jupyterPath, "kernels", ".net-csharp", "kernel.json");
            Assert.True(File.Exists(kernelspec), $"no kernelspec at {kernelspec}: run bash environment/setup.sh, which installs dotnet-interactive 1.0.712001 and writes it");
            Path = _temp.File(Notebook);
            var script = System.IO.Path.Combine(RepositoryPaths.Root, "tests", "ContrastiveNotes.Notebooks.Tests", "Standalone", "execute_in_jupyter.py");
            var result = ExternalProcess.Run("/usr/bin/python3", [script, System.IO.Path.Combine(RepositoryPaths.Notebooks, Notebook), Path],
                TimeSpan.FromMinutes(10), RepositoryPaths.Notebooks, new Dictionary<string, string> { ["JUPYTER_PATH"] = jupyterPath });
            Assert.True(result.ExitCode == 0 && File.Exists(Path), $"Jupyter's executor failed (python3-nbclient is installed by environment/setup.sh):\n{result.All}");
        }

        public string Path { get; }

        public void Dispose() => _temp.Dispose();
    }
}
