using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>`run` as a child process: state, displays, return values, errors, timeouts.</summary>
public sealed class RunCommandTests
{
    private static JsonArray Cells(JsonObject notebook) => notebook["cells"]!.AsArray();

    private static JsonObject CellById(JsonObject notebook, string id) =>
        Cells(notebook).Select(c => c!.AsObject()).Single(c => c["id"]!.GetValue<string>() == id);

    private static string Text(JsonNode? node) => node is JsonArray a ? string.Concat(a.Select(x => x!.GetValue<string>())) : node!.GetValue<string>();

    [Fact]
    public void Run_carries_state_collapses_updates_and_displays_final_values_through_the_formatter()
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

        var display = CellById(executed, "display")["outputs"]!.AsArray();
        Assert.Equal(2, display.Count);
        Assert.All(display, o => Assert.Equal("display_data", o!["output_type"]!.GetValue<string>()));
        Assert.Equal("done", Text(display[0]!["data"]!["text/plain"]));
        Assert.Equal("42", Text(display[1]!["data"]!["text/plain"]));
        Assert.Contains("42", Text(display[1]!["data"]!["text/html"]));

        var magic = CellById(executed, "magic");
        Assert.Null(magic["execution_count"]);
        Assert.Empty(magic["outputs"]!.AsArray());

        var convention = Assert.Single(CellById(executed, "convention")["outputs"]!.AsArray())!;
        Assert.Equal("<meter value='0.25'></meter>", Text(convention["data"]!["text/html"]));

        var html = Assert.Single(CellById(executed, "html")["outputs"]!.AsArray())!;
        Assert.Equal("<b>bold</b>", Text(html["data"]!["text/html"]));
        Assert.Equal("completed", CellById(executed, "html")["metadata"]!["papermill"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_failing_cell_is_marked_reported_with_cell_and_line_and_stops_the_run()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("var a = 1;", id: "first")
            .Code("var b = 2;\nvar c = 3;\nthrow new InvalidOperationException(\"kaput\");", id: "bad")
            .Code("Console.WriteLine(\"after\");", id: "after")
            .Save(temp.File("broken.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken: cell 2 (notebook cell 2), line 3: InvalidOperationException: kaput", result.All);
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
    public void A_compile_error_reports_the_line_of_the_cell()
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

        var unknown = Tool.Run(temp.Path, "run", path, "--output", "out");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("NuGet package 'Definitely.Not.A.Package.Xyz, 9.9.9' is not in the local package folder", unknown.All);
        Assert.Contains("dotnet restore", unknown.All);
    }

    [Fact]
    public void A_hanging_cell_hits_the_timeout_and_the_notebook_is_still_written()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Code("Console.WriteLine(\"before\");", id: "before")
            .Code("while (true) { }", id: "hang")
            .Code("Console.WriteLine(\"never\");", id: "never")
            .Save(temp.File("hang.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out", "--cell-timeout", "2");

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
    public void A_folder_runs_in_name_order_and_prints_a_summary()
    {
        using var temp = new TempFolder();
        new Fixture().Code("Console.WriteLine(\"b\");").Save(temp.File("nbs/b-second.ipynb"));
        new Fixture().Code("Console.WriteLine(\"a\");").Save(temp.File("nbs/a-first.ipynb"));

        var result = Tool.Run(temp.Path, "run", "nbs", "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.True(result.Stdout.IndexOf("[a-first] cell 1/1 ok", StringComparison.Ordinal) < result.Stdout.IndexOf("[b-second] cell 1/1 ok", StringComparison.Ordinal));
        Assert.Matches(@"a-first\s+1/1\s+[0-9.]+\s+ok", result.Stdout);
        Assert.Matches(@"b-second\s+1/1\s+[0-9.]+\s+ok", result.Stdout);
        NbformatValidation.AssertValid(temp.File("out/a-first.ipynb"));
    }
}
