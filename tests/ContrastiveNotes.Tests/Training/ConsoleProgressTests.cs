using ContrastiveNotes.Training;

namespace ContrastiveNotes.Tests.Training;

public class ConsoleProgressTests
{
    private static TrainingProgress At(long step, long stepInEpoch) => new("SimCLR", 1, 2, stepInEpoch, 4, step, 8,
        Loss: 1.5, EpochMeanLoss: 2.0, LearningRate: 0.3, ImagesPerSecond: 100, Elapsed: TimeSpan.FromSeconds(3), EstimatedRemaining: TimeSpan.FromSeconds(75));

    [Fact]
    public void RedirectedOutputGetsALineEveryNStepsAndAtEpochEnd()
    {
        var text = new StringWriter();
        var console = new ConsoleProgress(text, inPlace: false, linesEverySteps: 3);
        for (int s = 1; s <= 4; s++)
            console.Report(At(s, s));
        var lines = text.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // step 3, and step 4 (epoch end)
        Assert.Equal("SimCLR epoch 1/2 step 3/8 (38%) loss 1.5000 (epoch mean 2.0000) lr 3.00e-01 100 img/s ETA 1:15", lines[0]);
        Assert.StartsWith("SimCLR epoch 1/2 step 4/8 (50%)", lines[1]);
    }

    [Fact]
    public void TerminalOutputRewritesOneLine()
    {
        var text = new StringWriter();
        var console = new ConsoleProgress(text, inPlace: true);
        console.Report(At(1, 1));
        console.Report(At(2, 2));
        string output = text.ToString();
        Assert.Equal(2, output.Count(c => c == '\r'));
        Assert.DoesNotContain('\n', output);
        console.Report(At(4, 4));
        Assert.EndsWith(Environment.NewLine, text.ToString());
    }
}
