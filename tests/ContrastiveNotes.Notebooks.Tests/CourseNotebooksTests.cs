using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// The course itself: every notebook in notebooks/ passes the linter, the README's "run the course"
/// command executes them all in the fast profile on the real C# kernel without an error and without a
/// line on stderr (compiler warnings included: a student sees those under the cell), and the student version of every
/// notebook with exercises scores 0 on each check when graded against the instructor version, with
/// the check's hint shown. One class, so these heavy runs never overlap each other.
/// </summary>
public sealed class CourseNotebooksTests
{
    private static readonly TimeSpan CourseTimeout = TimeSpan.FromMinutes(25);

    public static TheoryData<string> NotebooksWithExercises()
    {
        var data = new TheoryData<string>();
        foreach (var path in CourseNotebooks().Where(p => GradedCells(JsonNode.Parse(File.ReadAllText(p))!.AsObject()).Any()))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void TheCourseHasItsEightNotebooksInOrder()
    {
        var names = CourseNotebooks().Select(Path.GetFileName).ToArray();
        Assert.Equal(8, names.Length);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i:00}-"), names.Select(n => n![..3]));
    }

    [Fact]
    public void EveryNotebookPassesTheLinter()
    {
        var result = Tool.Run(RepositoryRoot, "check", "notebooks");
        Assert.True(result.ExitCode == 0, result.All);
    }

