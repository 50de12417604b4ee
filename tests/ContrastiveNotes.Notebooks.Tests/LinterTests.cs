using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Linting;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>`check` finds each kind of problem in committed notebooks.</summary>
public sealed class LinterTests
{
    private static Fixture Good() => new Fixture()
        .Markdown("# Exercise")
        .Parameters("var epochs = 10;")
        .Solution("loss_sol", "double Loss() =>\n    // BEGIN SOLUTION\n    1.0;\n    // END SOLUTION")
        .Check("loss", 2, "if (Loss() != 1.0) throw new global::System.Exception();")
        .Profiles("""{"fast": {"epochs": 1}, "full": {"epochs": 100}}""");

    private static IReadOnlyList<string> Lint(JsonObject notebook) => NotebookLinter.CheckText(notebook.ToJsonString(), "nb");

    private static JsonObject Edit(Action<JsonObject> edit)
    {
        var notebook = Good().Build();
        edit(notebook);
        return notebook;
    }

    [Fact]
    public void ANotebookFollowingTheConventionsHasNoProblems() => Assert.Empty(Lint(Good().Build()));

    [Fact]
    public void InvalidJsonIsReported() =>
        Assert.StartsWith("nb: not valid JSON", Assert.Single(NotebookLinter.CheckText("{\"cells\": [", "nb")));

    [Theory]
    [InlineData("missing-id", "nb: cell 2: id must be 1-64 characters")]
    [InlineData("markdown-outputs", "nb: cell 1: a markdown cell must not have outputs or execution_count")]
    [InlineData("old-minor", "nb: nbformat_minor must be 5 or more")]
    [InlineData("kernelspec", "nb: metadata.kernelspec must be")]
    [InlineData("language-info", "nb: metadata.language_info.name must be \"polyglot-notebook\"")]
    [InlineData("cell-metadata", "nb: cell 3: code cell metadata must have dotnet_interactive.language = csharp")]
    [InlineData("no-parameters", "nb: no code cell is tagged 'parameters'")]
    [InlineData("no-full", "nb: metadata.contrastive_notes.profiles.full is missing")]
    [InlineData("outputs", "nb: cell 4: has committed outputs")]
    [InlineData("markers", "nb: cell 3: line 2: '// BEGIN SOLUTION' is never closed")]
    [InlineData("no-check", "nb: cell 3: exercise solution cell is not followed by a graded check cell")]
    [InlineData("long-line", "nb: cell 3: line 2 has 101 characters; break it at 100 or fewer")]
    public void EachProblemIsReportedOnItsOwnLine(string problem, string expected)
    {
        var notebook = Edit(nb =>
        {
            var cells = nb["cells"]!.AsArray();
            switch (problem)
            {
                case "missing-id": cells[1]!.AsObject().Remove("id"); break;
                case "markdown-outputs": cells[0]!["outputs"] = new JsonArray(); break;
                case "old-minor": nb["nbformat_minor"] = 4; break;
                case "kernelspec": nb["metadata"]!["kernelspec"]!["name"] = "python3"; break;
                case "language-info": nb["metadata"]!["language_info"]!["name"] = "C#"; break;
                case "cell-metadata": cells[2]!["metadata"]!.AsObject().Remove("polyglot_notebook"); break;
                case "no-parameters": cells[1]!["metadata"]!.AsObject().Remove("tags"); break;
                case "no-full": nb["metadata"]!["contrastive_notes"]!["profiles"]!.AsObject().Remove("full"); break;
                case "outputs": cells[3]!["execution_count"] = 3; break;
                case "markers": cells[2]!["source"] = "double Loss() =>\n    // BEGIN SOLUTION\n    1.0;"; break;
                case "no-check": cells[3]!["metadata"]!.AsObject().Remove("nbgrader"); break;
                case "long-line": cells[2]!["source"] = "double Loss() =>\n    " + new string('1', 96) + ";"; break;
            }
        });

        var problems = Lint(notebook);

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void CheckCommandExitsNonZeroWithOneLinePerProblem()
    {
        using var temp = new TempFolder();
        Good().Save(temp.File("nbs/01-good.ipynb"));
        var bad = Edit(nb => nb["metadata"]!["contrastive_notes"]!["profiles"]!.AsObject().Remove("fast"));
        bad["cells"]![3]!["execution_count"] = 7;
        File.WriteAllText(temp.File("nbs/02-bad.ipynb"), bad.ToJsonString());

        var result = Tool.Run(temp.Path, "check", "nbs");

        Assert.Equal(1, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("02-bad: metadata.contrastive_notes.profiles.fast is missing", lines);
        Assert.Contains(lines, l => l.StartsWith("02-bad: cell 4: has committed outputs", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("01-good", StringComparison.Ordinal));
        Assert.Contains("2 notebook(s) checked, 2 problem(s).", lines);

        var good = Tool.Run(temp.Path, "check", "nbs/01-good.ipynb");
        Assert.Equal(0, good.ExitCode);
    }

    [Theory]
    [InlineData("if (Loss() != 1.0) throw new Exception();", "'Exception'")]
    [InlineData("Exercise.Check(\"loss\", () => {}, hint: \"\");", "'Exercise'")]
    [InlineData("if (Math.Abs(Loss() - 1.0) > 1e-9) throw new global::System.Exception();", "'Math'")]
    [InlineData("var t = tensor(1.0); if (Loss() != 1.0) throw new global::System.Exception();", "'tensor'")]
    [InlineData("global::System.Collections.Generic.List<Tensor> xs = new();\nif (Loss() != 1.0) throw new global::System.Exception();", "'Tensor'")]
    [InlineData("System.Console.WriteLine(Loss());", "'System'")]
    public void ACheckCellNameASubmissionCouldShadowIsReported(string check, string name)
    {
        var notebook = Edit(nb => nb["cells"]![3]!["source"] = check);

        var problem = Assert.Single(Lint(notebook));

        Assert.StartsWith("nb: cell 4 (check 'loss'), line 1: " + name + " is not written with global::", problem);
    }

    [Theory]
    [InlineData("var x = Loss();\nif (x.CompareTo(1.0) != 0) throw new global::System.Exception($\"Math.Abs {x}\"); // Exercise")]
    [InlineData("double Twice(double v) => 2 * v;\nif (Twice(Loss()) != 2.0) throw new global::System.Exception(nameof(Loss));")]
    [InlineData("foreach (var (a, b) in new[] { (1.0, 2.0) })\n{ if (a + b != 3.0 || string.IsNullOrEmpty(\"x\")) throw new global::System.Exception(); }")]
    [InlineData("if (epochs.CompareTo(0) < 0)\n    global::ContrastiveNotes.Interactive.Exercise.Check(\"loss\", () => { }, hint: \"h\");")]
    public void NamesThatAreQualifiedLocalDeclaredByTheNotebookOrInsideStringsAreNotReported(string check)
    {
        var notebook = Edit(nb => nb["cells"]![3]!["source"] = check);

        Assert.Empty(Lint(notebook));
    }
}
