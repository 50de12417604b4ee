using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContrastiveNotes.Notebooks.Tests.Support;

/// <summary>
/// Validates notebooks the tool wrote: always against the nbformat 4.5 structural rules written
/// here (independently of the tool), and against the official JSON schema through Debian's
/// python3-nbformat when it is installed. On CI (env CI set) a missing python3-nbformat fails.
/// </summary>
internal static partial class NbformatValidation
{
    private const string Python = "/usr/bin/python3";
    private static readonly Lazy<bool> PythonHasNbformat = new(() => RunPython("import nbformat").ExitCode == 0);

    public static JsonObject AssertValid(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
        Assert.NotNull(root);
        AssertStructure(root!);
        if (PythonHasNbformat.Value)
        {
            var result = RunPython($"import nbformat; nbformat.validate(nbformat.read({JsonSerializer.Serialize(path)}, as_version=4))");
            Assert.True(result.ExitCode == 0, $"nbformat.validate rejected {path}:\n{result.Output}");
        }
        else
        {
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "CI is set but python3-nbformat is not installed (apt-get install python3-nbformat): the schema check cannot run.");
        }

        return root!;
    }

    public static void AssertStructure(JsonObject notebook)
    {
        Assert.Equal(4, notebook["nbformat"]!.GetValue<int>());
        Assert.True(notebook["nbformat_minor"]!.GetValue<int>() >= 5, "nbformat_minor >= 5");
        Assert.IsType<JsonObject>(notebook["metadata"]);
        var cells = Assert.IsType<JsonArray>(notebook["cells"]);
        var ids = new HashSet<string>();
        foreach (var node in cells)
        {
            var cell = Assert.IsType<JsonObject>(node);
            var type = cell["cell_type"]!.GetValue<string>();
            Assert.Contains(type, new[] { "code", "markdown", "raw" });
            var id = cell["id"]!.GetValue<string>();
            Assert.Matches(CellId(), id);
            Assert.True(ids.Add(id), $"duplicate cell id {id}");
            Assert.IsType<JsonObject>(cell["metadata"]);
            AssertMultiline(cell["source"]);
            var allowed = type == "code"
                ? new[] { "cell_type", "id", "metadata", "source", "outputs", "execution_count" }
                : new[] { "cell_type", "id", "metadata", "source", "attachments" };
            Assert.All(cell.Select(p => p.Key), k => Assert.Contains(k, allowed));
            if (type != "code")
            {
                continue;
            }

            Assert.True(cell.ContainsKey("execution_count"));
            Assert.True(cell["execution_count"] is null || cell["execution_count"]!.GetValueKind() == JsonValueKind.Number);
            foreach (var output in Assert.IsType<JsonArray>(cell["outputs"]).Cast<JsonObject>())
            {
                switch (output["output_type"]!.GetValue<string>())
                {
                    case "stream":
                        Assert.Contains(output["name"]!.GetValue<string>(), new[] { "stdout", "stderr" });
                        AssertMultiline(output["text"]);
                        break;
                    case "display_data":
                        Assert.IsType<JsonObject>(output["data"]);
                        Assert.IsType<JsonObject>(output["metadata"]);
                        break;
                    case "execute_result":
                        Assert.IsType<JsonObject>(output["data"]);
                        Assert.IsType<JsonObject>(output["metadata"]);
                        Assert.Equal(JsonValueKind.Number, output["execution_count"]!.GetValueKind());
                        break;
                    case "error":
                        Assert.Equal(JsonValueKind.String, output["ename"]!.GetValueKind());
                        Assert.Equal(JsonValueKind.String, output["evalue"]!.GetValueKind());
                        Assert.All(Assert.IsType<JsonArray>(output["traceback"]), t => Assert.Equal(JsonValueKind.String, t!.GetValueKind()));
                        break;
                    default:
                        Assert.Fail($"unexpected output_type {output["output_type"]}");
                        break;
                }
            }
        }
    }

    private static void AssertMultiline(JsonNode? node)
    {
        if (node is JsonArray array)
        {
            Assert.All(array, l => Assert.Equal(JsonValueKind.String, l!.GetValueKind()));
        }
        else
        {
            Assert.Equal(JsonValueKind.String, node!.GetValueKind());
        }
    }

    private static (int ExitCode, string Output) RunPython(string code)
    {
        if (!File.Exists(Python))
        {
            return (-1, "no /usr/bin/python3");
        }

        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(code);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [GeneratedRegex("^[a-zA-Z0-9-_]{1,64}$")]
    private static partial Regex CellId();
}
