using System.Text.Json;
using ContrastiveNotes.Interactive;
using Plotly.NET;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// A Plotly figure that displays itself inline in a notebook (VS Code Polyglot Notebooks or the course's headless
/// runner) with no extra package: <c>text/html</c> is a <c>&lt;div class="contrastive-chart"&gt;</c> plus a script that
/// loads plotly.js once; <c>text/plain</c> names the chart. Create one with <see cref="Charts"/>, or wrap any Plotly.NET
/// chart with <see cref="FromPlotly"/>.
/// </summary>
/// <remarks>
/// The figure is held as JSON. Plotly.NET (an F# library) needs FSharp.Core 10.1 or later, while a .NET Interactive
/// kernel already has its own FSharp.Core loaded; so that charts from <see cref="Charts"/> display whatever that
/// version is, only <see cref="FromPlotly"/> and <see cref="Plotly"/> touch Plotly.NET types.
/// </remarks>
[TypeFormatterSource(typeof(HtmlFormatterSource<ChartView>))]
public sealed class ChartView : IHtmlDisplay
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private readonly object? _plotly;

    private ChartView(string dataJson, string layoutJson, string configJson, int traceCount, string title, object? plotly)
    {
        DataJson = dataJson; LayoutJson = layoutJson; ConfigJson = configJson;
        TraceCount = traceCount;
        Title = Charts.Require(title, nameof(title));
        _plotly = plotly;
    }

    /// <summary>The chart's title.</summary>
    public string Title { get; }

    /// <summary>Number of traces (lines, scatter groups, bars) in the chart.</summary>
    public int TraceCount { get; }

    /// <summary>The figure's <c>data</c> array (one object per trace) as JSON.</summary>
    public string DataJson { get; }

    /// <summary>The figure's <c>layout</c> object as JSON.</summary>
    public string LayoutJson { get; }

    /// <summary>The figure's <c>config</c> object as JSON.</summary>
    public string ConfigJson { get; }

    /// <summary>The Plotly.NET chart this view was made from with <see cref="FromPlotly"/>, otherwise null.</summary>
    public GenericChart? Plotly => _plotly as GenericChart;

    /// <summary>Wraps a Plotly.NET chart (built with Plotly.NET's own API) for display; <paramref name="title"/> names it in text output.</summary>
    public static ChartView FromPlotly(GenericChart chart, string title)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var (data, layout, config) = PlotlyHtml.Json(chart);
        return new ChartView(data, layout, config, GenericChart.countTrace(chart), title, chart);
    }

    /// <summary>Builds a view from Plotly figure parts: trace objects and a layout, serialised with System.Text.Json.</summary>
    internal static ChartView FromFigure(IReadOnlyList<Dictionary<string, object?>> traces, Dictionary<string, object> layout, string title) =>
        new(JsonSerializer.Serialize(traces, JsonOptions), JsonSerializer.Serialize(layout, JsonOptions), "{\"responsive\":true}", traces.Count, title, null);

    /// <summary>The figure as Plotly JSON (<c>{"data": [...], "layout": {...}, "config": {...}}</c>), e.g. to save next to a notebook.</summary>
    public string ToJson() => $"{{\"data\":{DataJson},\"layout\":{LayoutJson},\"config\":{ConfigJson}}}";

    /// <summary>The notebook HTML fragment; every call uses a fresh element id.</summary>
    public string ToHtml() => PlotlyHtml.Render(DataJson, LayoutJson, ConfigJson, PlotlyHtml.NewElementId());

    /// <inheritdoc />
    public override string ToString() => $"Chart \"{Title}\" ({TraceCount} trace{(TraceCount == 1 ? "" : "s")})";
}
