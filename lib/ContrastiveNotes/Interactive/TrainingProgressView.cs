using System.Globalization;
using System.Net;
using System.Text;
using ContrastiveNotes.Training;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// A snapshot of training progress that renders as a compact HTML card with a loss sparkline (inline SVG) in a
/// notebook and as one line of text elsewhere. Display it once and update it in place
/// (<c>var view = LiveDisplay.Show(progress); ... view.Update(next);</c>, see <see cref="LiveDisplay"/>).
/// </summary>
[TypeFormatterSource(typeof(HtmlFormatterSource<TrainingProgressView>))]
public sealed record TrainingProgressView : IHtmlDisplay
{
    /// <summary>Current epoch, counted from 1.</summary>
    public int Epoch { get; init; }

    /// <summary>Total number of epochs.</summary>
    public int TotalEpochs { get; init; }

    /// <summary>Optimizer steps done so far.</summary>
    public long Step { get; init; }

    /// <summary>Total optimizer steps of the run.</summary>
    public long TotalSteps { get; init; }

    /// <summary>Latest (or smoothed) loss.</summary>
    public double Loss { get; init; }

    /// <summary>Throughput in images per second.</summary>
    public double ImagesPerSecond { get; init; }

    /// <summary>Estimated time to the end of the run, if known.</summary>
    public TimeSpan? Eta { get; init; }

    /// <summary>Current learning rate.</summary>
    public double LearningRate { get; init; }

    /// <summary>Recent losses, oldest first, drawn as the sparkline.</summary>
    public IReadOnlyList<double> RecentLosses { get; init; } = Array.Empty<double>();

    /// <summary>
    /// The view of a <see cref="Trainer"/> progress report, so a notebook can write
    /// <c>trainer.ProgressChanged += (_, p) =&gt; card.Update(TrainingProgressView.From(p));</c>.
    /// </summary>
    public static TrainingProgressView From(TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new TrainingProgressView
        {
            Epoch = progress.Epoch, TotalEpochs = progress.Epochs, Step = progress.Step, TotalSteps = progress.TotalSteps,
            Loss = progress.Loss, ImagesPerSecond = progress.ImagesPerSecond, Eta = progress.EstimatedRemaining,
            LearningRate = progress.LearningRate, RecentLosses = progress.RecentLosses,
        };
    }

    /// <summary>Fraction of steps done, in [0, 1].</summary>
    public double Fraction => TotalSteps > 0 ? Math.Clamp((double)Step / TotalSteps, 0, 1) : 0;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}/{TotalEpochs} · step {Step}/{TotalSteps} ({Fraction * 100:0}%) · loss {Loss:0.0000} · {ImagesPerSecond:0} img/s · ETA {FormatEta(Eta)} · lr {LearningRate:0.0e+00}");

    /// <summary>The HTML card: progress bar, figures and sparkline.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<div class=\"contrastive-progress\" style=\"font-family:sans-serif;font-size:13px;display:flex;align-items:center;gap:12px\">");
        html.Append(CultureInfo.InvariantCulture,
            $"<progress value=\"{Step}\" max=\"{Math.Max(TotalSteps, 1)}\" style=\"width:160px\"></progress>");
        html.Append("<span>").Append(WebUtility.HtmlEncode(ToString())).Append("</span>");
        html.Append(Sparkline(RecentLosses, 160, 32));
        html.Append("</div>");
        return html.ToString();
    }

    /// <summary>An inline SVG polyline of <paramref name="values"/> scaled to the box; empty for fewer than 2 finite values.</summary>
    internal static string Sparkline(IReadOnlyList<double> values, int width, int height)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length < 2) return "";
        double min = finite.Min(), max = finite.Max(), range = max - min > 0 ? max - min : 1;
        var points = finite.Select((v, i) => string.Create(CultureInfo.InvariantCulture,
            $"{(double)i / (finite.Length - 1) * (width - 2) + 1:0.##},{height - 1 - (v - min) / range * (height - 2):0.##}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"<svg class=\"contrastive-sparkline\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"recent loss\"><polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"{string.Join(" ", points)}\"/></svg>");
    }

    private static string FormatEta(TimeSpan? eta) =>
        eta is null ? "?" : eta.Value.TotalHours >= 1 ? eta.Value.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : eta.Value.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
