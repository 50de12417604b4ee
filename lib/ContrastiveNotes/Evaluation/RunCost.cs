using System.Diagnostics;
using System.Globalization;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// What a piece of work cost: wall-clock time and the process's peak resident memory while it ran, for comparing
/// training methods on the same budget (notebook 07). The peak is the whole process's (data, kernel and library
/// included), so compare methods measured in the same process, one after the other.
/// </summary>
/// <param name="Wall">Elapsed wall-clock time.</param>
/// <param name="StartResidentMiB">Resident set size of the process when the work started, in MiB.</param>
/// <param name="PeakResidentMiB">Peak resident set size of the process during the work, in MiB.</param>
/// <param name="PeakIsExact">
/// True when the peak is the kernel's own high-water mark (Linux: VmHWM, reset before the work through
/// <c>/proc/self/clear_refs</c>); false when it was sampled every 10 ms (other systems, or a kernel that refuses the
/// reset), which can miss short peaks.
/// </param>
public sealed record RunCost(TimeSpan Wall, double StartResidentMiB, double PeakResidentMiB, bool PeakIsExact)
{
    private const string StatusPath = "/proc/self/status";
    private const string ClearRefsPath = "/proc/self/clear_refs";

    /// <summary>Runs <paramref name="work"/> and returns its result with what it cost.</summary>
    public static (T Result, RunCost Cost) Measure<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        bool exact = TryResetHighWaterMark();
        double start = CurrentResidentMiB();
        using var sampler = exact ? null : new ResidentSampler();
        var watch = Stopwatch.StartNew();
        var result = work();
        watch.Stop();
        double peak = exact ? ReadStatusMiB("VmHWM:") : sampler!.StopAndGetPeakMiB();
        return (result, new RunCost(watch.Elapsed, start, peak, exact));
    }

    /// <summary>
    /// MiB the work added to the process's resident set at its peak: <see cref="PeakResidentMiB"/> minus
    /// <see cref="StartResidentMiB"/>. Memory the allocator kept from earlier work and reused is not counted, so
    /// it can understate a run that follows a larger one.
    /// </summary>
    public double AddedResidentMiB => Math.Max(0, PeakResidentMiB - StartResidentMiB);

    /// <summary>E.g. "3 min 12 s, peak 1,234 MiB (+321 MiB)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{FormatWall(Wall)}, peak {PeakResidentMiB:N0} MiB (+{AddedResidentMiB:N0} MiB){(PeakIsExact ? "" : ", sampled")}");

    private static string FormatWall(TimeSpan wall) =>
        wall.TotalMinutes >= 1 ? $"{(int)wall.TotalMinutes} min {wall.Seconds} s" : $"{wall.TotalSeconds:F1} s";

    private static bool TryResetHighWaterMark()
    {
        if (!File.Exists(ClearRefsPath) || !File.Exists(StatusPath)) return false;
        try
        {
            File.WriteAllText(ClearRefsPath, "5"); // 5: reset the peak RSS to the current RSS (Linux 4.0+)
            return !double.IsNaN(ReadStatusMiB("VmHWM:"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double CurrentResidentMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static double ReadStatusMiB(string field)
    {
        foreach (string line in File.ReadLines(StatusPath))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }

    /// <summary>Samples the process's working set every 10 ms on a background thread.</summary>
    private sealed class ResidentSampler : IDisposable
    {
        private readonly Process _process = Process.GetCurrentProcess();
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private long _peakBytes;

        public ResidentSampler()
        {
            Sample();
            _thread = new Thread(Run) { IsBackground = true, Name = "RunCost sampler" };
            _thread.Start();
        }

        public double StopAndGetPeakMiB()
        {
            _stop.Cancel();
            _thread.Join();
            Sample();
            return Interlocked.Read(ref _peakBytes) / (1024.0 * 1024.0);
        }

        public void Dispose()
        {
            _stop.Cancel();
            if (_thread.IsAlive) _thread.Join();
            _stop.Dispose();
            _process.Dispose();
        }

        private void Run()
        {
            while (!_stop.Token.WaitHandle.WaitOne(10))
                Sample();
        }

        private void Sample()
        {
            _process.Refresh();
            long current = _process.WorkingSet64, seen;
            do seen = Interlocked.Read(ref _peakBytes);
            while (current > seen && Interlocked.CompareExchange(ref _peakBytes, current, seen) != seen);
        }
    }
}
