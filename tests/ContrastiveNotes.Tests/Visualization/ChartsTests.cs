using ContrastiveNotes.Evaluation;
using ContrastiveNotes.Visualization;
using Newtonsoft.Json.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Visualization;

public class ChartsTests
{
    private static JObject Figure(ChartView chart) => JObject.Parse(chart.ToJson());

    [Fact]
    public void TrainingCurvesHaveOneTracePerRunTitleAndAxisLabels()
    {
        var chart = Charts.TrainingCurves(new[] { CurveSeries.FromValues("τ=0.1", new[] { 3.0, 2.0, double.NaN }), CurveSeries.FromValues("τ=0.5", new[] { 3.0, 2.5, 2.2 }) }, "SimCLR loss");
        var figure = Figure(chart);
        Assert.Equal(2, ((JArray)figure["data"]!).Count);
        Assert.Equal("SimCLR loss", (string?)figure["layout"]!["title"]!["text"]);
        Assert.Equal("epoch", (string?)figure["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal("loss", (string?)figure["layout"]!["yaxis"]!["title"]!["text"]);
        Assert.Equal(JTokenType.Null, figure["data"]![0]!["y"]![2]!.Type);
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, figure["data"]![0]!["x"]!.Select(v => (double)v));
    }

    [Fact]
    public void PlotlyNetChartsCanBeWrappedForDisplay()
    {
        var trace = new Plotly.NET.Trace("scatter");
        trace.SetProperty("x", new[] { 1.0, 2.0 });
        trace.SetProperty("y", new[] { 3.0, 4.0 });
        var chart = ChartView.FromPlotly(Plotly.NET.GenericChart.ofTraceObject(false, trace), "From Plotly.NET");
        var figure = Figure(chart);
        Assert.Equal(new[] { 3.0, 4.0 }, figure["data"]![0]!["y"]!.Select(v => (double)v));
        Assert.Same(chart.Plotly, chart.Plotly);
        Assert.NotNull(chart.Plotly);
        Assert.Null(Charts.MethodComparison(new[] { ("a", 1.0) }, "t", "y").Plotly);
    }

    [Fact]
    public void BlankTitlesAndAxisLabelsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Charts.TrainingCurves(Array.Empty<CurveSeries>(), " "));
        Assert.Throws<ArgumentException>(() => Charts.MethodComparison(new[] { ("a", 1.0) }, "Accuracy", yLabel: ""));
    }

    [Fact]
    public void EmbeddingScatterNamesClassesInTheLegend()
    {
        var points = torch.tensor(new float[] { 0, 0, 1, 1, 2, 2, 3, 3 }).reshape(4, 2);
        var labels = torch.tensor(new long[] { 1, 0, 1, 0 });
        var figure = Figure(Charts.EmbeddingScatter(points, labels, new[] { "T-shirt", "Trouser" }, "t-SNE of SimCLR features", "t-SNE 1", "t-SNE 2"));
        var data = (JArray)figure["data"]!;
        Assert.Equal(new[] { "T-shirt", "Trouser" }, data.Select(t => (string?)t["name"]));
        Assert.Equal(new[] { 1.0, 3.0 }, data[0]["x"]!.Select(v => (double)v));
        Assert.Equal(new[] { 0.0, 2.0 }, data[1]["y"]!.Select(v => (double)v));
    }

    [Fact]
    public void HeatmapMarksPositivePairs()
    {
        var figure = Figure(Charts.SimilarityHeatmap(torch.eye(4), new[] { (0, 2), (2, 0) }));
        var data = (JArray)figure["data"]!;
        Assert.Equal("heatmap", (string?)data[0]["type"]);
        Assert.Equal(4, ((JArray)data[0]["z"]!).Count);
        Assert.Equal(new[] { 2.0, 0.0 }, data[1]["x"]!.Select(v => (double)v));
        Assert.Equal(new[] { 0.0, 2.0 }, data[1]["y"]!.Select(v => (double)v));
        Assert.Equal("reversed", (string?)figure["layout"]!["yaxis"]!["autorange"]);
        // The colour bar leaves the top of the right margin to the legend, so "positive pair" is not drawn over it.
        var colorbar = data[0]["colorbar"]!;
        Assert.True((double)colorbar["len"]! + (double)colorbar["y"]! <= 0.8, "colour bar reaches into the legend's corner");
        Assert.Equal("bottom", (string?)colorbar["yanchor"]);
    }

    [Fact]
    public void TrainingCurvesCanUseLogarithmicAxes()
    {
        var runs = new[] { new CurveSeries("SimCLR", new[] { 126.0, 8190.0 }, new[] { 128.0, 8192.0 }) };
        var linear = Figure(Charts.TrainingCurves(runs, "memory", "negatives", "images"));
        Assert.Null(linear["layout"]!["xaxis"]!["type"]);
        Assert.Null(linear["layout"]!["yaxis"]!["type"]);
        var logLog = Figure(Charts.TrainingCurves(runs, "memory", "negatives", "images", logY: true, logX: true));
        Assert.Equal("log", (string?)logLog["layout"]!["xaxis"]!["type"]);
        Assert.Equal("log", (string?)logLog["layout"]!["yaxis"]!["type"]);
    }

    [Fact]
    public void LabelEfficiencyUsesALogAxisAndTemperatureBarsAreSoftmaxes()
    {
        var series = new LabelEfficiencySeries("probe", new[] { new LabelEfficiencyPoint(1, 0.5, 10), new LabelEfficiencyPoint(LabelEfficiency.All, 0.9, 1000) });
        var figure = Figure(Charts.LabelEfficiencyCurves(new[] { series }));
        Assert.Equal("log", (string?)figure["layout"]!["xaxis"]!["type"]);
        Assert.Equal(new[] { 10.0, 1000.0 }, figure["data"]![0]!["x"]!.Select(v => (double)v));

        // softmax([1, 0] / 0.5) = [e^2, 1] / (e^2 + 1), hand-computed.
        var temperature = Figure(Charts.TemperatureEffect(new[] { 1.0, 0.0 }, new[] { 0.5, 1.0 }));
        var probabilities = temperature["data"]![0]!["y"]!.Select(v => (double)v).ToArray();
        Assert.Equal(Math.Exp(2) / (Math.Exp(2) + 1), probabilities[0], 10);
        Assert.Equal(1 / (Math.Exp(2) + 1), probabilities[1], 10);
        Assert.Equal("group", (string?)temperature["layout"]!["barmode"]);
    }
}
