using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Documents;

/// <summary>
/// An nbformat 4 notebook: metadata plus an ordered list of cells. Read with
/// <see cref="NotebookReader"/>, written (always as nbformat 4.5) with <see cref="NotebookWriter"/>.
/// </summary>
public sealed class NotebookDocument
{
    /// <summary>The notebook metadata (kernelspec, polyglot_notebook, papermill, contrastive_notes ...).</summary>
    public JsonObject Metadata { get; set; } = new();

    /// <summary>The cells in order.</summary>
    public List<NotebookCell> Cells { get; } = new();

    /// <summary>The nbformat major version read from the file (written as 4).</summary>
    public int Nbformat { get; set; } = 4;

    /// <summary>The nbformat minor version read from the file (written as 5).</summary>
    public int NbformatMinor { get; set; } = 5;

    /// <summary>The file the notebook was read from, if any.</summary>
    public string? Path { get; set; }

    /// <summary>A short display name: the file name without extension.</summary>
    public string Name => Path is null ? "notebook" : System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>A deep copy of the notebook.</summary>
    public NotebookDocument Clone()
    {
        var copy = new NotebookDocument
        {
            Metadata = (JsonObject)Metadata.DeepClone(),
            Nbformat = Nbformat,
            NbformatMinor = NbformatMinor,
            Path = Path,
        };
        copy.Cells.AddRange(Cells.Select(c => c.Clone()));
        return copy;
    }
}
