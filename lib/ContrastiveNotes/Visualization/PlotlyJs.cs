using System.Reflection;
using System.Security.Cryptography;

namespace ContrastiveNotes.Visualization;

/// <summary>
/// The plotly.js that charts draw with, from the npm package <c>plotly.js-cartesian-dist-min</c> embedded in this
/// library (see <c>Visualization/Vendor/plotly.js-cartesian-dist-min/README.md</c>), so no chart needs a network.
/// A notebook page keeps one global <c>Plotly</c>: the first chart of a process (a kernel session) carries the
/// script, later charts only their figure.
/// </summary>
internal static class PlotlyJs
{
    /// <summary>The version of the embedded bundle.</summary>
    internal const string Version = "4.1.1";

    /// <summary>The npm package the bundle comes from.</summary>
    internal const string Package = "plotly.js-cartesian-dist-min";

    private const string ResourceName = "ContrastiveNotes.Visualization.plotly-cartesian.min.js";

    private static readonly Lazy<string> Source = new(Load);

    private static int _delivered;

    /// <summary>The minified bundle's text.</summary>
    internal static string MinifiedSource => Source.Value;

    /// <summary>SHA-256 (lower-case hex) of the embedded bundle, to compare with the vendored file's README.</summary>
    internal static string Sha256 => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Source.Value))).ToLowerInvariant();

    /// <summary>
    /// The <c>&lt;script&gt;</c> that defines <c>window.Plotly</c> and then draws the charts that were waiting for it,
    /// the first time it is asked for in this process; an empty string afterwards.
    /// </summary>
    internal static string ScriptOncePerSession() =>
        Interlocked.Exchange(ref _delivered, 1) == 0 ? ScriptElement() : "";

    /// <summary>Makes the next chart carry plotly.js again (tests; a new kernel session does this by starting a new process).</summary>
    internal static void ForgetDelivery() => Interlocked.Exchange(ref _delivered, 0);

    /// <summary>The script element, always (e.g. for a standalone HTML file).</summary>
    internal static string ScriptElement() =>
        "<script type=\"text/javascript\">\n" + MinifiedSource.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase) +
        $"\n{PlotlyHtml.QueueName} = {PlotlyHtml.QueueName} || [];\n{PlotlyHtml.QueueName}.splice(0).forEach(function (draw) {{ draw(); }});\n</script>\n";

    private static string Load()
    {
        using var stream = typeof(PlotlyJs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The library has no embedded {ResourceName}; it is built from lib/ContrastiveNotes/Visualization/Vendor. Rebuild the library.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
