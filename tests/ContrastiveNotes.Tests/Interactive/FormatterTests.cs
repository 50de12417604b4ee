using System.Text.RegularExpressions;
using ContrastiveNotes.Interactive;
using ContrastiveNotes.Visualization;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;

namespace ContrastiveNotes.Tests.Interactive;

/// <summary>
/// Formats the display types through Microsoft.DotNet.Interactive.Formatting, the engine the .NET Interactive kernel
/// (and the course's headless runner) uses, which finds our formatters by the TypeFormatterSource convention.
/// </summary>
public class FormatterTests
{
    private const string PlotlyBanner = "plotly.js (cartesian - minified) v" + PlotlyJs.Version;

    [Fact]
    public void ChartViewFormatsAsItsPlotlyHtmlAndOnlyTheFirstChartCarriesPlotlyJs()
    {
        PlotlyJs.ForgetDelivery(); // as in a new kernel session
        var chart = Charts.MethodComparison(new[] { ("SimCLR", 0.81), ("</script>", 0.7) }, "kNN accuracy", "accuracy");
        string first = chart.ToDisplayString("text/html");
        string second = chart.ToDisplayString("text/html");

        Assert.Single(Regex.Matches(first, Regex.Escape(PlotlyBanner)));
        Assert.True(first.IndexOf(PlotlyBanner, StringComparison.Ordinal) < first.IndexOf("class=\"contrastive-chart\"", StringComparison.Ordinal), "plotly.js comes before the chart that uses it");
        Assert.DoesNotContain(PlotlyBanner, second);
        Assert.True(second.Length < 20_000, "later charts carry only their figure");
        foreach (var html in new[] { first, second })
        {
            var id = Regex.Match(html, "<div id=\"([^\"]+)\" class=\"contrastive-chart\"").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(id), html[..200]);
            Assert.Contains($"document.getElementById('{id}')", html);
            Assert.Contains("Plotly.newPlot(div, ", html);
            Assert.DoesNotContain("cdn.", html.Replace(PlotlyJs.MinifiedSource.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase), ""));
        }

        var chartPart = second;
        Assert.Single(Regex.Matches(chartPart, "\"SimCLR\""));
        Assert.DoesNotContain("</script>\"", chartPart);
        Assert.Single(Regex.Matches(chartPart, "</script>"));
        Assert.Equal("Chart \"kNN accuracy\" (1 trace)", chart.ToDisplayString("text/plain"));
        // Every rendering gets its own element id.
        Assert.NotEqual(Regex.Match(first, "<div id=\"([^\"]+)\"").Value, Regex.Match(second, "<div id=\"([^\"]+)\"").Value);
    }

    [Fact]
    public void TheEmbeddedPlotlyJsIsTheVendoredNpmFileWithItsRecordedChecksum()
    {
        var vendor = Path.Combine(ContrastiveNotes.Data.RepositoryRoot.Find() ?? throw new InvalidOperationException("no repository above the tests"), "lib", "ContrastiveNotes", "Visualization", "Vendor", "plotly.js-cartesian-dist-min");
        var bytes = File.ReadAllBytes(Path.Combine(vendor, "plotly-cartesian.min.js"));
        var fileSha = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();

        Assert.Equal(fileSha, PlotlyJs.Sha256);
        Assert.Contains(fileSha, File.ReadAllText(Path.Combine(vendor, "README.md")));
        Assert.Contains($"\"version\": \"{PlotlyJs.Version}\"", File.ReadAllText(Path.Combine(vendor, "package.json")));
        Assert.StartsWith("/**\n* " + PlotlyBanner, PlotlyJs.MinifiedSource);
    }

    [Fact]
    public void ImageGridFormatsAsItsHtmlTable()
    {
        var grid = ImageGrid.FromImages(torch.zeros(2, 1, 3, 3), columns: 2);
        Assert.Equal(grid.ToHtml(), grid.ToDisplayString("text/html"));
        Assert.Contains("data:image/png;base64,", grid.ToDisplayString("text/html"));
        Assert.StartsWith("ImageGrid 1×2", grid.ToDisplayString("text/plain"));
    }

    [Fact]
    public void TrainingProgressFormatsWithSparkline()
    {
        var progress = new TrainingProgressView
        {
            Epoch = 2, TotalEpochs = 10, Step = 150, TotalSteps = 500, Loss = 4.25, ImagesPerSecond = 812,
            Eta = TimeSpan.FromSeconds(83), LearningRate = 3e-4, RecentLosses = new[] { 5.0, 4.5, 4.25 },
        };
        string html = progress.ToDisplayString("text/html");
        Assert.Contains("<svg class=\"contrastive-sparkline\"", html);
        Assert.Contains("<progress value=\"150\" max=\"500\"", html);
        // Sparkline: 160x32 box, x from 1 to 159, highest loss at the top (y = 1), lowest at the bottom (y = 31);
        // 4.5 sits a third of the way up from 4.25 to 5: y = 31 - 30/3 = 21; middle x = 1 + 158/2 = 80.
        Assert.Contains("points=\"1,1 80,21 159,31\"", html);
        Assert.Equal("epoch 2/10 · step 150/500 (30%) · loss 4.2500 · 812 img/s · ETA 1:23 · lr 3.0e-04", progress.ToDisplayString("text/plain"));
    }

    [Fact]
    public void MetricTableFormatsAsHtmlTableAndAlignedText()
    {
        var table = new MetricTable("Frozen-feature evaluation", "method", "kNN", "linear")
            .AddRow("SimCLR", 0.81234, 0.85)
            .AddRow("<MoCo>", 0.8, 0.84);
        string html = table.ToDisplayString("text/html");
        Assert.Contains("<caption style=\"font-weight:bold;text-align:left\">Frozen-feature evaluation</caption>", html);
        Assert.Contains("<td>0.8123</td>", html);
        Assert.Contains("<td>&lt;MoCo&gt;</td>", html);
        Assert.Equal("Frozen-feature evaluation\nmethod  kNN     linear\nSimCLR  0.8123  0.85\n<MoCo>  0.8     0.84", table.ToDisplayString("text/plain").Replace("\r\n", "\n"));
        Assert.Throws<ArgumentException>(() => table.AddRow("too few"));
    }

    [Fact]
    public void CourseInfoFormatsAsHtml()
    {
        var info = new CourseInfo("cpu", "Using cpu.", 2, 42, "0.107.0", "1.0.0", true);
        Assert.StartsWith("<div class=\"contrastive-course-info\"", info.ToDisplayString("text/html"));
    }
}
