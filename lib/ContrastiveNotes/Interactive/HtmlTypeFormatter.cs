namespace ContrastiveNotes.Interactive;

/// <summary>
/// One formatter in the shape the .NET Interactive formatter engine calls by convention: <c>MimeType</c>,
/// <c>Type</c> and <c>bool Format(object, TextWriter)</c>.
/// </summary>
internal sealed class HtmlTypeFormatter<T> where T : class, IHtmlDisplay
{
    public HtmlTypeFormatter(string mimeType) => MimeType = mimeType;

    public string MimeType { get; }

    public Type Type => typeof(T);

    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not T value) return false;
        writer.Write(MimeType == "text/html" ? value.ToHtml() : value.ToString());
        return true;
    }
}
