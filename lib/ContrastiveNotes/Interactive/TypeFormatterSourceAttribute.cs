namespace ContrastiveNotes.Interactive;

/// <summary>
/// Names the formatter source of a display type for .NET Interactive (Polyglot Notebooks) without referencing the
/// kernel: the formatter engine matches this attribute by its type name, reads <see cref="FormatterSourceType"/>,
/// creates the source and calls its <c>CreateTypeFormatters()</c> (see dotnet/interactive docs/formatting.md).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    /// <summary>A type with a public parameterless constructor and <c>IEnumerable&lt;object&gt; CreateTypeFormatters()</c>.</summary>
    public Type FormatterSourceType { get; }

    /// <summary>MIME types the kernel should prefer when it displays the value.</summary>
    public string[] PreferredMimeTypes { get; set; } = { "text/html" };
}
