using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Export;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>Static HTML export: markdown with math, code, outputs, and one offline plotly.js for all charts.</summary>
public sealed class HtmlExportTests
{
    // A line that appears exactly once at the top of every plotly.min.js build.
    private const string PlotlyLicenseLine = "For license information please see plotly.min.js.LICENSE.txt";

    private static string Chart(string id) =>
        $"<div id=\"{id}\"></div><script type=\"text/javascript\">(function(){{ var draw = function(){{ Plotly.newPlot('{id}', [{{x:[1,2],y:[3,4]}}], {{}}); }}; " +
        $"if (window.Plotly) {{ draw(); }} else {{ var s = document.createElement('script'); s.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js'; s.onload = draw; document.head.appendChild(s); }} }})();</script>";

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
        charts.Outputs.Add(Display("text/html", "<script src=\"https://cdn.plot.ly/plotly-2.28.0.min.js\"></script>" + Chart("chart-two")));
        charts.Outputs.Add(Display("image/png", "iVBORw0KGgo="));
        var streams = document.Cells.Single(c => c.Id == "streams");
        streams.Outputs.Add(new JsonObject { ["name"] = "stderr", ["output_type"] = "stream", ["text"] = "<warn>\n" });
        return document;
    }

    [Fact]
    public void Two_charts_share_one_inlined_plotly_and_load_nothing_from_a_cdn()
    {
        var html = new HtmlExporter().Export(Executed());

        Assert.Single(Regex.Matches(html, Regex.Escape(PlotlyLicenseLine)));
        Assert.True(html.IndexOf(PlotlyLicenseLine, StringComparison.Ordinal) < html.IndexOf("</head>", StringComparison.Ordinal), "plotly.js belongs in the head, before the charts");
        Assert.Contains("<div id=\"chart-one\"></div>", html);
        Assert.Contains("<div id=\"chart-two\"></div>", html);
        Assert.DoesNotContain("<script src=\"https://cdn.plot.ly", html);
        Assert.True(html.Length > 1_000_000, "the inlined plotly.js is missing");
    }

    [Fact]
    public void Markdown_math_code_images_and_streams_are_rendered()
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
    public void Math_gets_one_local_katex_with_inlined_fonts_and_no_network_urls()
    {
        var html = new HtmlExporter().Export(Executed());

        Assert.Single(Regex.Matches(html, "renderMathInElement\\(document.body"));
        Assert.Contains("src:url(data:font/woff2;base64,", html);
        Assert.DoesNotContain("url(fonts/", html);
        Assert.True(html.IndexOf("katex", StringComparison.OrdinalIgnoreCase) < html.IndexOf("</head>", StringComparison.Ordinal));
    }

    [Fact]
    public void A_notebook_without_charts_or_math_carries_neither_plotly_nor_katex()
    {
        var document = NotebookReader.Parse(new Fixture().Markdown("text").Code("1").Build().ToJsonString());

        var html = new HtmlExporter().Export(document);

        Assert.DoesNotContain(PlotlyLicenseLine, html);
        Assert.DoesNotContain("katex", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Export_command_writes_one_html_file_per_notebook()
    {
        using var temp = new TempFolder();
        NotebookWriter.Write(Executed(), temp.File("executed/05-charts.ipynb"));

        var result = Tool.Run(temp.Path, "export-html", "executed", "--output", "html");

        Assert.True(result.ExitCode == 0, result.All);
        var html = File.ReadAllText(temp.File("html/05-charts.html"));
        Assert.Single(Regex.Matches(html, Regex.Escape(PlotlyLicenseLine)));
    }
}
