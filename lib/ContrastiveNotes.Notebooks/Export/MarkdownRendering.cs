using Markdig;
using Markdig.Extensions.GenericAttributes;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace ContrastiveNotes.Notebooks.Export;

/// <summary>
/// Markdown cells to HTML the way Jupyter and VS Code show them: Markdig's advanced extensions, math kept as
/// <c>\( \)</c> (inline) and <c>\[ \]</c> (display) spans for KaTeX, with two differences from Markdig's defaults
/// that LaTeX needs. Generic attributes are off: their <c>{...}</c> syntax swallowed groups such as
/// <c>\end{cases}</c> at the end of a line. And <c>$$...$$</c> written inside a paragraph is display math, as in
/// Jupyter (Markdig makes it inline).
/// </summary>
public static class MarkdownRendering
{
    private static readonly MarkdownPipeline Pipeline = Build();

    /// <summary>Renders markdown text as an HTML fragment.</summary>
    public static string ToHtml(string markdown)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new DisplayAwareMathInlineRenderer());
        renderer.Render(Markdown.Parse(markdown, Pipeline));
        writer.Flush();
        return writer.ToString();
    }

    private static MarkdownPipeline Build()
    {
        var builder = new MarkdownPipelineBuilder().UseAdvancedExtensions();
        builder.Extensions.RemoveAll(extension => extension is GenericAttributesExtension);
        return builder.Build();
    }

    /// <summary>Writes <c>$...$</c> as <c>\(...\)</c> and <c>$$...$$</c> as <c>\[...\]</c>.</summary>
    private sealed class DisplayAwareMathInlineRenderer : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math)
        {
            var display = math.DelimiterCount >= 2;
            renderer.Write("<span class=\"math\">").Write(display ? "\\[" : "\\(");
            renderer.WriteEscape(ref math.Content);
            renderer.Write(display ? "\\]" : "\\)").Write("</span>");
        }
    }
}
