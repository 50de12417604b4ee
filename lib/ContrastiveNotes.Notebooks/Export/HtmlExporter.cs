using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Export;

/// <summary>
/// Static HTML of an executed notebook: markdown through <see cref="MarkdownRendering"/> (math kept as <c>\( \)</c> /
/// <c>\[ \]</c> spans for KaTeX), code with a <c>language-csharp</c> class, outputs (streams,
/// raw <c>text/html</c>, <c>image/png</c> as data URIs, errors). Charts need nothing here: the
/// library's first chart output of a kernel session carries plotly.js itself (see
/// docs/notebook-display-contract.md), so the page works offline as the notebook does. Pages with math get a local
/// KaTeX copy (<see cref="KatexAssets"/>) inlined once, so formulas render offline; the TeX source
/// stays in the page and readable if scripts are off.
/// </summary>
public sealed class HtmlExporter
{
    private const string Style = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; line-height: 1.5; }
        .cell { margin: 1em 0; }
        .prompt { color: #888; font-family: monospace; font-size: 0.85em; }
        pre { background: #f6f8fa; padding: 0.6em; overflow-x: auto; border-radius: 4px; }
        pre.stderr { background: #fff0f0; }
        pre.error { background: #ffe6e6; color: #900; }
        .output img { max-width: 100%; }
        """;

    /// <summary>Renders a notebook as one self-contained HTML document.</summary>
    public string Export(NotebookDocument document)
    {
        var body = new StringBuilder();
        var hasMath = false;
        foreach (var cell in document.Cells)
        {
            body.Append("<div class=\"cell ").Append(cell.CellType).Append("\">\n");
            if (cell.CellType == "markdown" || cell.IsCode && CellMagics.StartsWithMarkdownMagic(cell.Source))
            {
                var text = cell.IsCode ? string.Join('\n', cell.Source.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("#!", StringComparison.Ordinal)).Skip(1)) : cell.Source;
                var rendered = MarkdownRendering.ToHtml(text);
                hasMath |= rendered.Contains("class=\"math\"", StringComparison.Ordinal);
                body.Append(rendered);
            }
            else if (cell.IsCode)
            {
                var prompt = cell.ExecutionCount is { } n ? $"In [{n}]:" : "In [ ]:";
                body.Append($"<div class=\"prompt\">{prompt}</div>\n<pre><code class=\"language-csharp\">{WebUtility.HtmlEncode(cell.Source)}</code></pre>\n");
                foreach (var output in cell.Outputs)
                {
                    body.Append(RenderOutput(output));
                }
            }
            else
            {
                body.Append($"<pre>{WebUtility.HtmlEncode(cell.Source)}</pre>\n");
            }

            body.Append("</div>\n");
        }

        var head = new StringBuilder();
        head.Append($"<meta charset=\"utf-8\">\n<title>{WebUtility.HtmlEncode(document.Name)}</title>\n<style>{Style}</style>\n");
        if (hasMath)
        {
            head.Append(KatexAssets.HeadElements);
        }

        return $"<!DOCTYPE html>\n<html>\n<head>\n{head}</head>\n<body>\n{body}</body>\n</html>\n";
    }

    private static string RenderOutput(JsonObject output)
    {
        switch (output["output_type"]?.GetValue<string>())
        {
            case "stream":
                var name = output["name"]?.GetValue<string>() ?? "stdout";
                return $"<pre class=\"output stream {name}\">{WebUtility.HtmlEncode(NotebookReader.JoinMultiline(output["text"]))}</pre>\n";
            case "error":
                var trace = output["traceback"] is JsonArray lines ? string.Join('\n', lines.Select(l => l?.GetValue<string>())) : "";
                return $"<pre class=\"output error\">{WebUtility.HtmlEncode($"{output["ename"]}: {output["evalue"]}\n{trace}")}</pre>\n";
            case "display_data" or "execute_result":
                return RenderData(output["data"] as JsonObject ?? new JsonObject());
            default:
                return "";
        }
    }

    private static string RenderData(JsonObject data)
    {
        string? Get(string mime) => data[mime] is { } node ? NotebookReader.JoinMultiline(node) : null;
        if (Get("text/html") is { } html)
        {
            return $"<div class=\"output html\">{html}</div>\n";
        }

        if (Get("image/png") is { } png)
        {
            return $"<div class=\"output image\"><img src=\"data:image/png;base64,{png.Replace("\n", "")}\"></div>\n";
        }

        if (Get("image/svg+xml") is { } svg)
        {
            return $"<div class=\"output svg\">{svg}</div>\n";
        }

        if (Get("text/markdown") is { } markdown)
        {
            return $"<div class=\"output markdown\">{MarkdownRendering.ToHtml(markdown)}</div>\n";
        }

        return Get("text/plain") is { } plain ? $"<pre class=\"output text\">{WebUtility.HtmlEncode(plain)}</pre>\n" : "";
    }
}
