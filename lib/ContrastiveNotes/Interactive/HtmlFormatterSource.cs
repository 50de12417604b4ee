namespace ContrastiveNotes.Interactive;

/// <summary>
/// Convention-based formatter source for <typeparamref name="T"/>: one formatter for <c>text/html</c> (the value's
/// <see cref="IHtmlDisplay.ToHtml"/>) and one for <c>text/plain</c> (its <c>ToString()</c>).
/// </summary>
internal sealed class HtmlFormatterSource<T> where T : class, IHtmlDisplay
{
    public IEnumerable<object> CreateTypeFormatters()
    {
        yield return new HtmlTypeFormatter<T>("text/html");
        yield return new HtmlTypeFormatter<T>("text/plain");
    }
}
