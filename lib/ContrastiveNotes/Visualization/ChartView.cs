using System.Text.Json;
using ContrastiveNotes.Interactive;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// A Plotly figure that displays itself inline in a notebook (VS Code, Jupyter, the course's tool) with no extra
/// package and no network: <c>text/html</c> is a <c>&lt;div class="contrastive-chart"&gt;</c> plus a script that draws
/// it with plotly.js, which the first chart of a kernel session carries (<see cref="PlotlyJs"/>); <c>text/plain</c>
/// names the chart. Create one with <see cref="Charts"/>.
/// </summary>
/// <remarks>
/// The figure is plotly.js JSON built by <see cref="Charts"/> and serialised once, with System.Text.Json. The course
/// does not use Plotly.NET: version 6 needs FSharp.Core 10.1, and the .NET Interactive kernel 1.0.712001 ships 10.0,
/// so a chart made with it fails to load in the kernel students run.
/// </remarks>
[TypeFormatterSource(typeof(HtmlFormatterSource<ChartView>))]
public sealed class ChartView : IHtmlDisplay
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = false };

    private ChartView(string dataJson, string layoutJson, string configJson, int traceCount, string title)
    {
        DataJson = dataJson; LayoutJson = layoutJson; ConfigJson = configJson;
        TraceCount = traceCount;
        Title = Charts.Require(title, nameof(title));
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

    /// <summary>Builds a view from Plotly figure parts: trace objects and a layout, serialised with System.Text.Json.</summary>
    internal static ChartView FromFigure(IReadOnlyList<Dictionary<string, object?>> traces, Dictionary<string, object> layout, string title) =>
        new(JsonSerializer.Serialize(traces, JsonOptions), JsonSerializer.Serialize(layout, JsonOptions), "{\"responsive\":true}", traces.Count, title);

    /// <summary>The figure as Plotly JSON (<c>{"data": [...], "layout": {...}, "config": {...}}</c>), e.g. to save next to a notebook.</summary>
    public string ToJson() => $"{{\"data\":{DataJson},\"layout\":{LayoutJson},\"config\":{ConfigJson}}}";

    /// <summary>The notebook HTML fragment; every call uses a fresh element id.</summary>
    public string ToHtml() => PlotlyHtml.Render(DataJson, LayoutJson, ConfigJson, PlotlyHtml.NewElementId());

    /// <summary>A whole HTML page with plotly.js inlined (1.5 MB), which draws the chart offline in any browser.</summary>
    public string ToStandaloneHtml() =>
        $"<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{System.Net.WebUtility.HtmlEncode(Title)}</title>\n</head>\n<body>\n" +
        PlotlyJs.ScriptElement() + PlotlyHtml.Figure(DataJson, LayoutJson, ConfigJson, PlotlyHtml.NewElementId()) + "\n</body>\n</html>\n";

    /// <inheritdoc />
    public override string ToString() => $"Chart \"{Title}\" ({TraceCount} trace{(TraceCount == 1 ? "" : "s")})";
}
