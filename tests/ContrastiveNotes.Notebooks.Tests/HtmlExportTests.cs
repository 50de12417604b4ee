using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Export;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// Static HTML export: markdown with math, code, and the outputs exactly as the kernel produced them (a chart's
/// plotly.js travels in the notebook's own first chart output, so the exporter adds nothing for charts).
/// </summary>
public sealed class HtmlExportTests
{
    private static string Chart(string id) =>
        $"<div id=\"{id}\"></div><script type=\"text/javascript\">Plotly.newPlot('{id}', [{{x:[1,2],y:[3,4]}}], {{}});</script>";

    private static JsonObject Display(string mime, string value) => new()
    {
        ["data"] = new JsonObject { [mime] = value },
        ["metadata"] = new JsonObject(),
        ["output_type"] = "display_data",
    };

    private static NotebookDocument Executed()
    {
        var document = NotebookReader.Parse(new Fixture()
            .Markdown("# Loss\nThe NT-Xent loss $\\ell_{i,j}$ and\n$$\n\\frac{a}{b}\n$$")
            .Code("display(chart1); display(chart2);", id: "charts")
            .Code("Console.Error.WriteLine(\"<warn>\");", id: "streams")
            .Build().ToJsonString());
        var charts = document.Cells.Single(c => c.Id == "charts");
        charts.ExecutionCount = 1;
        charts.Outputs.Add(Display("text/html", Chart("chart-one")));
        charts.Outputs.Add(Display("text/html", Chart("chart-two")));
        charts.Outputs.Add(Display("image/png", "iVBORw0KGgo="));
        var streams = document.Cells.Single(c => c.Id == "streams");
        streams.Outputs.Add(new JsonObject { ["name"] = "stderr", ["output_type"] = "stream", ["text"] = "<warn>\n" });
        return document;
    }

    [Fact]
    public void HtmlOutputsAreWrittenUnchangedAndNothingIsAddedForCharts()
    {
        var html = new HtmlExporter().Export(Executed());

        Assert.Contains($"<div class=\"output html\">{Chart("chart-one")}</div>", html);
        Assert.Contains($"<div class=\"output html\">{Chart("chart-two")}</div>", html);
        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        Assert.DoesNotContain("plotly", head, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void MarkdownMathCodeImagesAndStreamsAreRendered()
    {
        var html = new HtmlExporter().Export(Executed());

        Assert.Contains("<h1 id=\"loss\">Loss</h1>", html);
        Assert.Contains("\\(\\ell_{i,j}\\)", html);
        Assert.Contains("\\frac{a}{b}", html);
        Assert.Contains("<code class=\"language-csharp\">display(chart1); display(chart2);</code>", html);
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo=\">", html);
        Assert.Contains("<pre class=\"output stream stderr\">&lt;warn&gt;\n</pre>", html);
    }

    [Fact]
    public void MathGetsOneLocalKatexWithInlinedFontsAndNoNetworkUrls()
    {
        var html = new HtmlExporter().Export(Executed());

        Assert.Single(Regex.Matches(html, "renderMathInElement\\(document.body"));
        Assert.Contains("src:url(data:font/woff2;base64,", html);
        Assert.DoesNotContain("url(fonts/", html);
        Assert.True(html.IndexOf("katex", StringComparison.OrdinalIgnoreCase) < html.IndexOf("</head>", StringComparison.Ordinal));
    }

    [Fact]
    public void ANotebookWithoutMathCarriesNoKatex()
    {
        var document = NotebookReader.Parse(new Fixture().Markdown("text").Code("1").Build().ToJsonString());

        var html = new HtmlExporter().Export(document);

        Assert.DoesNotContain("katex", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ExportCommandWritesOneHtmlFilePerNotebook()
    {
        using var temp = new TempFolder();
        NotebookWriter.Write(Executed(), temp.File("executed/05-charts.ipynb"));

        var result = Tool.Run(temp.Path, "export-html", "executed", "--output", "html");

        Assert.True(result.ExitCode == 0, result.All);
        var html = File.ReadAllText(temp.File("html/05-charts.html"));
        Assert.Contains(Chart("chart-two"), html);
    }

    [Fact]
    public void DisplayMathInsideAParagraphStaysDisplayAndKeepsItsBraceGroups()
    {
        var html = MarkdownRendering.ToHtml("Inline $a_{i}$ and\n$$x = \\begin{cases} 1 & y \\\\ 0 & \\text{else} \\end{cases}$$\nin one paragraph.");

        Assert.Contains(@"\(a_{i}\)", html);
        Assert.Contains(@"\[x = \begin{cases} 1 &amp; y \\ 0 &amp; \text{else} \end{cases}\]", html);
    }
}

/// <summary>
/// Every course notebook's math, exported to HTML and rendered by KaTeX in headless Chromium (offline): no KaTeX error
/// node, no formula left unrendered, and as many display formulas as the markdown has <c>$$...$$</c> blocks.
/// </summary>
public sealed class MathRenderingTests
{
    [Theory]
    [MemberData(nameof(RepositoryPaths.CourseNotebookNames), MemberType = typeof(RepositoryPaths))]
    public void EveryFormulaRendersAsKaTeXParsesItWithDisplayWhereTheSourceIsDisplay(string name)
    {
        using var temp = new TempFolder();
        var notebook = NotebookReader.Read(Path.Combine(RepositoryPaths.Notebooks, name));
        var page = temp.File(Path.ChangeExtension(name, ".html"));
        File.WriteAllText(page, new HtmlExporter().Export(notebook));
        var displayBlocks = notebook.Cells.Where(c => c.CellType == "markdown").Sum(c => Regex.Matches(c.Source, @"\$\$").Count) / 2;

        var math = ChromiumPage.Math(page);

        Assert.True(math.Errors.Count == 0, $"KaTeX could not parse: {string.Join(" | ", math.Errors)}");
        Assert.Equal(0, math.Unrendered);
        Assert.Equal(displayBlocks, math.Displays);
    }
}
