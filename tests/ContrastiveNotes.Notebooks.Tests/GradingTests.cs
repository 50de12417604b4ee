using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>Grading a correct, a wrong (and tampering), a crashing and a hanging submission in one run.</summary>
public sealed class GradingTests
{
    private static Fixture Key() => new Fixture()
        .Parameters("var n = 10;")
        .Solution("square_sol", "int Square(int x)\n{\n    // BEGIN SOLUTION\n    return x * x;\n    // END SOLUTION\n}")
        .Check("square", 2, "if (Square(3) != 9) throw new Exception(\"Square(3) should be 9\");\n// BEGIN HIDDEN TESTS\nif (Square(-2) != 4) throw new Exception(\"hidden: Square(-2) should be 4\");\n// END HIDDEN TESTS")
        .Solution("twice_sol", "int Twice(int x) =>\n    // BEGIN SOLUTION\n    2 * x;\n    // END SOLUTION")
        .Check("twice", 3, "if (n != 2) throw new Exception(\"the fast profile was not used\");\nif (Twice(n) != 2 * n) throw new Exception(\"Twice\");")
        .Profiles("""{"fast": {"n": 2}, "full": {"n": 1000}}""");

    private static void Submission(string path, string square, string twice, string? squareCheck = null)
    {
        var notebook = Key().Build();
        var cells = notebook["cells"]!.AsArray();
        cells[1]!["source"] = square;
        cells[3]!["source"] = twice;
        if (squareCheck is not null)
        {
            cells[2]!["source"] = squareCheck;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, notebook.ToJsonString());
    }

    [Fact]
    public void Grade_scores_each_student_per_exercise_and_survives_crashes_and_hangs()
    {
        using var temp = new TempFolder();
        var key = Key().Save(temp.File("key/key.ipynb"));
        Submission(temp.File("subs/alice.ipynb"), "int Square(int x) => x * x;", "int Twice(int x) => 2 * x;");
        // Wrong for negative numbers only (caught by the hidden test) and tampers with the visible check.
        Submission(temp.File("subs/bob.ipynb"), "int Square(int x) => x < 0 ? 0 : x * x;", "int Twice(int x) => x + x;", squareCheck: "// nothing to see");
        Submission(temp.File("subs/carol.ipynb"), "int Square(int x) => x * x;", "int Twice(int x) => 2 * x;\nEnvironment.Exit(42);");
        Submission(temp.File("subs/dave.ipynb"), "int Square(int x) => x * x;", "int Twice(int x) => 2 * x;\nwhile (true) { }");
        File.WriteAllText(temp.File("subs/erin.ipynb"), "{ not json");

        var result = Tool.Run(temp.Path, "grade", "subs", "--key", key, "--output", "grades", "--cell-timeout", "10", "--timeout", "120");

        Assert.True(result.ExitCode == 0, result.All);
        var csv = File.ReadAllLines(temp.File("grades/scores.csv"));
        Assert.Equal(
            [
                "student,square,twice,total,max,status",
                "alice,2,3,5,5,completed",
                "bob,0,3,3,5,failed",
                "carol,2,0,2,5,crashed",
                "dave,2,0,2,5,timeout",
                "erin,0,0,0,5,invalid",
            ],
            csv);
        var markdown = File.ReadAllText(temp.File("grades/scores.md"));
        Assert.Contains("| alice | 2 | 3 | 5 / 5 | completed |", markdown);
        Assert.Contains("bob / square: Exception: hidden: Square(-2) should be 4", markdown);
        NbformatValidation.AssertValid(temp.File("grades/executed/alice.ipynb"));
        NbformatValidation.AssertValid(temp.File("grades/executed/dave.ipynb"));
    }
}
