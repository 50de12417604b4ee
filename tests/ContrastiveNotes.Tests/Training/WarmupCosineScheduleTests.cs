using ContrastiveNotes.Training;

namespace ContrastiveNotes.Tests.Training;

public class WarmupCosineScheduleTests
{
    // Peak 0.4, 4 warm-up steps, 13 steps in all: the cosine runs over steps 4..12 with p = (s - 4) / 8.
    [Theory]
    [InlineData(0, 0.1)]                 // 0.4 * 1/4
    [InlineData(1, 0.2)]                 // 0.4 * 2/4
    [InlineData(3, 0.4)]                 // end of warm-up
    [InlineData(4, 0.4)]                 // p = 0
    [InlineData(6, 0.34142135623730950)] // p = 1/4: 0.2 * (1 + cos(pi/4)) = 0.2 * 1.7071067811865475
    [InlineData(8, 0.2)]                 // p = 1/2: 0.2 * (1 + 0)
    [InlineData(10, 0.05857864376269050)]// p = 3/4: 0.2 * (1 - 0.7071067811865475)
    [InlineData(12, 0.0)]                // p = 1: final rate
    public void ValuesMatchTheClosedFormAtChosenSteps(long step, double expected)
    {
        var schedule = new WarmupCosineSchedule(0.4, warmupSteps: 4, totalSteps: 13);
        Assert.Equal(expected, schedule.LearningRateAt(step), 12);
    }

    [Fact]
    public void FinalRateIsTheFloorOfTheCosine()
    {
        var schedule = new WarmupCosineSchedule(1.0, warmupSteps: 0, totalSteps: 5, finalLearningRate: 0.1);
        Assert.Equal(1.0, schedule.LearningRateAt(0), 12);
        Assert.Equal(0.55, schedule.LearningRateAt(2), 12); // 0.1 + 0.45 * (1 + cos(pi/2))
        Assert.Equal(0.1, schedule.LearningRateAt(4), 12);
    }

    [Theory]
    [InlineData(0.1, 5, 5)]
    [InlineData(0.1, -1, 5)]
    [InlineData(0.0, 0, 5)]
    [InlineData(0.1, 0, 0)]
    public void ImpossibleSettingsThrow(double peak, long warmup, long total) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupCosineSchedule(peak, warmup, total));
}
