using System.Runtime.InteropServices;
using ContrastiveNotes.Evaluation;

namespace ContrastiveNotes.Tests.Evaluation;

/// <summary>Measures the process's memory, so it runs with no other test class alongside it.</summary>
[CollectionDefinition(nameof(RunCostTests), DisableParallelization = true)]
[Collection(nameof(RunCostTests))]
public class RunCostTests
{
    [Fact]
    public void ReturnsTheWorksResultAndAPeakThatHoldsTheMemoryItTouched()
    {
        var (bytes, cost) = RunCost.Measure(() => TouchNative(256L << 20));
        Assert.Equal(256L << 20, bytes);
        Assert.True(cost.PeakResidentMiB >= 256, $"peak {cost.PeakResidentMiB} MiB while 256 MiB were resident");
        Assert.True(cost.AddedResidentMiB >= 200, $"the run added {cost.AddedResidentMiB:F0} MiB at its peak, holding 256 MiB");
        Assert.True(cost.StartResidentMiB > 0 && cost.StartResidentMiB <= cost.PeakResidentMiB);
        Assert.True(cost.Wall >= TimeSpan.FromMilliseconds(50));
        if (OperatingSystem.IsLinux()) Assert.True(cost.PeakIsExact);
    }

    [Fact]
    public void APeakIsMeasuredFromTheStartOfItsOwnRunNotFromAnEarlierHigherOne()
    {
        // Native memory of this size is mapped for the allocation and unmapped by the free, so the resident set
        // really goes up and down again (managed arrays may stay committed after a collection).
        var (_, big) = RunCost.Measure(() => TouchNative(512L << 20));
        var (_, small) = RunCost.Measure(() => 0);
        Assert.True(big.PeakResidentMiB - small.PeakResidentMiB >= 256,
            $"a run holding 512 MiB peaked at {big.PeakResidentMiB:F0} MiB, an empty run after it at {small.PeakResidentMiB:F0} MiB");
    }

    private static long TouchNative(long bytes)
    {
        var block = Marshal.AllocHGlobal((nint)bytes);
        try
        {
            for (long i = 0; i < bytes; i += 4096) Marshal.WriteByte(block, (int)i, 1);
            Thread.Sleep(50);
            return bytes;
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    [Fact]
    public void RefusesNoWork() => Assert.Throws<ArgumentNullException>(() => RunCost.Measure<int>(null!));
}
