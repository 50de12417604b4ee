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

    /// <summary>
    /// Per <c>.contrastive-chart</c> element: plotly's own trace count (<c>_fullData</c>), the trace elements it drew,
    /// axis titles that overlap a tick label, and legend entries whose name names a colour the entry is not drawn in.
    /// </summary>
    private const string ChartProbe = """
        (function () {
          function box(e) { return e.getBoundingClientRect(); }
          function overlap(a, b) { return a.width > 0 && b.width > 0 && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
          function rgb(css) { var m = css.match(/rgba?\(([\d.]+), *([\d.]+), *([\d.]+)/); return m ? [+m[1], +m[2], +m[3]] : null; }
          function hsl(c) { var r = c[0] / 255, g = c[1] / 255, b = c[2] / 255, max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min, h = 0;
            if (d > 0) h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
            return { h: h * 60, s: max === 0 ? 0 : d / max }; }
          var probe = document.createElement('span'); document.body.appendChild(probe);
          function named(word) { probe.style.color = ''; probe.style.color = word; return probe.style.color ? rgb(getComputedStyle(probe).color) : null; }
          var words = ['red', 'green', 'blue', 'yellow', 'magenta', 'cyan', 'orange', 'purple', 'pink', 'brown', 'grey', 'gray', 'black', 'white'];
          return Array.prototype.map.call(document.querySelectorAll('.contrastive-chart'), function (d) {
            var overlaps = [];
            [['xtitle', '.xtick text'], ['ytitle', '.ytick text']].forEach(function (pair) {
              var title = d.querySelector('.' + pair[0]); if (!title) return;
              d.querySelectorAll(pair[1]).forEach(function (t) { if (overlap(box(title), box(t))) overlaps.push(pair[0] + ' overlaps tick "' + t.textContent + '"'); });
            });
            var mismatches = [];
            d.querySelectorAll('.legend .traces').forEach(function (entry) {
              var text = (entry.querySelector('.legendtext') || {}).textContent || '';
              var word = words.filter(function (w) { return new RegExp('\\b' + w + '\\b', 'i').test(text); })[0];
              var point = entry.querySelector('.legendpoints path'); if (!word || !point) return;
              var drawn = rgb(getComputedStyle(point).fill) || rgb(getComputedStyle(point).stroke), want = named(word);
              if (!drawn || !want) return;
              var a = hsl(drawn), b = hsl(want), hue = Math.min(Math.abs(a.h - b.h), 360 - Math.abs(a.h - b.h));
              var same = b.s < 0.15 ? a.s < 0.15 : a.s >= 0.15 && hue <= 30;
              if (!same) mismatches.push('"' + text + '" is drawn in rgb(' + drawn.join(', ') + ')');
            });
            return { id: d.id, traces: (d._fullData || []).length, svgs: d.querySelectorAll('svg.main-svg').length > 0 ? 1 : 0,
                     bars: d.querySelectorAll('g.trace.bars').length, scatters: d.querySelectorAll('g.trace.scatter').length,
                     heatmaps: d.querySelectorAll('g.hm').length, overlaps: overlaps, legendMismatches: mismatches };
          });
        })()
        """;

    /// <summary>What KaTeX made of the page's math: error nodes, display and inline formulas.</summary>
    private const string MathProbe = """
        ({ errors: Array.prototype.map.call(document.querySelectorAll('.katex-error'), function (e) { return e.title || e.textContent; }),
           displays: document.querySelectorAll('.katex-display').length,
           inline: document.querySelectorAll('.katex').length - document.querySelectorAll('.katex-display .katex').length,
           unrendered: (document.body.innerText.match(/\\\[|\\\(/g) || []).length })
        """;

    public sealed record Chart(string Id, int Traces, int Svgs, int Bars, int Scatters, int Heatmaps, List<string> Overlaps, List<string> LegendMismatches)
    {
        /// <summary>Trace elements plotly drew: bar groups, scatter traces and heatmap images.</summary>
        public int Drawn => Bars + Scatters + Heatmaps;
    }

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
