using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;
using Kit = ContrastiveNotes.Tests.Training.TrainingTestKit;

namespace ContrastiveNotes.Tests.Training;

public class MoCoMethodTests
{
    [Fact]
    public void ALossComputedOutsideTheTrainerChangesNeitherTheQueueNorTheKeyNetwork()
    {
        var method = (MoCoMethod)Kit.Method("MoCo", initSeed: 1);
        var (images, labels) = Kit.Quadrants(8, seed: 2);
        var queueBefore = method.Queue.Keys.data<float>().ToArray();
        var keyBefore = method.Modules[1].parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        using var generator = new Generator(3, CPU);

        using (var scope = NewDisposeScope())
        {
            method.ComputeLoss(images, labels, generator);
            method.Step(images, labels, generator); // a step nobody took: its follow-up never runs
        }

        Assert.Equal(0, method.Queue.Pointer);
        Assert.Equal(queueBefore, method.Queue.Keys.data<float>().ToArray());
        Assert.Equal(keyBefore, method.Modules[1].parameters().SelectMany(p => p.data<float>().ToArray()).ToArray());
    }

    [Fact]
    public void EachStepEnqueuesTheKeysAndMovesTheKeyNetworkByTheEmaFormula()
    {
        var method = (MoCoMethod)Kit.Method("MoCo", initSeed: 1);
        var (images, labels) = Kit.Quadrants(8, seed: 2);
        var query = method.Modules[0];
        var key = method.Modules[1];
        var keyBefore = key.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        var queueBefore = method.Queue.Keys.data<float>().ToArray();
        using var optimizer = OptimizerFactory.Create(new TrainingOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 0.5 },
            method.TrainableParameters.Select(p => p.Parameter));
        using var generator = new Generator(3, CPU);

        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            var step = method.Step(images, labels, generator);
            step.Loss.backward();
            optimizer.step();
            step.AfterOptimizerStep!();
        }

        Assert.Equal(8, method.Queue.Pointer);
        var queueAfter = method.Queue.Keys.data<float>().ToArray();
        Assert.NotEqual(queueBefore.Take(8 * 8), queueAfter.Take(8 * 8));           // rows 0..7 replaced
        Assert.Equal(queueBefore.Skip(8 * 8), queueAfter.Skip(8 * 8));              // rows 8..19 kept
        var queryAfter = query.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        var keyAfter = key.parameters().Select(p => p.data<float>().ToArray()).ToArray();
        for (int t = 0; t < keyAfter.Length; t++)
            for (int i = 0; i < keyAfter[t].Length; i++)
                Assert.Equal(0.9 * keyBefore[t][i] + 0.1 * queryAfter[t][i], keyAfter[t][i], 1e-6); // θk ← m θk + (1 − m) θq
        Assert.All(method.TrainableParameters, p => Assert.DoesNotContain(key.parameters(), k => k.Handle == p.Parameter.Handle));
    }
}
