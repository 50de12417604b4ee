using ContrastiveNotes.Interactive;
using Plotly.NET;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// A Plotly.NET chart that displays itself inline in a notebook (VS Code Polyglot Notebooks or the course's headless
/// runner) with no extra package: <c>text/html</c> is a <c>&lt;div class="contrastive-chart"&gt;</c> plus a script that
/// loads plotly.js once; <c>text/plain</c> names the chart. Create one with <see cref="Charts"/>.
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource<ChartView>))]
public sealed class ChartView : IHtmlDisplay
{
    /// <summary>Wraps <paramref name="chart"/>; <paramref name="title"/> is used for the text form.</summary>
    public ChartView(GenericChart chart, string title)
    {
        Chart = chart ?? throw new ArgumentNullException(nameof(chart));
        Title = Charts.Require(title, nameof(title));
    }

    /// <summary>The underlying Plotly.NET chart (for further styling with Plotly.NET's API).</summary>
    public GenericChart Chart { get; }

    /// <summary>The chart's title.</summary>
    public string Title { get; }

    /// <summary>Number of traces (lines, scatter groups, bars) in the chart.</summary>
    public int TraceCount => GenericChart.countTrace(Chart);

    /// <summary>The figure as Plotly JSON (<c>{"data": [...], "layout": {...}}</c>), e.g. to save next to a notebook.</summary>
    public string ToJson() => GenericChart.toFigureJson(Chart);

    /// <summary>The notebook HTML fragment; every call uses a fresh element id.</summary>
    public string ToHtml() => PlotlyHtml.Render(Chart, PlotlyHtml.NewElementId());

    /// <inheritdoc />
    public override string ToString() => $"Chart \"{Title}\" ({TraceCount} trace{(TraceCount == 1 ? "" : "s")})";
}
