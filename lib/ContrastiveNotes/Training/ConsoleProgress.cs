namespace ContrastiveNotes.Training;

/// <summary>
/// Writes <see cref="TrainingProgress"/> reports to a console: on a terminal one line updated in place with
/// <c>\r</c> (a new line at each epoch end); when the output is redirected (CI logs, files) one line every
/// <c>linesEverySteps</c> steps and at each epoch end.
/// </summary>
public sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly TextWriter _writer;
    private readonly bool _inPlace;
    private readonly int _linesEverySteps;
    private int _lastLength;

    /// <summary>Creates the writer.</summary>
    /// <param name="writer">Where to write; <see cref="Console.Out"/> by default.</param>
    /// <param name="inPlace">Update one line with \r; by default when the console output is not redirected.</param>
    /// <param name="linesEverySteps">When not in place, write a line every this many steps (plus epoch ends).</param>
    public ConsoleProgress(TextWriter? writer = null, bool? inPlace = null, int linesEverySteps = 100)
    {
        if (linesEverySteps < 1)
            throw new ArgumentOutOfRangeException(nameof(linesEverySteps), linesEverySteps, "Write at least every step (1) or less often.");
        _writer = writer ?? Console.Out;
        _inPlace = inPlace ?? (writer is null && !Console.IsOutputRedirected);
        _linesEverySteps = linesEverySteps;
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        string line = value.ToString();
        if (_inPlace)
        {
            _writer.Write("\r" + line.PadRight(_lastLength));
            _lastLength = line.Length;
            if (value.IsEpochEnd)
            {
                _writer.WriteLine();
                _lastLength = 0;
            }
        }
        else if (value.IsEpochEnd || value.Step % _linesEverySteps == 0)
        {
            _writer.WriteLine(line);
        }
        _writer.Flush();
    }
}
