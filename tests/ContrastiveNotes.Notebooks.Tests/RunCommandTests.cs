using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>`run` as a child process on the real C# kernel: state, displays, return values, errors, timeouts.</summary>
public sealed class RunCommandTests
{
    private static JsonArray Cells(JsonObject notebook) => notebook["cells"]!.AsArray();

    private static JsonObject CellById(JsonObject notebook, string id) =>
        Cells(notebook).Select(c => c!.AsObject()).Single(c => c["id"]!.GetValue<string>() == id);

    private static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : node!.GetValue<string>();

    [Fact]
    public void RunCarriesStateAndShowsDisplaysAndFinalValuesAsTheKernelFormatsThem()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("var x = 20;\nConsole.WriteLine(\"hello\");", id: "state")
            .Code("var d = display(\"working\");\nd.Update(\"done\");\nx + 22", id: "display")
            .Code("#!markdown\n# Not code", id: "magic")
            .Code(
                "[TypeFormatterSource(typeof(GaugeSource))]\npublic class Gauge { public double Value = 0.25; }\n" +
                "public class TypeFormatterSourceAttribute : Attribute { public TypeFormatterSourceAttribute(Type t) { FormatterSourceType = t; } public Type FormatterSourceType { get; } }\n" +
                "public class GaugeSource { public IEnumerable<object> CreateTypeFormatters() { yield return new GaugeHtml(); } }\n" +
                "public class GaugeHtml { public string MimeType => \"text/html\"; public bool Format(object v, System.IO.TextWriter w) { w.Write($\"<meter value='{((Gauge)v).Value}'></meter>\"); return true; } }\n" +
                "new Gauge()",
                id: "convention")
            .Code("HTML(\"<b>bold</b>\")", id: "html")
            .Save(temp.File("state.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("[state] cell 2/4 ok", result.Stdout);
        var executed = NbformatValidation.AssertValid(temp.File("out/state.ipynb"));

        var state = CellById(executed, "state");
        Assert.Equal(1, state["execution_count"]!.GetValue<int>());
        var stream = Assert.Single(state["outputs"]!.AsArray())!;
        Assert.Equal("stream", stream["output_type"]!.GetValue<string>());
        Assert.Equal("hello\n", Text(stream["text"]));

        // As in the Jupyter kernel: display(x) is display_data, the final value execute_result. The kernel's
        // display(x).Update(y) names a display id that display(x) never published (a bug of its last release), so
        // Jupyter drops the update and so does the tool; LiveDisplay (DirectiveTests) is the course's working form.
        var displayCell = CellById(executed, "display");
        var display = displayCell["outputs"]!.AsArray();
        Assert.Equal(2, display.Count);
        Assert.Equal("display_data", display[0]!["output_type"]!.GetValue<string>());
        Assert.Equal("working", Text(display[0]!["data"]!["text/plain"]));
        Assert.Equal("execute_result", display[1]!["output_type"]!.GetValue<string>());
        Assert.Equal(displayCell["execution_count"]!.GetValue<int>(), display[1]!["execution_count"]!.GetValue<int>());
        Assert.Contains("42", Text(display[1]!["data"]!["text/html"]));

        var magic = CellById(executed, "magic");
        Assert.Null(magic["execution_count"]);
        Assert.Empty(magic["outputs"]!.AsArray());

        var convention = Assert.Single(CellById(executed, "convention")["outputs"]!.AsArray())!;
        Assert.Equal("<meter value='0.25'></meter>", Text(convention["data"]!["text/html"]));

        // The standalone kernel warns here too (CS1701: its own reference to Microsoft.AspNetCore.Html 2.3 meets 10.0);
        // Course.Setup is what quiets it in the course (KernelCompilerWarnings).
        var htmlOutputs = CellById(executed, "html")["outputs"]!.AsArray();
        Assert.Equal(2, htmlOutputs.Count);
        Assert.Contains("warning CS1701", Text(htmlOutputs[0]!["text"]));
        var html = htmlOutputs[1]!;
        Assert.Equal("<b>bold</b>", Text(html["data"]!["text/html"]));
        Assert.Equal("completed", CellById(executed, "html")["metadata"]!["papermill"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void AFailingCellIsMarkedReportedWithCellAndLineAndStopsTheRun()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("var a = 1;", id: "first")
            .Code("var b = 2;\nvar c = 3;\nthrow new InvalidOperationException(\"kaput\");", id: "bad")
            .Code("Console.WriteLine(\"after\");", id: "after")
            .Save(temp.File("broken.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken: cell 2 (notebook cell 2): InvalidOperationException: kaput", result.All);
        var executed = NbformatValidation.AssertValid(temp.File("out/broken.ipynb"));
        var marker = Cells(executed)[0]!;
        Assert.Equal("markdown", marker["cell_type"]!.GetValue<string>());
        Assert.Contains("papermill-error-cell-tag", marker["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var bad = CellById(executed, "bad");
        var error = bad["outputs"]!.AsArray().Single(o => o!["output_type"]!.GetValue<string>() == "error")!;
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("kaput", error["evalue"]!.GetValue<string>());
        Assert.Equal("failed", bad["metadata"]!["papermill"]!["status"]!.GetValue<string>());
        Assert.True(bad["metadata"]!["papermill"]!["exception"]!.GetValue<bool>());
        var after = CellById(executed, "after");
        Assert.Equal("pending", after["metadata"]!["papermill"]!["status"]!.GetValue<string>());
        Assert.Empty(after["outputs"]!.AsArray());
        Assert.True(executed["metadata"]!["papermill"]!["exception"]!.GetValue<bool>());
    }

    [Fact]
    public void ACompileErrorReportsTheLineOfTheCell()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("#r \"nuget: Definitely.Not.A.Package.Xyz, 9.9.9\"", id: "pkg")
            .Save(temp.File("pkg.ipynb"));
        var compile = new Fixture()
            .Code("var ok = 1;\n\nint y = \"text\";", id: "compile")
            .Save(temp.File("compile.ipynb"));

        var result = Tool.Run(temp.Path, "run", compile, "--output", "out");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("compile: cell 1 (notebook cell 1), line 3: CompilationError", result.All);
        Assert.Contains("CS0029", result.All);
        NbformatValidation.AssertValid(temp.File("out/compile.ipynb"));

        // The kernel itself restores #r "nuget:" packages; one that does not exist fails with the kernel's message.
        var unknown = Tool.Run(temp.Path, "run", path, "--output", "out");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Definitely.Not.A.Package.Xyz", unknown.All);
    }

    [Fact]
    public void CompilerWarningsReachStderrAsInTheStandaloneKernel()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("string? annotated = null;", id: "warning")
            .Code("#nullable enable\nstring? fine = null;", id: "fixed")
            .Save(temp.File("warnings.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        var executed = NbformatValidation.AssertValid(temp.File("out/warnings.ipynb"));
        var warning = Assert.Single(CellById(executed, "warning")["outputs"]!.AsArray())!;
        Assert.Equal("stderr", warning["name"]!.GetValue<string>());
        Assert.Contains("warning CS8632", Text(warning["text"]));
        Assert.Empty(CellById(executed, "fixed")["outputs"]!.AsArray());
    }

    [Fact]
    public void AHangingCellHitsTheTimeoutAndTheNotebookIsStillWritten()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("Console.WriteLine(\"before\");", id: "before")
            .Code("while (true) { }", id: "hang")
            .Code("Console.WriteLine(\"never\");", id: "never")
            .Save(temp.File("hang.ipynb"));

        // 10 s: the limit covers compiling too, and a loaded 2-core machine can take seconds for a first cell.
        var result = Tool.Run(temp.Path, "run", path, "--output", "out", "--cell-timeout", "10");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("[hang] cell 2/3 TIMEOUT", result.Stdout);
        var executed = NbformatValidation.AssertValid(temp.File("out/hang.ipynb"));
        var hang = CellById(executed, "hang");
        var error = Assert.Single(hang["outputs"]!.AsArray())!;
        Assert.Equal("TimeoutException", error["ename"]!.GetValue<string>());
        Assert.Equal("failed", hang["metadata"]!["papermill"]!["status"]!.GetValue<string>());
        Assert.Equal("pending", CellById(executed, "never")["metadata"]!["papermill"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void AFolderRunsInNameOrderAndPrintsASummary()
    {
        using var temp = new TempFolder();
        new Fixture().Code("Console.WriteLine(\"b\");").Save(temp.File("nbs/b-second.ipynb"));
        new Fixture().Code("Console.WriteLine(\"a\");").Save(temp.File("nbs/a-first.ipynb"));

        var result = Tool.Run(temp.Path, "run", "nbs", "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(result.Stdout.IndexOf("[a-first] cell 1/1 ok", StringComparison.Ordinal) < result.Stdout.IndexOf("[b-second] cell 1/1 ok", StringComparison.Ordinal));
        Assert.Matches(@"a-first\s+1/1\s+[0-9.]+\s+completed", result.Stdout);
        Assert.Matches(@"b-second\s+1/1\s+[0-9.]+\s+completed", result.Stdout);
        NbformatValidation.AssertValid(temp.File("out/a-first.ipynb"));
    }
}
