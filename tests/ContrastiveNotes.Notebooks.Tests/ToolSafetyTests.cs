using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// The tool never loses or corrupts a notebook and never crashes with a stack trace: outputs that are the input
/// through a link are refused, wrong field types and impossible values are clear errors, a cell that ends the
/// process is a failure, a full disk keeps the previous copy, two runs of one output do not interleave, and a
/// killed run's temporary files are cleaned by the next one.
/// </summary>
public sealed class ToolSafetyTests
{
    private static Fixture Notebook(string code = "Console.WriteLine(\"hi\");") => new Fixture()
        .Parameters("var lr = 0.1;\nvar steps = 3;")
        .Code(code)
        .Profiles("""{"fast": {"steps": 1}, "full": {"steps": 3}}""");

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static void AssertCleanError(ToolResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, $"expected exit code 2: {result.All}");
        Assert.Contains(expected, result.Stderr);
        Assert.DoesNotContain("   at ", result.All);
    }

    [Theory]
    [InlineData("run", "symlinked-folder")]
    [InlineData("run", "hard-link")]
    [InlineData("strip", "symlinked-folder")]
    [InlineData("strip", "hard-link")]
    public void AnOutputThatIsTheInputThroughALinkIsRefusedAndTheInputKept(string command, string link)
    {
        using var temp = new TempFolder();
        var input = Notebook().Save(temp.File("nbs/lesson.ipynb"));
        var before = Hash(input);
        if (link == "symlinked-folder")
        {
            Directory.CreateSymbolicLink(temp.File("out"), temp.File("nbs"));
        }
        else
        {
            Directory.CreateDirectory(temp.File("out"));
            var ln = ExternalProcess.Run("ln", [input, temp.File("out/lesson.ipynb")], TimeSpan.FromSeconds(30));
            Assert.True(ln.ExitCode == 0, ln.All);
        }

        var result = Tool.Run(temp.Path, command, "nbs/lesson.ipynb", "--output", "out");

        Assert.True(result.ExitCode == 2, result.All);
        Assert.Contains("lesson.ipynb", result.Stderr);
        Assert.DoesNotContain("   at ", result.All);
        Assert.Equal(before, Hash(input));
    }

    [Theory]
    [InlineData("source", "42", "'cells[1].source' must be a string or an array of strings, found number 42")]
    [InlineData("source", "[\"a\", 7]", "'cells[1].source' must be a string or an array of strings")]
    [InlineData("cell_type", "3", "'cells[1].cell_type' must be a string, found number 3")]
    [InlineData("metadata", "\"x\"", "'cells[1].metadata' must be an object")]
    [InlineData("nbgrader", "{\"grade\": \"yes\"}", "'cells[1].metadata.nbgrader.grade' must be true or false")]
    [InlineData("nbgrader", "{\"points\": \"two\"}", "'cells[1].metadata.nbgrader.points' must be a number of points")]
    [InlineData("tags", "[1]", "'cells[1].metadata.tags' must be an array of strings")]
    public void AFieldOfTheWrongTypeIsAClearErrorNamingTheField(string field, string json, string expected)
    {
        using var temp = new TempFolder();
        var notebook = Notebook().Build();
        var cell = notebook["cells"]![1]!.AsObject();
        var value = JsonNode.Parse(json);
        if (field is "nbgrader" or "tags")
        {
            cell["metadata"]![field] = value;
        }
        else
        {
            cell[field] = value;
        }

        File.WriteAllText(temp.File("bad.ipynb"), notebook.ToJsonString());

        AssertCleanError(Tool.Run(temp.Path, "run", "bad.ipynb", "--output", "out"), expected);
    }

    [Theory]
    [InlineData("lr=NaN", "parameter lr must be a finite number")]
    [InlineData("lr=1e400", "parameter lr must be a finite number")]
    [InlineData("lr=-Infinity", "parameter lr must be a finite number")]
    public void ParameterValuesThatAreNotFiniteAreRefused(string set, string expected)
    {
        using var temp = new TempFolder();
        Notebook().Save(temp.File("nb.ipynb"));

        AssertCleanError(Tool.Run(temp.Path, "run", "nb.ipynb", "--output", "out", "--set", set), expected);
        Assert.False(File.Exists(temp.File("out/nb.ipynb")));
    }

    [Theory]
    [InlineData("run", "--timeout", "nan")]
    [InlineData("run", "--timeout", "1e20")]
    [InlineData("run", "--cell-timeout", "0")]
    [InlineData("run", "--cell-timeout", "-5")]
    [InlineData("grade", "--timeout", "nan")]
    [InlineData("grade", "--cell-timeout", "-1")]
    public void ImpossibleTimeLimitsAreRefusedBeforeAnythingRuns(string command, string option, string value)
    {
        using var temp = new TempFolder();
        Notebook().Save(temp.File("nb.ipynb"));
        string[] arguments = command == "run"
            ? ["run", "nb.ipynb", "--output", "out", option, value]
            : ["grade", ".", "--key", "nb.ipynb", "--output", "grades", option, value];

        AssertCleanError(Tool.Run(temp.Path, arguments), $"{option} must be a number of seconds greater than 0");
        Assert.False(Directory.Exists(temp.File("out")) || Directory.Exists(temp.File("grades")));
    }

    [Fact]
    public void ACellThatCallsEnvironmentExitIsAFailureAndTheNotebookIsSaved()
    {
        using var temp = new TempFolder();
        new Fixture().Code("Console.WriteLine(\"before\");").Code("Environment.Exit(0);").Code("Console.WriteLine(\"after\");").Save(temp.File("nb.ipynb"));

        var result = Tool.Run(temp.Path, "run", "nb.ipynb", "--output", "out");

        Assert.True(result.ExitCode == 4, result.All);
        Assert.Contains("ended the kernel's process (Environment.Exit with code 0)", result.Stderr);
        var cells = JsonNode.Parse(File.ReadAllText(temp.File("out/nb.ipynb")))!["cells"]!.AsArray();
        Assert.Equal("completed", (string?)cells[0]!["metadata"]!["papermill"]!["status"]);
        Assert.Equal("failed", (string?)cells[1]!["metadata"]!["papermill"]!["status"]);
        Assert.Equal("pending", (string?)cells[2]!["metadata"]!["papermill"]!["status"]);
    }

    [Fact]
    public void AFullDiskWhileSavingIsAClearErrorAndThePreviousCopyIsKept()
    {
        using var temp = new TempFolder();
        new Fixture().Code("Console.WriteLine(new string('x', 200_000));").Save(temp.File("nb.ipynb"));
        File.WriteAllText(temp.File("previous.ipynb"), "{\"previous\": true}");
        var script = $"mkdir -p out && cp {temp.File("previous.ipynb")} out/nb.ipynb && dotnet {Tool.ToolPath} run nb.ipynb --output out; echo \"rc=$?\"; cat out/nb.ipynb; echo; ls -a out";
        // A 64 KiB file system for the output folder, made by bubblewrap (as the sandbox is).
        var result = ExternalProcess.Run("bwrap", ["--dev-bind", "/", "/", "--size", "65536", "--tmpfs", temp.File("out"), "--chdir", temp.Path, "/bin/sh", "-c", script], TimeSpan.FromMinutes(3));

        Assert.Contains("rc=2", result.Stdout);
        Assert.Contains($"Could not save {temp.File("out/nb.ipynb")}", result.Stderr);
        Assert.Contains("the previous copy is unchanged", result.Stderr);
        Assert.Contains("{\"previous\": true}", result.Stdout);
        Assert.DoesNotContain(".tmp", result.Stdout);
        Assert.DoesNotContain("   at ", result.All);
    }

    [Fact]
    public void ASecondRunWritingTheSameOutputIsRefusedWhileTheFirstRuns()
    {
        using var temp = new TempFolder();
        new Fixture().Code("System.Threading.Thread.Sleep(8000);").Save(temp.File("nb.ipynb"));
        var first = Process.Start(new ProcessStartInfo("dotnet", [Tool.ToolPath, "run", "nb.ipynb", "--output", "out"]) { WorkingDirectory = temp.Path, RedirectStandardOutput = true, RedirectStandardError = true })!;
        for (var i = 0; i < 100 && !File.Exists(temp.File("out/.nb.ipynb.lock")); i++)
        {
            Thread.Sleep(100);
        }

        var second = Tool.Run(temp.Path, "run", "nb.ipynb", "--output", "out");
        first.WaitForExit(60_000);

        AssertCleanError(second, "Another run is writing");
        Assert.Equal(0, first.ExitCode);
        Assert.False(File.Exists(temp.File("out/.nb.ipynb.lock")), "the lock file is removed when the run ends");
    }

    [Fact]
    public void TemporaryFilesLeftByAKilledRunAreRemovedByTheNextRun()
    {
        using var temp = new TempFolder();
        Notebook().Save(temp.File("nb.ipynb"));
        Directory.CreateDirectory(temp.File("out"));
        var dead = temp.File($"out/.nb.ipynb.{int.MaxValue - 7}.0123456789abcdef0123456789abcdef.tmp");
        File.WriteAllText(dead, "half a notebook");

        var result = Tool.Run(temp.Path, "run", "nb.ipynb", "--output", "out");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.False(File.Exists(dead));
        Assert.Equal(["nb.ipynb"], Directory.GetFiles(temp.File("out")).Select(Path.GetFileName));
    }
}
