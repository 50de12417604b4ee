namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>Expands command-line inputs (notebook files or folders) into notebook paths in name order.</summary>
public static class NotebookFiles
{
    /// <summary>
    /// Every .ipynb named or found directly in a named folder (not recursive), sorted by file name
    /// within each folder; checkpoint copies are skipped.
    /// </summary>
    /// <exception cref="FileNotFoundException">An input is neither an existing file nor a folder.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var result = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                result.AddRange(Directory.EnumerateFiles(input, "*.ipynb")
                    .Where(p => !p.Contains(".ipynb_checkpoints", StringComparison.Ordinal))
                    .OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                result.Add(input);
            }
            else
            {
                throw new FileNotFoundException($"'{input}' is neither a notebook file nor a folder. Pass .ipynb files or folders that hold them.", input);
            }
        }

        return result.Select(Path.GetFullPath).ToList();
    }
}
