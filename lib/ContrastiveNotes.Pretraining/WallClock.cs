namespace ContrastiveNotes.Pretraining;

/// <summary>Training wall time summed over the sessions of a resumed run, kept in a small text file beside the checkpoint.</summary>
internal sealed class WallClock(string path)
{
    public double Total => File.Exists(path) && double.TryParse(File.ReadAllText(path), out double seconds) ? seconds : 0;

    public void Reset() => ContrastiveNotes.IO.AtomicFile.WriteAllText(path, "0");

    public void Add(double seconds) => ContrastiveNotes.IO.AtomicFile.WriteAllText(path, (Total + seconds).ToString("R"));
}
