using System.Globalization;
using Plotly.NET;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// Writes a Plotly figure as a notebook HTML fragment: a uniquely named <c>div</c> and a script that calls
/// <c>Plotly.newPlot</c> at once when plotly.js is already on the page, otherwise loads it once from the CDN (through
/// require.js when the page uses AMD, as Jupyter does; a script tag otherwise) and then renders every waiting chart.
/// Each chart carries only its own JSON, never a copy of plotly.js.
/// </summary>
internal static class PlotlyHtml
{
    /// <summary>The plotly.js version bundled with Plotly.NET 6.0.0 (its release notes: "Bump bundled plotly.js to 2.28.0").</summary>
    internal const string PlotlyJsVersion = "2.28.0";

    internal const string CdnUrlWithoutExtension = "https://cdn.plot.ly/plotly-" + PlotlyJsVersion + ".min";

    internal const string CssClass = "contrastive-chart";

    private static long _counter;

    internal static string NewElementId() =>
        "cn-chart-" + Interlocked.Increment(ref _counter).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>data, layout and config of a chart as JavaScript-safe JSON (no <c>&lt;/</c> that could end the script).</summary>
    internal static (string Data, string Layout, string Config) Json(GenericChart chart)
    {
        string data = Newtonsoft.Json.JsonConvert.SerializeObject(GenericChart.getTraces(chart));
        string layout = Newtonsoft.Json.JsonConvert.SerializeObject(GenericChart.getLayout(chart));
        string config = Newtonsoft.Json.JsonConvert.SerializeObject(GenericChart.getConfig(chart));
        return (ScriptSafe(data), ScriptSafe(layout), ScriptSafe(config));
    }

    internal static string Render(string data, string layout, string config, string elementId)
    {
        (data, layout, config) = (ScriptSafe(data), ScriptSafe(layout), ScriptSafe(config));
        return $$"""
            <div id="{{elementId}}" class="{{CssClass}}" style="width:100%;min-height:420px"></div>
            <script type="text/javascript">
            (function () {
              var data = {{data}};
              var layout = {{layout}};
              var config = {{config}};
              var render = function () { Plotly.newPlot('{{elementId}}', data, layout, config); };
              if (window.Plotly) { render(); return; }
              var w = window;
              w.__contrastiveNotesPlotlyQueue = w.__contrastiveNotesPlotlyQueue || [];
              w.__contrastiveNotesPlotlyQueue.push(render);
              if (w.__contrastiveNotesPlotlyLoading) return;
              w.__contrastiveNotesPlotlyLoading = true;
              var flush = function (plotly) {
                if (plotly && !w.Plotly) w.Plotly = plotly;
                w.__contrastiveNotesPlotlyQueue.splice(0).forEach(function (f) { f(); });
              };
              var failed = function () {
                w.__contrastiveNotesPlotlyLoading = false;
                var div = document.getElementById('{{elementId}}');
                if (div) div.textContent = 'Could not load plotly.js {{PlotlyJsVersion}} from the CDN; the chart needs an internet connection the first time.';
              };
              if (typeof w.requirejs === 'function' && typeof w.define === 'function' && w.define.amd) {
                w.requirejs.config({ paths: { plotly: '{{CdnUrlWithoutExtension}}' } });
                w.requirejs(['plotly'], flush, failed);
              } else {
                var script = document.createElement('script');
                script.src = '{{CdnUrlWithoutExtension}}.js';
                script.onload = function () { flush(w.Plotly); };
                script.onerror = failed;
                document.head.appendChild(script);
              }
            })();
            </script>
            """;
    }

    private static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);
}
