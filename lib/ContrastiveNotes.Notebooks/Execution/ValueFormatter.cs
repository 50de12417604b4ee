using Microsoft.DotNet.Interactive.Formatting;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Formats values exactly through Microsoft.DotNet.Interactive.Formatting, as the kernel does:
/// the requested MIME types, else the type's preferred MIME types (<see cref="Formatter.GetPreferredMimeTypesFor"/>),
/// with a <c>text/plain</c> fallback added so that every output is readable in any Jupyter front end.
/// Formatters registered by libraries (<c>Formatter.Register</c>) and convention-based
/// <c>TypeFormatterSourceAttribute</c> sources are honoured by the package itself.
/// </summary>
public static class ValueFormatter
{
    /// <summary>Formats a value into MIME type -> text (image/png is expected as base64 text).</summary>
    public static IReadOnlyDictionary<string, string> Format(object? value, IReadOnlyCollection<string>? mimeTypes)
    {
        var requested = mimeTypes?.Where(m => !string.IsNullOrWhiteSpace(m)).Distinct().ToList() ?? [];
        if (requested.Count == 0)
        {
            requested = Formatter.GetPreferredMimeTypesFor(value?.GetType()).ToList();
            if (!requested.Contains(PlainTextFormatter.MimeType))
            {
                requested.Add(PlainTextFormatter.MimeType);
            }
        }

        var result = new Dictionary<string, string>();
        foreach (var mimeType in requested)
        {
            result[mimeType] = value.ToDisplayString(mimeType);
        }

        return result;
    }
}
