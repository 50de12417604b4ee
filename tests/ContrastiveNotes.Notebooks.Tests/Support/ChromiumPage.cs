using System.Text.Json;
using System.Text.RegularExpressions;

namespace ContrastiveNotes.Notebooks.Tests.Support;

/// <summary>
/// Loads an HTML page in Debian's headless Chromium with every host name unresolvable and a dead proxy (so
/// nothing can come from a network), lets its scripts run, and reads what they drew: a probe script appended to a
/// copy of the page writes its findings as JSON into the DOM, which Chromium prints.
/// </summary>
internal static partial class ChromiumPage
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>Per <c>.contrastive-chart</c> element: plotly's own trace count (<c>_fullData</c>) and the SVG elements it made.</summary>
    private const string ChartProbe = """
        Array.prototype.map.call(document.querySelectorAll('.contrastive-chart'), function (d) {
          return { id: d.id, traces: (d._fullData || []).length, svgs: d.querySelectorAll('svg.main-svg').length > 0 ? 1 : 0,
                   bars: d.querySelectorAll('g.trace.bars').length, scatters: d.querySelectorAll('g.trace.scatter').length,
                   heatmaps: d.querySelectorAll('g.hm').length };
        })
        """;

    /// <summary>What KaTeX made of the page's math: error nodes, display and inline formulas.</summary>
    private const string MathProbe = """
        ({ errors: Array.prototype.map.call(document.querySelectorAll('.katex-error'), function (e) { return e.title || e.textContent; }),
           displays: document.querySelectorAll('.katex-display').length,
           inline: document.querySelectorAll('.katex').length - document.querySelectorAll('.katex-display .katex').length,
           unrendered: (document.body.innerText.match(/\\\[|\\\(/g) || []).length })
        """;

    public sealed record Chart(string Id, int Traces, int Svgs, int Bars, int Scatters, int Heatmaps);

    public sealed record MathResult(List<string> Errors, int Displays, int Inline, int Unrendered);

    /// <summary>The charts the page drew; a screenshot of the page goes to <paramref name="screenshot"/>.</summary>
    public static IReadOnlyList<Chart> Charts(string page, string screenshot)
    {
        var charts = Probe<List<Chart>>(page, ChartProbe);
        Run(page, $"--screenshot={screenshot}", "--window-size=1200,16000");
        return charts;
    }

    /// <summary>The math KaTeX rendered on the page.</summary>
    public static MathResult Math(string page) => Probe<MathResult>(page, MathProbe);

    private static T Probe<T>(string page, string expression)
    {
        Assert.True(File.Exists(Chromium), $"no {Chromium}: environment/setup.sh installs Debian's chromium");
        var script = "<script>\nwindow.addEventListener('load', function () { setTimeout(function () {\n" +
                     "  var pre = document.createElement('pre'); pre.id = 'page-probe';\n" +
                     $"  pre.textContent = JSON.stringify({expression});\n" +
                     "  document.body.appendChild(pre);\n}, 2000); });\n</script>\n";
        var probed = Path.Combine(Path.GetDirectoryName(page)!, "probed-" + Path.GetFileName(page));
        File.WriteAllText(probed, File.ReadAllText(page).Replace("</body>", script + "</body>", StringComparison.Ordinal));
        var dom = Run(probed, "--dump-dom");
        var json = ProbeResult().Match(dom);
        Assert.True(json.Success, $"the probe wrote nothing: the page's scripts did not run. Chromium printed:\n{dom[..System.Math.Min(dom.Length, 2000)]}");
        return JsonSerializer.Deserialize<T>(System.Net.WebUtility.HtmlDecode(json.Groups[1].Value), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
    }

    private static string Run(string page, params string[] extra)
    {
        using var profile = new TempFolder();
        string[] offline =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.Path}",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--virtual-time-budget=15000",
        ];
        var result = ExternalProcess.Run(Chromium, [.. offline, .. extra, new Uri(page).AbsoluteUri], TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, $"chromium failed on {page}:\n{result.Stderr}");
        return result.Stdout;
    }

    [GeneratedRegex("<pre id=\"page-probe\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeResult();
}
