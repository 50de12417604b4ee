using ContrastiveNotes.Interactive;
using TorchSharp;

namespace ContrastiveNotes.Tests.Interactive;

public class CourseTests
{
    [Fact]
    public void GeneratorsWithTheSameSeedDrawTheSameNumbers()
    {
        using var a = Course.Generator(7);
        using var b = Course.Generator(7);
        Assert.Equal(torch.rand(5, generator: a).data<float>().ToArray(), torch.rand(5, generator: b).data<float>().ToArray());
    }

    [Fact]
    public void SetupReportsDeviceThreadsAndVersions()
    {
        var info = Course.Setup(seed: 123);
        Assert.Equal(Course.Device.ToString(), info.Device);
        Assert.True(info.Threads >= 1);
        Assert.Equal(123, info.Seed);
        Assert.StartsWith("0.107", info.TorchSharpVersion);
        Assert.Contains("ContrastiveNotes", info.ToString());
        Assert.Contains("TorchSharp 0.107", info.ToString());
        Assert.False(info.MallocTuned);                        // opt-in: it slows training steps down
        Assert.DoesNotContain("malloc tuned", info.ToString());
    }

    [Fact]
    public void SetupTunesMallocOnlyWhenAsked()
    {
        var info = Course.Setup(seed: 5, limitMallocCache: true);
        Assert.Equal(OperatingSystem.IsLinux() && File.Exists("/lib/x86_64-linux-gnu/libc.so.6"), info.MallocTuned);
        if (info.MallocTuned) Assert.Contains("malloc tuned", info.ToString());
    }

    [Fact]
    public void ThreadsFollowTheCoreCountOnCpu()
    {
        if (Environment.GetEnvironmentVariable(Course.ThreadsVariable) is not null) return; // overridden by the environment
        Assert.Equal(Math.Max(1, Environment.ProcessorCount), Course.ChooseThreads(torch.CPU));
    }

    [Fact]
    public void MallocTuningSucceedsOnGlibcLinuxAndIsANoOpElsewhere()
    {
        bool tuned = Course.TuneMalloc();
        if (OperatingSystem.IsLinux() && File.Exists("/lib/x86_64-linux-gnu/libc.so.6")) Assert.True(tuned);
        if (!OperatingSystem.IsLinux()) Assert.False(tuned);
    }
}
