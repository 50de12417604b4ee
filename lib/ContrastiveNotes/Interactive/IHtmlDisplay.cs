namespace ContrastiveNotes.Interactive;

/// <summary>A value that renders itself as an HTML fragment for notebook output (and as text through <c>ToString()</c>).</summary>
internal interface IHtmlDisplay
{
    /// <summary>A self-contained HTML fragment (no document wrapper).</summary>
    string ToHtml();
}
