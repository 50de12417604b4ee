namespace ContrastiveNotes.Benchmarks;

/// <summary>Reads "--name value" options from a benchmark's arguments.</summary>
internal static class Options
{
    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static int Int(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], out int value) || value < 1)
            throw new ArgumentException($"{name} needs a positive integer after it, e.g. {name} {fallback}.");
        return value;
    }

    /// <summary>The text after <paramref name="name"/>, or null when absent.</summary>
    public static string? Value(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return null;
        if (at + 1 >= args.Length || args[at + 1].StartsWith("--", StringComparison.Ordinal))
            throw new ArgumentException($"{name} needs a value after it.");
        return args[at + 1];
    }
}