    [Fact]
    public void TheReadmeCommandRunsTheWholeCourseInTheFastProfile()
    {
        using var temp = new TempFolder();
        string output = temp.File("executed");

        var result = Tool.Run(RepositoryRoot, CourseTimeout, "run", "notebooks", "--profile", "fast", "--output", output);

        Assert.True(result.ExitCode == 0, result.All);
        AssertEveryPageDrawsItsCharts(output, temp.File("html"));
        foreach (var notebook in CourseNotebooks())
        {
            var executed = NbformatValidation.AssertValid(Path.Combine(output, Path.GetFileName(notebook)));
            var errors = CodeCells(executed).SelectMany(Outputs).Where(o => (string?)o["output_type"] == "error").ToList();
            Assert.True(errors.Count == 0, $"{Path.GetFileName(notebook)} has error outputs: {string.Join("; ", errors.Select(e => (string?)e["evalue"]))}");
            var stderr = CodeCells(executed).SelectMany(Outputs).Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stderr").ToList();
            Assert.True(stderr.Count == 0, $"{Path.GetFileName(notebook)} wrote to stderr: {string.Join("; ", stderr.Select(o => OutputText(o)))}");
            var fast = JsonNode.Parse(File.ReadAllText(notebook))!["metadata"]!["contrastive_notes"]!["profiles"]!["fast"]!;
            var injected = executed["metadata"]!["papermill"]!["parameters"]!;
            Assert.True(JsonNode.DeepEquals(fast, injected), $"{Path.GetFileName(notebook)} ran with {injected.ToJsonString()}, not the fast profile {fast.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(NotebooksWithExercises))]
    public void TheStudentVersionFailsEveryCheckWithItsHint(string notebookName)
    {
        using var temp = new TempFolder();
        string key = Path.Combine(RepositoryRoot, "notebooks", notebookName);
        var strip = Tool.Run(RepositoryRoot, "strip", key, "--output", temp.File("submissions"));
        Assert.True(strip.ExitCode == 0, strip.All);

        var grade = Tool.Run(RepositoryRoot, CourseTimeout, "grade", temp.File("submissions"), "--key", key, "--output", temp.File("grades"));

        Assert.True(grade.ExitCode == 0, grade.All);
        string student = Path.GetFileNameWithoutExtension(notebookName);
        var scores = temp.File($"grades/{student}/scores.csv");
        var header = File.ReadAllLines(scores)[0].Split(',');
        var row = File.ReadAllLines(scores).Single(l => l.StartsWith(student + ",")).Split(',');
        int total = Array.IndexOf(header, "total");
        Assert.True(total > 1, $"scores.csv has no total column: {string.Join(',', header)}");
        Assert.All(Enumerable.Range(1, total - 1), i => Assert.True(row[i] == "0", $"{header[i]} scored {row[i]} for the stripped notebook"));

        var executed = JsonNode.Parse(File.ReadAllText(temp.File($"grades/{student}/executed/{student}.ipynb")))!.AsObject();
        foreach (var check in GradedCells(executed))
        {
            string id = (string)check["metadata"]!["nbgrader"]!["grade_id"]!;
            string text = string.Concat(Outputs(check).Select(o => OutputText(o)));
            Assert.True(text.Contains("Hint:"), $"check '{id}' in the student version of {notebookName} shows no hint; its output was: {text}");
            Assert.Contains(Outputs(check), o => (string?)o["output_type"] == "error");
        }
    }

    /// <summary>
    /// What a student sees with Run All on untouched student versions (as in VS Code, where a failing cell stops Run
    /// All): every notebook runs to its end, every unsolved check prints its failure with the hint on stderr, and no
    /// cell fails.
    /// </summary>
    [Fact]
    public void RunAllOnTheStudentVersionsReachesTheEndWithEveryUnsolvedCheckShowingItsHint()
    {
        using var temp = new TempFolder();
        var strip = Tool.Run(RepositoryRoot, "strip", "notebooks", "--output", temp.File("student"));
        Assert.True(strip.ExitCode == 0, strip.All);

        var run = Tool.Run(RepositoryRoot, CourseTimeout, "run", temp.File("student"), "--profile", "fast",
            "--output", temp.File("executed"), "--base-directory", Path.Combine(RepositoryRoot, "notebooks"));

        Assert.True(run.ExitCode == 0, run.All);
        foreach (var notebook in CourseNotebooks())
        {
            var executed = NbformatValidation.AssertValid(temp.File($"executed/{Path.GetFileName(notebook)}"));
            Assert.All(CodeCells(executed), cell => Assert.NotNull(cell["execution_count"]?.GetValue<int?>()));
            Assert.DoesNotContain(CodeCells(executed).SelectMany(Outputs), o => (string?)o["output_type"] == "error");
            foreach (var check in GradedCells(executed))
            {
                var stderr = string.Concat(Outputs(check).Where(o => (string?)o["name"] == "stderr").Select(o => OutputText(o)));
                Assert.True(stderr.Contains("Hint:", StringComparison.Ordinal), $"{Path.GetFileName(notebook)}: check '{check["metadata"]!["nbgrader"]!["grade_id"]}' printed no hint: {stderr}");
            }
        }
    }

    private static string RepositoryRoot => RepositoryPaths.Root;

    /// <summary>
    /// The page-level check: every executed notebook exported to HTML and rendered in headless Chromium (offline) draws
    /// every trace of every chart, no axis title overlaps a tick label, and no legend names a colour its entry is not
    /// drawn in. Screenshots stay in artifacts/screenshots for a person to look at.
    /// </summary>
    private static void AssertEveryPageDrawsItsCharts(string executed, string html)
    {
        var export = Tool.Run(RepositoryRoot, "export-html", executed, "--output", html);
        Assert.True(export.ExitCode == 0, export.All);
        foreach (var page in Directory.GetFiles(html, "*.html").Where(p => !Path.GetFileName(p).StartsWith("probed-", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(page);
            var charts = ChromiumPage.Charts(page, Path.Combine(RepositoryPaths.Screenshots, name + ".png"));
            Assert.All(charts, chart =>
            {
                Assert.True(chart.Traces > 0 && chart.Drawn == chart.Traces, $"{name}: chart {chart.Id} drew {chart.Drawn} of its {chart.Traces} traces");
                Assert.True(chart.Overlaps.Count == 0, $"{name}: chart {chart.Id}: {string.Join("; ", chart.Overlaps)}");
                Assert.True(chart.LegendMismatches.Count == 0, $"{name}: chart {chart.Id}: {string.Join("; ", chart.LegendMismatches)}");
            });
        }
    }

    private static IEnumerable<string> CourseNotebooks() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "notebooks"), "*.ipynb").OrderBy(p => p, StringComparer.Ordinal);

    private static IEnumerable<JsonObject> CodeCells(JsonObject notebook) =>
        notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code");

    private static IEnumerable<JsonObject> GradedCells(JsonObject notebook) =>
        CodeCells(notebook).Where(c => c["metadata"]?["nbgrader"]?["grade"]?.GetValue<bool>() == true);

    private static IEnumerable<JsonObject> Outputs(JsonObject cell) =>
        (cell["outputs"]?.AsArray() ?? new JsonArray()).Select(o => o!.AsObject());

    private static string OutputText(JsonObject output)
    {
        var text = output["text"] ?? output["data"]?["text/plain"];
        return text switch
        {
            JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
            JsonValue value => (string?)value ?? "",
            _ => (string?)output["evalue"] ?? "",
        };
    }
}
