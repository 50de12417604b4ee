using System.Diagnostics;

namespace ContrastiveNotes.Training;

/// <summary>
/// Turns a run's steps into <see cref="TrainingProgress"/> reports: throughput over the steps of this session,
/// the time left at that pace, the epoch's mean loss so far and the last <see cref="Trainer.RecentLossWindow"/>
/// step losses.
/// </summary>
internal sealed class ProgressMeter(string method, int epochs, long firstStep)
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private long _images;

    /// <summary>Counts the images of one step.</summary>
    public void Count(long images) => _images += images;

    /// <summary>The report after <paramref name="globalStep"/> steps.</summary>
    public TrainingProgress Report(TrainingHistory history, int epoch, long epochStart, long stepsPerEpoch, long globalStep, long totalSteps, double loss, double learningRate)
    {
        double seconds = Math.Max(_watch.Elapsed.TotalSeconds, 1e-9);
        long stepsDone = globalStep - firstStep;
        var remaining = TimeSpan.FromSeconds(seconds / Math.Max(stepsDone, 1) * (totalSteps - globalStep));
        double epochMean = history.StepLosses.Skip((int)epochStart).Average();
        return new TrainingProgress(method, epoch + 1, epochs, globalStep - epochStart, stepsPerEpoch, globalStep, totalSteps,
            loss, epochMean, learningRate, _images / seconds, _watch.Elapsed, remaining)
        {
            RecentLosses = history.StepLosses.Skip(Math.Max(0, history.StepLosses.Count - Trainer.RecentLossWindow)).ToArray(),
        };
    }
}
