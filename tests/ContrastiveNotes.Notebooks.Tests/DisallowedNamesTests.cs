using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Exercises;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>The names an exercise does not allow: where the key declares them and how a solution is scanned for them.</summary>
public sealed class DisallowedNamesTests
{
    private static readonly string[] Names = ["NTXentLoss", "cosine_similarity"];

    [Theory]
    [InlineData("return new NTXentLoss(tau).call(z1, z2);", "NTXentLoss")]
    [InlineData("return nn.functional.cosine_similarity(a, b, dim: 1);", "cosine_similarity")]
    [InlineData("using L = ContrastiveNotes.Losses.NTXentLoss;\nreturn new L(0.5).call(a, b);", "NTXentLoss")]
    [InlineData("var f = global::TorchSharp.torch.nn.functional.cosine_similarity;", "cosine_similarity")]
    public void ANameUsedAsCodeIsFound(string source, string expected) =>
        Assert.Equal([expected], DisallowedNames.UsedIn(source, Names));

    [Theory]
    [InlineData("// NTXentLoss would do this in one line\nreturn Mine(a, b);")]
    [InlineData("/* cosine_similarity */ return x;")]
    [InlineData("Console.WriteLine(\"not NTXentLoss\"); return x;")]
    [InlineData("var myNTXentLoss = 1; var cosine_similarity2 = 2;")]
    public void ANameInACommentAStringOrInsideAnotherNameIsNot(string source) =>
        Assert.Empty(DisallowedNames.UsedIn(source, Names));

    [Fact]
    public void EachCheckGetsTheNamesOfTheSolutionItFollows()
    {
        var key = NotebookReader.Parse(new Fixture()
            .Solution("a_sol", "int A() => 1;", "Pow")
            .Check("a", 1, "if (A() != 1) throw new global::System.Exception();")
            .Solution("b_sol", "int B() => 2;")
            .Check("b", 1, "if (B() != 2) throw new global::System.Exception();")
            .Build().ToJsonString());

        var byCheck = DisallowedNames.ByCheck(key);

        var (solution, names) = Assert.Single(byCheck).Value;
        Assert.Equal("a_sol", solution);
        Assert.Equal(["Pow"], names);
        Assert.False(byCheck.ContainsKey("b"));
    }

    [Fact]
    public void ASubmissionsSolutionIsFoundByItsIdOrElseJustBeforeItsCheck()
    {
        var submission = NotebookReader.Parse(new Fixture()
            .Code("var n = 1;")
            .Code("int A() => (int)Math.Pow(1, 1);") // the student removed the solution's metadata
            .Check("a", 1, "if (A() != 1) throw new global::System.Exception();")
            .Build().ToJsonString());
        var check = submission.Cells[2];

        Assert.Same(submission.Cells[1], DisallowedNames.SolutionIn(submission, "a_sol", check));
        Assert.Null(DisallowedNames.SolutionIn(submission, "a_sol", null));
    }

    [Fact]
    public void ANotAllowedEntryThatIsNotAListOfNamesIsReportedByTheLinter()
    {
        var notebook = new Fixture()
            .Parameters("var n = 1;")
            .Code("int A() =>\n    // BEGIN SOLUTION\n    1;\n    // END SOLUTION", m =>
            {
                m["nbgrader"] = new System.Text.Json.Nodes.JsonObject { ["grade_id"] = "a_sol", ["solution"] = true, ["grade"] = false };
                m["contrastive_notes"] = new System.Text.Json.Nodes.JsonObject { ["not_allowed"] = "Pow" };
            })
            .Check("a", 1, "if (A() != 1) throw new global::System.Exception();")
            .Profiles("""{"fast": {"n": 1}, "full": {"n": 2}}""")
            .Build();

        var problems = ContrastiveNotes.Notebooks.Linting.NotebookLinter.CheckText(notebook.ToJsonString(), "nb");

        Assert.Contains(problems, p => p.StartsWith("nb: cell 2: metadata.contrastive_notes.not_allowed must be a list of names", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(RepositoryPaths.CourseNotebookNames), MemberType = typeof(RepositoryPaths))]
    public void NoCourseKeyUsesANameItsOwnExerciseDoesNotAllow(string name)
    {
        var key = NotebookReader.Read(Path.Combine(RepositoryPaths.Notebooks, name));
        foreach (var cell in key.Cells.Where(c => c.IsCode))
            Assert.Empty(DisallowedNames.UsedIn(cell.Source, DisallowedNames.Of(cell).ToArray()));
    }
}
