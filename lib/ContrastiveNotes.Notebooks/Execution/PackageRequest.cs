namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>A <c>#r "nuget: Name, Version"</c> request (on a 1-based line of its cell); a null version means the highest one available.</summary>
public sealed record PackageRequest(string Name, string? Version, int Line = 1)
{
    /// <summary>Parses <c>Name, Version</c> (the part after <c>nuget:</c>).</summary>
    public static PackageRequest Parse(string text, int line)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2)
        {
            throw new NotebookDirectiveException(line, $"expected #r \"nuget: Name, Version\", found #r \"nuget:{text}\".");
        }

        return new PackageRequest(parts[0], parts.Length == 2 ? parts[1] : null, line);
    }

    /// <inheritdoc />
    public override string ToString() => Version is null ? Name : $"{Name}, {Version}";
}
