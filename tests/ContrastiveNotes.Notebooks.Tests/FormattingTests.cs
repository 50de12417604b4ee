using ContrastiveNotes.Notebooks.Execution;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// Values are formatted through Microsoft.DotNet.Interactive.Formatting, which honours the
/// convention-based TypeFormatterSourceAttribute (matched by name, no reference to the package).
/// </summary>
public sealed class FormattingTests
{
    [AttributeUsage(AttributeTargets.Class)]
    internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
    {
        public Type FormatterSourceType { get; } = formatterSourceType;
    }

    [TypeFormatterSource(typeof(EmbeddingSummaryFormatterSource))]
    internal sealed class EmbeddingSummary
    {
        public int Dimensions { get; init; }
    }

    internal sealed class EmbeddingSummaryFormatterSource
    {
        public IEnumerable<object> CreateTypeFormatters()
        {
            yield return new Formatter("text/html", (v, w) => w.Write($"<b>{v.Dimensions}-d</b>"));
            yield return new Formatter("text/plain", (v, w) => w.Write($"{v.Dimensions} dimensions"));
        }
    }

    internal sealed class Formatter(string mimeType, Action<EmbeddingSummary, TextWriter> write)
    {
        public string MimeType { get; } = mimeType;

        public Type Type => typeof(EmbeddingSummary);

        public bool Format(object value, TextWriter writer)
        {
            write((EmbeddingSummary)value, writer);
            return true;
        }
    }

    [Fact]
    public void Convention_based_formatter_sources_are_used_for_html_and_plain_text()
    {
        var formatted = ValueFormatter.Format(new EmbeddingSummary { Dimensions = 128 }, null);

        Assert.Equal("<b>128-d</b>", formatted["text/html"]);
        Assert.Equal("128 dimensions", formatted["text/plain"]);
    }

    [Fact]
    public void Requested_mime_types_are_the_only_ones_produced()
    {
        var formatted = ValueFormatter.Format(new EmbeddingSummary { Dimensions = 3 }, ["text/plain"]);

        Assert.Equal(["text/plain"], formatted.Keys);
        Assert.Equal("3 dimensions", formatted["text/plain"]);
    }

    [Fact]
    public void Strings_are_plain_text_like_in_the_kernel()
    {
        var formatted = ValueFormatter.Format("hello", null);

        Assert.Equal("hello", formatted["text/plain"]);
    }
}
