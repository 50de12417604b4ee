using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Exercises;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>Student versions: solutions stripped, hidden tests removed, outputs cleared, bad markers refused.</summary>
public sealed class StudentVersionTests
{
    [Fact]
    public void SolutionsBecomeAPlaceholderAtTheirIndentationAndHiddenTestsDisappear()
    {
        const string source = "double Loss(double x)\n{\n    var y = x;\n    // BEGIN SOLUTION\n    return y * y;\n    // END SOLUTION\n}\nint Id(int x) =>\n        // BEGIN SOLUTION\n        x;\n        // END SOLUTION\n// BEGIN HIDDEN TESTS\nif (Loss(2) != 4) throw new Exception();\n// END HIDDEN TESTS\nConsole.WriteLine(1);";

        var stripped = StudentVersionMaker.Strip(source);

        Assert.Equal(
            "double Loss(double x)\n{\n    var y = x;\n    // YOUR CODE HERE\n    throw new NotImplementedException();\n}\nint Id(int x) =>\n        // YOUR CODE HERE\n        throw new NotImplementedException();\nConsole.WriteLine(1);",
            stripped);
    }

    [Theory]
    [InlineData("a\n// BEGIN SOLUTION\nb", 2, "never closed")]
    [InlineData("a\nb\n// END SOLUTION", 3, "has no matching")]
    [InlineData("// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\nx\n// END HIDDEN TESTS\n// END SOLUTION", 2, "nested")]
    [InlineData("// BEGIN HIDDEN TESTS\nx\n// END SOLUTION", 3, "has no matching")]
    public void UnbalancedOrNestedMarkersAreRefusedWithNotebookCellAndLine(string badSource, int line, string reason)
    {
        var document = NotebookReader.Parse(new Fixture().Code("var ok = 1;").Code(badSource).Build().ToJsonString());
        document.Path = "/course/04-moco.ipynb";

        var error = Assert.Throws<StudentVersionException>(() => StudentVersionMaker.Make(document));

        Assert.StartsWith($"04-moco: cell 2, line {line}:", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void GradingRestoresTheHiddenTestsAStudentVersionLost()
    {
        var key = NotebookReader.Parse(new Fixture()
            .Solution("f_sol", "int F() =>\n    // BEGIN SOLUTION\n    1;\n    // END SOLUTION")
            .Check("f", 1, "if (F() != 1) throw new Exception();\n// BEGIN HIDDEN TESTS\nif (F() + F() != 2) throw new Exception(\"hidden\");\n// END HIDDEN TESTS")
            .Build().ToJsonString());

        var student = StudentVersionMaker.Make(key);
        Assert.Equal("if (F() != 1) throw new Exception();", student.Cells[1].Source);
        student.Cells[0].Source = "int F() => 1;";

        CheckRestorer.Restore(student, key);

        Assert.Equal(key.Cells[1].Source, student.Cells[1].Source);
        Assert.Equal("int F() => 1;", student.Cells[0].Source);
    }

    [Fact]
    public void StripCommandWritesAValidStudentCopyAndNeverOverwritesItsInput()
    {
        using var temp = new TempFolder();
        var key = new Fixture()
            .Parameters("var n = 3;")
            .Solution("square_sol", "int Square(int x)\n{\n    // BEGIN SOLUTION\n    return x * x;\n    // END SOLUTION\n}")
            .Check("square", 2, "if (Square(3) != 9) throw new Exception(\"Square(3)\");\n// BEGIN HIDDEN TESTS\nif (Square(-2) != 4) throw new Exception(\"hidden\");\n// END HIDDEN TESTS")
            .Build();
        var cell = key["cells"]![1]!.AsObject();
        cell["execution_count"] = 4;
        cell["outputs"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "stdout", ["output_type"] = "stream", ["text"] = "old output\n" });
        var keyPath = temp.File("key.ipynb");
        File.WriteAllText(keyPath, key.ToJsonString());
        var original = File.ReadAllText(keyPath);

        var result = Tool.Run(temp.Path, "strip", keyPath, "--output", "student");

        Assert.True(result.ExitCode == 0, result.All);
        var student = NbformatValidation.AssertValid(temp.File("student/key.ipynb"));
        var text = student.ToJsonString();
        Assert.Contains("// YOUR CODE HERE", text);
        Assert.Contains("throw new NotImplementedException();", text);
        Assert.DoesNotContain("return x * x", text);
        Assert.DoesNotContain("HIDDEN", text);
        Assert.DoesNotContain("Square(-2)", text);
        Assert.Contains("Square(3) != 9", text);
        Assert.All(student["cells"]!.AsArray().Where(c => c!["cell_type"]!.GetValue<string>() == "code"), c =>
        {
            Assert.Empty(c!["outputs"]!.AsArray());
            Assert.Null(c["execution_count"]);
        });

        var refused = Tool.Run(temp.Path, "strip", keyPath, "--output", temp.Path);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Refusing to write the student version", refused.Stderr);
        Assert.Equal(original, File.ReadAllText(keyPath));
    }
}
