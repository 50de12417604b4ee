using System.Text;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>Writes files through a temp file in the target folder and a rename, so readers never see half a file.</summary>
public static class AtomicFile
{
    /// <summary>Writes UTF-8 text (no BOM) atomically, creating the folder if needed.</summary>
    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
