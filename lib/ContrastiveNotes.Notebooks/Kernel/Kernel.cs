using ContrastiveNotes.Notebooks.Execution;
using Microsoft.AspNetCore.Html;

namespace Microsoft.DotNet.Interactive;

/// <summary>
/// The headless stand-in for the .NET Interactive kernel's static helpers, so that cells written
/// for VS Code Polyglot Notebooks (<c>using static Microsoft.DotNet.Interactive.Kernel;</c> is a
/// default there) compile unchanged in <c>contrastive-notebooks run</c>. Signatures match the
/// real kernel's <c>display</c>, <c>HTML</c>, <c>CSS</c> and <c>Javascript</c>.
/// </summary>
public static class Kernel
{
    /// <summary>
    /// Displays a value as a new output of the running cell, formatted through
    /// Microsoft.DotNet.Interactive.Formatting for the given MIME types (or the type's preferred ones).
    /// Keep the result to replace the output later with <see cref="DisplayedValue.Update"/>.
    /// </summary>
    public static DisplayedValue display(object value, params string[] mimeTypes) =>
        DisplayChannel.Display(value, mimeTypes);

    /// <summary>Wraps HTML so that it is displayed raw (not escaped), like the kernel's <c>HTML(...)</c>.</summary>
    public static IHtmlContent HTML(string content) => new HtmlString(content);

    /// <summary>Displays a style sheet (as the kernel does, inside a <c>&lt;style&gt;</c> element).</summary>
    public static void CSS(string content) => display(HTML($"<style>{content}</style>"), "text/html");

    /// <summary>Displays a script (as the kernel does, inside a <c>&lt;script&gt;</c> element).</summary>
    public static void Javascript(string scriptContent) =>
        display(HTML($"<script type=\"text/javascript\">{scriptContent}</script>"), "text/html");
}
