using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>#r "path", #r "nuget: ...", #load, and the real library with TorchSharp's native code.</summary>
public sealed class DirectiveTests
{
    private static string Output(JsonObject notebook, string id)
    {
        var cell = notebook["cells"]!.AsArray().Single(c => c!["id"]!.GetValue<string>() == id)!;
        return string.Join("\n", cell["outputs"]!.AsArray().Select(o =>
            o!["output_type"]!.GetValue<string>() switch
            {
                "stream" => Flatten(o["text"]),
                "display_data" => Flatten(o["data"]!["text/plain"]),
                _ => $"{o["ename"]}: {o["evalue"]}",
            }));
    }

    private static string Flatten(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : node!.GetValue<string>();

    [Fact]
    public void Reference_paths_nuget_packages_and_load_resolve_from_the_notebook_folder()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("nb/libs"));
        File.Copy(typeof(Assert).Assembly.Location, temp.File("nb/libs/xunit.assert.dll"));
        File.WriteAllText(temp.File("nb/helper.csx"), "int Triple(int x) => 3 * x;\n");
        var newtonsoft = Directory.EnumerateDirectories(Path.Combine(Execution.NuGetPackageResolver.DefaultPackageFolder(), "newtonsoft.json")).Select(Path.GetFileName).First();
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
        Assert.Equal("xunit.assert.dll", Output(executed, "dll"));
        Assert.Equal("[1,2]", Output(executed, "nuget"));
        Assert.Equal("15", Output(executed, "load"));
        Assert.Equal(temp.File("nb"), Output(executed, "cwd"));
    }

    [Fact]
    public void The_course_library_loads_with_its_managed_and_native_dependencies()
    {
        Assert.True(File.Exists(Tool.LibraryPath), $"the library is not built at {Tool.LibraryPath}");
        using var temp = new TempFolder();
        var relative = Path.GetRelativePath(temp.Path, Tool.LibraryPath).Replace('\\', '/');
        var path = new Fixture()
            .Code($"#r \"{relative}\"\nusing TorchSharp;\nvar t = torch.arange(4).sum();\nt.item<long>()", id: "torch")
            .Save(temp.File("torch.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal("6", Output(NbformatValidation.AssertValid(temp.File("out/torch.ipynb")), "torch"));
    }
}
