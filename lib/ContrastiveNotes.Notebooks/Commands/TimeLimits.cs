using System.Globalization;

namespace ContrastiveNotes.Notebooks.Commands;

/// <summary>The one rule for time-limit options (<c>--cell-timeout</c>, <c>--timeout</c>).</summary>
public static class TimeLimits
{
    /// <summary>The longest limit accepted: 7 days (waits in .NET are capped at about 24 days).</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(7);

    /// <summary>Seconds as a time limit.</summary>
    /// <exception cref="OptionException">Not a finite number of seconds greater than 0 and at most 7 days.</exception>
    public static TimeSpan FromSeconds(double seconds, string option)
    {
        if (!double.IsFinite(seconds) || seconds <= 0 || seconds > Longest.TotalSeconds)
        {
            throw new OptionException(string.Create(CultureInfo.InvariantCulture,
                $"{option} must be a number of seconds greater than 0 and at most {Longest.TotalSeconds:0} (7 days); found {seconds}."));
        }

        return TimeSpan.FromSeconds(seconds);
    }
}
