using System.Reflection;
using System.Text.RegularExpressions;

namespace ContrastiveNotes.Notebooks.Export;

/// <summary>
/// Offline plotly.js for exported HTML. Plotly.NET 6.0.0 embeds <c>plotly.min.js</c> as a manifest
/// resource of Plotly.NET.dll; the exporter inlines it ONCE in the page head and lets every chart
/// output use the global <c>Plotly</c>.
/// </summary>
/// <remarks>
/// Chart output contract (what the library's chart formatter must emit as <c>text/html</c>):
/// <c>&lt;div id="UNIQUE-ID"&gt;&lt;/div&gt;&lt;script&gt;...&lt;/script&gt;</c> where the script draws with
/// <c>window.Plotly</c> when it is defined and otherwise loads plotly.js from a CDN first, e.g.
/// <c>(function(){ var draw = function(){ Plotly.newPlot('UNIQUE-ID', data, layout, config); };
/// if (window.Plotly) { draw(); } else { var s = document.createElement('script');
/// s.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js'; s.onload = draw; document.head.appendChild(s); } })();</c>.
/// Plotly.NET.Interactive's require.js form (<c>requirejs.config(...)</c> + <c>require(['plotly'], ...)</c>)
/// also works: the exporter defines a tiny <c>require</c> that hands the global <c>Plotly</c> to it.
/// See docs/notebook-display-contract.md.
/// </remarks>
public static partial class PlotlyScript
{
    private static readonly Lazy<string> Source = new(LoadFromPlotlyNet);

    /// <summary>The plotly.min.js text shipped inside Plotly.NET.dll.</summary>
    public static string MinifiedJavaScript => Source.Value;

    /// <summary>
    /// A minimal AMD <c>require</c>/<c>requirejs</c> for pages without require.js: modules named like
    /// plotly resolve to the global <c>Plotly</c>. Defined only when the page has no loader.
    /// </summary>
    public const string RequireShim = """
        if (typeof window.requirejs !== 'function') {
          window.require = window.requirejs = function (deps, callback) {
            var modules = (deps || []).map(function (d) { return /plotly/i.test(d) ? window.Plotly : undefined; });
            if (typeof callback === 'function') { callback.apply(window, modules); }
          };
          window.requirejs.config = function () { return window.requirejs; };
        }
        """;

    /// <summary>True when an HTML output draws a plotly chart.</summary>
    public static bool IsChart(string html) => html.Contains("Plotly.", StringComparison.Ordinal) || html.Contains("plotly", StringComparison.OrdinalIgnoreCase) && html.Contains("<script", StringComparison.OrdinalIgnoreCase);

    /// <summary>Removes <c>&lt;script src=...plotly...&gt;</c> tags (CDN copies) from an output; the page's inline copy is used instead.</summary>
    public static string RemoveExternalPlotly(string html) => ExternalPlotlyScript().Replace(html, "");

    private static string LoadFromPlotlyNet()
    {
        var assembly = Assembly.Load(new AssemblyName("Plotly.NET"));
        var name = assembly.GetManifestResourceNames()
            .FirstOrDefault(n => n.Contains("plotly", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".min.js", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"Plotly.NET {assembly.GetName().Version} has no embedded plotly*.min.js resource (found: {string.Join(", ", assembly.GetManifestResourceNames())}); the HTML export needs it for offline charts.");
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("""<script[^>]*\ssrc\s*=\s*["'][^"']*plotly[^"']*["'][^>]*>\s*</script>""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalPlotlyScript();
}
