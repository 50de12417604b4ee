using System.Reflection;
using System.Text.RegularExpressions;

namespace ContrastiveNotes.Notebooks.Export;

/// <summary>
/// A local copy of KaTeX (npm package <c>katex</c> 0.16.47, MIT; files in Export/Vendor/katex) for
/// exported pages: the script, the auto-render extension and the style sheet with its woff2 fonts
/// as data URIs, so math renders offline from one self-contained HTML file.
/// </summary>
public static partial class KatexAssets
{
    private static readonly Lazy<string> Head = new(Build);

    /// <summary>The <c>&lt;style&gt;</c> and <c>&lt;script&gt;</c> elements to put in the page head.</summary>
    public static string HeadElements => Head.Value;

    /// <summary>
    /// Renders the <c>\( \)</c> and <c>\[ \]</c> spans Markdig's math extension writes
    /// (auto-render skips pre/code, so C# code is never touched).
    /// </summary>
    private const string RenderScript = """
        document.addEventListener("DOMContentLoaded", function () {
          renderMathInElement(document.body, {
            delimiters: [ { left: "\\[", right: "\\]", display: true }, { left: "\\(", right: "\\)", display: false } ],
            throwOnError: false
          });
        });
        """;

    private static string Build()
    {
        var css = FontFaceSource().Replace(Read("katex/katex.min.css"), match =>
        {
            var font = match.Groups["font"].Value;
            var data = Convert.ToBase64String(ReadBytes($"katex/fonts/{font}.woff2"));
            return $"src:url(data:font/woff2;base64,{data}) format(\"woff2\")";
        });
        return $"<style>{css}</style>\n<script>{Read("katex/katex.min.js")}</script>\n<script>{Read("katex/auto-render.min.js")}</script>\n<script>{RenderScript}</script>\n";
    }

    private static string Read(string name) => System.Text.Encoding.UTF8.GetString(ReadBytes(name));

    private static byte[] ReadBytes(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded KaTeX file {name} is missing from the tool assembly; rebuild the tool.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    [GeneratedRegex("""src:url\(fonts/(?<font>[A-Za-z0-9_-]+)\.woff2\)[^;}]*""")]
    private static partial Regex FontFaceSource();
}
