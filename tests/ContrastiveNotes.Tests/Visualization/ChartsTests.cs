using ContrastiveNotes.Data;
using ContrastiveNotes.Evaluation;
using ContrastiveNotes.Visualization;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Visualization;

public class ChartsTests
{
    private static JsonNode Figure(ChartView chart) => JsonNode.Parse(chart.ToJson())!;

    private static double[] Numbers(JsonNode? array) => array!.AsArray().Select(v => (double)v!).ToArray();

    [Fact]
    public void TrainingCurvesHaveOneTracePerRunTitleAndAxisLabels()
    {
        var chart = Charts.TrainingCurves(new[] { CurveSeries.FromValues("τ=0.1", new[] { 3.0, 2.0, double.NaN }), CurveSeries.FromValues("τ=0.5", new[] { 3.0, 2.5, 2.2 }) }, "SimCLR loss");
        var figure = Figure(chart);
        Assert.Equal(2, figure["data"]!.AsArray().Count);
        Assert.Equal("SimCLR loss", (string?)figure["layout"]!["title"]!["text"]);
        Assert.Equal("epoch", (string?)figure["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal("loss", (string?)figure["layout"]!["yaxis"]!["title"]!["text"]);
        Assert.Null(figure["data"]![0]!["y"]![2]);
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, Numbers(figure["data"]![0]!["x"]!));
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
        var data = figure["data"]!.AsArray();
        Assert.Equal(new[] { "T-shirt", "Trouser" }, data.Select(t => (string?)t!["name"]));
        Assert.Equal(new[] { 1.0, 3.0 }, Numbers(data[0]!["x"]!));
        Assert.Equal(new[] { 0.0, 2.0 }, Numbers(data[1]!["y"]!));
    }

    [Fact]
    public void HeatmapMarksPositivePairs()
    {
        var figure = Figure(Charts.SimilarityHeatmap(torch.eye(4), new[] { (0, 2), (2, 0) }));
        var data = figure["data"]!.AsArray();
        Assert.Equal("heatmap", (string?)data[0]!["type"]);
        Assert.Equal(4, data[0]!["z"]!.AsArray().Count);
        Assert.Equal(new[] { 2.0, 0.0 }, Numbers(data[1]!["x"]!));
        Assert.Equal(new[] { 0.0, 2.0 }, Numbers(data[1]!["y"]!));
        Assert.Equal("reversed", (string?)figure["layout"]!["yaxis"]!["autorange"]);
        // The colour bar leaves the top of the right margin to the legend, so "positive pair" is not drawn over it.
        var colorbar = data[0]!["colorbar"]!;
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
        Assert.Equal(new[] { 10.0, 1000.0 }, Numbers(figure["data"]![0]!["x"]!));

        // softmax([1, 0] / 0.5) = [e^2, 1] / (e^2 + 1), hand-computed.
        var temperature = Figure(Charts.TemperatureEffect(new[] { 1.0, 0.0 }, new[] { 0.5, 1.0 }));
        var probabilities = Numbers(temperature["data"]![0]!["y"]);
        Assert.Equal(Math.Exp(2) / (Math.Exp(2) + 1), probabilities[0], 10);
        Assert.Equal(1 / (Math.Exp(2) + 1), probabilities[1], 10);
        Assert.Equal("group", (string?)temperature["layout"]!["barmode"]);
    }

    [Fact]
    public void ClassStylesColourAndShapeTheMarkersAsTheLegendNamesThem()
    {
        var points = torch.tensor(new float[] { 0, 0, 1, 1, 2, 2 }).reshape(3, 2);
        var labels = torch.tensor(new long[] { 0, 1, 0 });
        var styles = new[] { new MarkerStyle(SyntheticShapes.CssColor(5), "triangle-up"), new MarkerStyle(SyntheticShapes.CssColor(0)) };

        var data = Figure(Charts.EmbeddingScatter(points, labels, new[] { "cyan triangle", "red circle" }, "shapes", "r", "g", styles))["data"]!.AsArray();

        Assert.Equal(("cyan triangle", "#00ffff", "triangle-up"), ((string)data[0]!["name"]!, (string)data[0]!["marker"]!["color"]!, (string)data[0]!["marker"]!["symbol"]!));
        Assert.Equal(("red circle", "#ff0000", "circle"), ((string)data[1]!["name"]!, (string)data[1]!["marker"]!["color"]!, (string)data[1]!["marker"]!["symbol"]!));
        Assert.Throws<ArgumentException>(() => Charts.EmbeddingScatter(points, labels, null, "t", "x", "y", styles[..1]));
    }

    [Fact]
    public void HeatmapCellsAreSquareWithoutZeroLinesAndOutlinesFitInsideThem()
    {
        var layout = Figure(Charts.SimilarityHeatmap(torch.eye(20), new[] { (0, 1) }));

        Assert.Equal("x", (string?)layout["layout"]!["yaxis"]!["scaleanchor"]);
        Assert.False((bool)layout["layout"]!["xaxis"]!["zeroline"]!);
        Assert.False((bool)layout["layout"]!["yaxis"]!["zeroline"]!);
        // 480 px for 20 cells: 24 px per cell; the outline is 80 % of it.
        Assert.Equal(0.8 * 480 / 20, (double)layout["data"]![1]!["marker"]!["size"]!, 6);
    }

    [Fact]
    public void AxesGrowTheirMarginForLongTickLabelsSoTitlesDoNotOverlapThem()
    {
        var layout = Figure(Charts.MethodComparison(new[] { ("a very long method name, kNN", 0.5) }, "t", "accuracy"))["layout"]!;

        Assert.True((bool)layout["xaxis"]!["automargin"]!);
        Assert.True((bool)layout["yaxis"]!["automargin"]!);
    }
}
