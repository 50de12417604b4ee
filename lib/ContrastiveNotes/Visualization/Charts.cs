using System.Globalization;
using ContrastiveNotes.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// The course's chart factory: Plotly figures (the JSON schema plotly.js and Plotly.NET share) for the charts the
/// course needs. Every chart has a title and axis labels, which the methods require (blank strings are rejected), so
/// no notebook shows an unlabelled plot. Each returns a <see cref="ChartView"/> that renders inline in a notebook.
/// The figures are built as plain JSON, so displaying them never loads FSharp.Core (see <see cref="ChartView"/>).
/// </summary>
public static class Charts
{
    /// <summary>Several runs' curves on one chart, e.g. loss per epoch of SimCLR at different temperatures.</summary>
    /// <param name="runs">One series per run.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    /// <param name="yLabel">Vertical axis label.</param>
    /// <param name="logY">Logarithmic vertical axis (useful for losses spanning orders of magnitude).</param>
    /// <param name="logX">Logarithmic horizontal axis (useful when x spans orders of magnitude, e.g. numbers of negatives).</param>
    public static ChartView TrainingCurves(IEnumerable<CurveSeries> runs, string title = "Training loss", string xLabel = "epoch", string yLabel = "loss", bool logY = false, bool logX = false)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var traces = runs.Select(run =>
        {
            if (run.X.Count != run.Y.Count)
                throw new ArgumentException($"Series '{run.Name}' has {run.X.Count} x values but {run.Y.Count} y values; expected the same count.", nameof(runs));
            return Trace("scatter", ("name", run.Name), ("x", Values(run.X)), ("y", Values(run.Y)), ("mode", "lines+markers"));
        }).ToList();
        return Build(traces, title, Axis(xLabel, nameof(xLabel), logX ? "log" : null), Axis(yLabel, nameof(yLabel), logY ? "log" : null));
    }

    /// <summary>A 2-D embedding (from <see cref="Pca"/> or <see cref="Tsne"/>) with one colour per class.</summary>
    /// <param name="points">Coordinates <c>[count, 2]</c>.</param>
    /// <param name="labels">Integer classes <c>[count]</c>.</param>
    /// <param name="classNames">Legend names indexed by class; "class k" when null.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis label (e.g. "t-SNE 1" or "PC 1").</param>
    /// <param name="yLabel">Vertical axis label.</param>
    /// <param name="classStyles">Colour and marker symbol per class (indexed like <paramref name="classNames"/>), for legends
    /// whose names describe a look; null: plotly's default colour sequence, circles.</param>
    public static ChartView EmbeddingScatter(Tensor points, Tensor labels, IReadOnlyList<string>? classNames, string title, string xLabel = "dimension 1", string yLabel = "dimension 2", IReadOnlyList<MarkerStyle>? classStyles = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(labels);
        if (points.dim() != 2 || points.shape[1] != 2)
            throw new ArgumentException($"Expected 2-D points [count, 2], found {Shapes.Format(points)}. Project with Pca.Project or Tsne.Embed first.", nameof(points));
        if (labels.dim() != 1 || labels.shape[0] != points.shape[0])
            throw new ArgumentException($"Expected labels [{points.shape[0]}], found {Shapes.Format(labels)}.", nameof(labels));
        var xy = Doubles(points);
        var classes = Longs(labels);
        var traces = classes.Distinct().Order().Select(c =>
        {
            var rows = Enumerable.Range(0, classes.Length).Where(i => classes[i] == c).ToArray();
            string name = classNames is not null && c >= 0 && c < classNames.Count ? classNames[(int)c] : $"class {c}";
            var marker = new Dictionary<string, object> { ["size"] = 5 };
            if (classStyles is not null)
            {
                if (c < 0 || c >= classStyles.Count)
                    throw new ArgumentException($"Expected a style for every class, found {classStyles.Count} styles and class {c}.", nameof(classStyles));
                marker["color"] = classStyles[(int)c].Color;
                marker["symbol"] = classStyles[(int)c].Symbol;
                marker["size"] = 7;
            }
            return Trace("scatter", ("name", name), ("mode", "markers"), ("marker", marker),
                ("x", rows.Select(i => xy[2 * i]).ToArray()), ("y", rows.Select(i => xy[2 * i + 1]).ToArray()));
        }).ToList();
        return Build(traces, title, Axis(xLabel, nameof(xLabel)), Axis(yLabel, nameof(yLabel)));
    }

    /// <summary>
    /// A similarity matrix as a heatmap (rows i, columns j, values in [-1, 1]) with the positive pairs outlined,
    /// e.g. the 2N × 2N cosine similarities of a SimCLR batch.
    /// </summary>
    /// <param name="similarity">Square matrix <c>[n, n]</c>.</param>
    /// <param name="positivePairs">(row, column) cells to outline; null for none.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    /// <param name="yLabel">Vertical axis label.</param>
    public static ChartView SimilarityHeatmap(Tensor similarity, IEnumerable<(int Row, int Column)>? positivePairs, string title = "Cosine similarity", string xLabel = "view j", string yLabel = "view i")
    {
        ArgumentNullException.ThrowIfNull(similarity);
        if (similarity.dim() != 2 || similarity.shape[0] != similarity.shape[1])
            throw new ArgumentException($"Expected a square matrix [n, n], found {Shapes.Format(similarity)}.", nameof(similarity));
        int n = (int)similarity.shape[0];
        var values = Doubles(similarity);
        var z = Enumerable.Range(0, n).Select(i => Values(values.Skip(i * n).Take(n).ToArray())).ToArray();
        var traces = new List<Dictionary<string, object?>>
        {
            Trace("heatmap", ("name", "similarity"), ("z", z), ("zmin", -1), ("zmax", 1), ("colorscale", "RdBu"), ("reversescale", true),
                // The colour bar takes the lower 75 % of the right margin, the legend (positive pairs) sits above it.
                ("colorbar", new Dictionary<string, object> { ["len"] = 0.75, ["y"] = 0, ["yanchor"] = "bottom" })),
        };
        var pairs = positivePairs?.ToArray() ?? Array.Empty<(int, int)>();
        if (pairs.Any(p => p.Item1 < 0 || p.Item1 >= n || p.Item2 < 0 || p.Item2 >= n))
            throw new ArgumentOutOfRangeException(nameof(positivePairs), $"Expected pair indices in [0, {n}).");
        // Square cells: the plot area is HeatmapPlotSize pixels on a side, so a cell is HeatmapPlotSize / n pixels and the
        // outline of a positive pair is drawn slightly inside it.
        double cell = (double)HeatmapPlotSize / Math.Max(n, 1);
        if (pairs.Length > 0)
            traces.Add(Trace("scatter", ("name", "positive pair"), ("mode", "markers"), ("x", pairs.Select(p => p.Item2).ToArray()), ("y", pairs.Select(p => p.Item1).ToArray()),
                ("marker", new Dictionary<string, object> { ["symbol"] = "square-open", ["size"] = Math.Max(3, Math.Round(0.8 * cell, 1)), ["color"] = "black", ["line"] = new Dictionary<string, object> { ["width"] = Math.Max(1, Math.Min(2, cell / 8)) } })));
        var xAxis = Axis(xLabel, nameof(xLabel));
        var yAxis = Axis(yLabel, nameof(yLabel));
        foreach (var axis in new[] { xAxis, yAxis })
        {
            axis["zeroline"] = false;
            axis["showgrid"] = false;
            axis["constrain"] = "domain";
        }
        yAxis["autorange"] = "reversed";
        yAxis["scaleanchor"] = "x";
        return Build(traces, title, xAxis, yAxis, height: HeatmapPlotSize + 200);
    }

    /// <summary>Bars comparing methods on one metric (e.g. kNN accuracy of supervised, SimCLR, MoCo).</summary>
    /// <param name="values">(method, value) pairs in display order.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="yLabel">Metric name for the vertical axis.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    public static ChartView MethodComparison(IEnumerable<(string Method, double Value)> values, string title, string yLabel, string xLabel = "method")
    {
        ArgumentNullException.ThrowIfNull(values);
        var rows = values.ToArray();
        var trace = Trace("bar", ("name", Require(yLabel, nameof(yLabel))), ("x", rows.Select(r => r.Method).ToArray()), ("y", Values(rows.Select(r => r.Value).ToArray())),
            ("text", rows.Select(r => r.Value.ToString("0.###", CultureInfo.InvariantCulture)).ToArray()), ("textposition", "auto"));
        return Build(new List<Dictionary<string, object?>> { trace }, title, Axis(xLabel, nameof(xLabel)), Axis(yLabel, nameof(yLabel)));
    }

    /// <summary>
    /// Accuracy against the number of labelled examples (log axis), one line per method, e.g. linear probe on
    /// SimCLR features next to a supervised network trained from scratch.
    /// </summary>
    /// <param name="series">Curves from <see cref="LabelEfficiency.LinearProbeCurve"/> or <see cref="LabelEfficiency.Curve"/>.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    /// <param name="yLabel">Vertical axis label.</param>
    public static ChartView LabelEfficiencyCurves(IEnumerable<LabelEfficiencySeries> series, string title = "Label efficiency", string xLabel = "labelled training examples (log scale)", string yLabel = "test accuracy")
    {
        ArgumentNullException.ThrowIfNull(series);
        var traces = series.Select(s => Trace("scatter", ("name", s.Name), ("mode", "lines+markers"),
            ("x", s.Points.Select(p => (double)p.LabelledCount).ToArray()), ("y", Values(s.Points.Select(p => p.Accuracy).ToArray())),
            ("text", s.Points.Select(p => p.PerClass == LabelEfficiency.All ? "all labels" : $"{p.PerClass} per class").ToArray()))).ToList();
        return Build(traces, title, Axis(xLabel, nameof(xLabel), "log"), Axis(yLabel, nameof(yLabel)));
    }

    /// <summary>
    /// How the temperature τ shapes softmax(s / τ) over a few similarities: small τ puts almost all mass on the most
    /// similar candidate, large τ spreads it out. One group of bars per temperature.
    /// </summary>
    /// <param name="similarities">Similarities of one anchor to its candidates (e.g. one positive, several negatives).</param>
    /// <param name="temperatures">Temperatures τ &gt; 0 to compare.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="xLabel">Horizontal axis label.</param>
    /// <param name="yLabel">Vertical axis label.</param>
    public static ChartView TemperatureEffect(IReadOnlyList<double> similarities, IEnumerable<double> temperatures, string title = "Softmax over similarities at different temperatures", string xLabel = "candidate (cosine similarity)", string yLabel = "softmax probability")
    {
        ArgumentNullException.ThrowIfNull(similarities);
        ArgumentNullException.ThrowIfNull(temperatures);
        if (similarities.Count == 0) throw new ArgumentException("Expected at least one similarity.", nameof(similarities));
        var categories = similarities.Select((s, i) => $"#{i + 1} (s={s.ToString("0.##", CultureInfo.InvariantCulture)})").ToArray();
        var traces = temperatures.Select(tau =>
        {
            if (!(tau > 0)) throw new ArgumentOutOfRangeException(nameof(temperatures), tau, "Expected temperatures > 0.");
            return Trace("bar", ("name", $"τ = {tau.ToString("0.###", CultureInfo.InvariantCulture)}"), ("x", categories), ("y", Softmax(similarities, tau)));
        }).ToList();
        return Build(traces, title, Axis(xLabel, nameof(xLabel)), Axis(yLabel, nameof(yLabel)), barMode: "group");
    }

    /// <summary>softmax(s / τ) computed stably in doubles.</summary>
    internal static double[] Softmax(IReadOnlyList<double> similarities, double temperature)
    {
        double max = similarities.Max();
        var exp = similarities.Select(s => Math.Exp((s - max) / temperature)).ToArray();
        double sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }

    internal static string Require(string value, string parameter) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"Expected a non-empty {parameter}: every chart in the course has a title and axis labels.", parameter)
            : value;

    /// <summary>Side of a similarity heatmap's plot area in pixels.</summary>
    internal const int HeatmapPlotSize = 480;

    private static ChartView Build(List<Dictionary<string, object?>> traces, string title, Dictionary<string, object> xAxis, Dictionary<string, object> yAxis, string? barMode = null, int? height = null)
    {
        Require(title, nameof(title));
        var layout = new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = title },
            ["xaxis"] = xAxis,
            ["yaxis"] = yAxis,
            ["showlegend"] = traces.Count > 1,   // one trace: the title and the axis already say what it is
        };
        if (barMode is not null) layout["barmode"] = barMode;
        if (height is not null) layout["height"] = height.Value;
        return ChartView.FromFigure(traces, layout, title);
    }

    /// <summary>
    /// An axis with its title; <c>automargin</c> lets plotly grow the margin for long or rotated tick labels and put the
    /// title beyond them (without it a rotated category label runs into the axis title).
    /// </summary>
    private static Dictionary<string, object> Axis(string label, string parameter, string? type = null)
    {
        var axis = new Dictionary<string, object>
        {
            ["title"] = new Dictionary<string, object> { ["text"] = Require(label, parameter), ["standoff"] = 12 },
            ["automargin"] = true,
        };
        if (type is not null) axis["type"] = type;
        return axis;
    }

    private static Dictionary<string, object?> Trace(string type, params (string Name, object Value)[] properties)
    {
        var trace = new Dictionary<string, object?> { ["type"] = type };
        foreach (var (name, value) in properties) trace[name] = value;
        return trace;
    }

    /// <summary>Non-finite values become null so the figure stays valid JSON (Plotly leaves a gap).</summary>
    private static double?[] Values(IReadOnlyList<double> values) =>
        values.Select(v => double.IsFinite(v) ? v : (double?)null).ToArray();

    private static double[] Doubles(Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(ScalarType.Float64).contiguous();
        return cpu.data<double>().ToArray();
    }

    private static long[] Longs(Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(ScalarType.Int64).contiguous();
        return cpu.data<long>().ToArray();
    }
}
