using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>#r "path", #r "nuget: ...", #load and #! magics, handled by the kernel itself, and the real library with TorchSharp's native code.</summary>
public sealed class DirectiveTests
{
    private static JsonArray Outputs(JsonObject notebook, string id) =>
        notebook["cells"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!["outputs"]!.AsArray();

    /// <summary>The cell's final value as the kernel formats it: strings as text/plain, other values as HTML.</summary>
    private static string Result(JsonObject notebook, string id)
    {
        var outputs = Outputs(notebook, id);
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        var result = outputs.Single(o => (string?)o!["output_type"] == "execute_result")!["data"]!;
        return Flatten(result["text/plain"] ?? result["text/html"]);
    }

    private static string Flatten(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : node!.GetValue<string>();

    [Fact]
    public void ReferencePathsNugetPackagesAndLoadResolveFromTheNotebookFolder()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("nb/libs"));
        File.Copy(typeof(Assert).Assembly.Location, temp.File("nb/libs/xunit.assert.dll"));
        File.WriteAllText(temp.File("nb/helper.csx"), "int Triple(int x) => 3 * x;\n");
        // A version the registry serves (the kernel restores it like VS Code does).
        const string newtonsoft = "13.0.1";
        var path = new Fixture()
            .Code("#r \"libs/xunit.assert.dll\"\nXunit.Assert.Equal(2, 1 + 1);\nSystem.IO.Path.GetFileName(typeof(Xunit.Assert).Assembly.Location)", id: "dll")
            .Code($"#r \"nuget: Newtonsoft.Json, {newtonsoft}\"\nNewtonsoft.Json.JsonConvert.SerializeObject(new[] {{ 1, 2 }})", id: "nuget")
            .Code("#load \"helper.csx\"\nTriple(5)", id: "load")
            .Code("#!csharp\nSystem.IO.Directory.GetCurrentDirectory()", id: "cwd")
            .Save(temp.File("nb/directives.ipynb"));

        // Started from another folder: relative paths must still resolve against the notebook's folder.
        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        var executed = NbformatValidation.AssertValid(temp.File("out/directives.ipynb"));
        Assert.Equal("xunit.assert.dll", Result(executed, "dll"));
        Assert.Equal("[1,2]", Result(executed, "nuget"));
        Assert.Contains("<pre>15</pre>", Result(executed, "load"));
        Assert.Equal(temp.File("nb"), Result(executed, "cwd"));
    }

    [Fact]
    public void TheCourseLibraryLoadsWithItsManagedAndNativeDependencies()
    {
        Assert.True(File.Exists(Tool.LibraryPath), $"the library is not built at {Tool.LibraryPath}");
        using var temp = new TempFolder();
        var relative = Path.GetRelativePath(temp.Path, Tool.LibraryPath).Replace('\\', '/');
        var path = new Fixture()
            .Code($"#r \"{relative}\"\nusing TorchSharp;\nvar t = torch.arange(4).sum();\nt.item<long>()", id: "torch")
            .Code("var live = ContrastiveNotes.Interactive.LiveDisplay.Show(\"working\");\nlive.Update(\"step 1\");\nlive.Update(\"done\");", id: "live")
            .Save(temp.File("torch.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        var executed = NbformatValidation.AssertValid(temp.File("out/torch.ipynb"));
        Assert.Contains("<pre>6</pre>", Result(executed, "torch"));
        // LiveDisplay's updates replace its one output in place.
        var live = Assert.Single(Outputs(executed, "live"))!;
        Assert.Equal("display_data", (string?)live["output_type"]);
        Assert.Equal("done", Flatten(live["data"]!["text/plain"]));
    }
}
