using System.Globalization;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// Writes a Plotly figure as a notebook HTML fragment: a uniquely named <c>div</c> and a script that draws it with
/// the page's global <c>Plotly</c>. The first chart of a kernel session also carries plotly.js (<see cref="PlotlyJs"/>);
/// a chart whose output is shown before that one (a saved notebook scrolled to the middle) waits in a queue that the
/// plotly.js script empties, and says so in its placeholder. No network is ever used.
/// </summary>
internal static class PlotlyHtml
{
    internal const string CssClass = "contrastive-chart";

    /// <summary>The page-global queue of charts waiting for plotly.js.</summary>
    internal const string QueueName = "window.__contrastiveNotesPlotlyQueue";

    private static long _counter;

    internal static string NewElementId() =>
        "cn-chart-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The chart for a notebook output: plotly.js first when this is the session's first chart.</summary>
    internal static string Render(string data, string layout, string config, string elementId) =>
        PlotlyJs.ScriptOncePerSession() + Figure(data, layout, config, elementId);

    /// <summary>The chart's element and drawing script, without plotly.js.</summary>
    internal static string Figure(string data, string layout, string config, string elementId)
    {
        (data, layout, config) = (ScriptSafe(data), ScriptSafe(layout), ScriptSafe(config));
        return $$"""
            <div id="{{elementId}}" class="{{CssClass}}" style="width:100%;min-height:420px">Waiting for plotly.js, which the first chart of this kernel session brings with it. If this stays, restart the kernel and run the notebook from the top.</div>
            <script type="text/javascript">
            (function () {
              var draw = function () {
                var div = document.getElementById('{{elementId}}');
                if (!div) return;
                div.textContent = '';
                Plotly.newPlot(div, {{data}}, {{layout}}, {{config}});
              };
              if (window.Plotly) { draw(); return; }
              {{QueueName}} = {{QueueName}} || [];
              {{QueueName}}.push(draw);
            })();
            </script>
            """;
    }

    private static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);
}
