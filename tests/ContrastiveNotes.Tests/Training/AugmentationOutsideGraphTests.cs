using ContrastiveNotes.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Training;

/// <summary>Every method draws its augmented views with autograd off, so augmentation never enters the backward graph.</summary>
public class AugmentationOutsideGraphTests
{
    [Theory]
    [InlineData("SimCLR")]
    [InlineData("MoCo")]
    [InlineData("SupCon")]
    [InlineData("Supervised")]
    public void AugmentationRunsWithAutogradOffAndItsViewsCarryNoGraph(string name)
    {
        using var scope = NewDisposeScope();
        var gradEnabledInAugment = new List<bool>();
        var viewsRequireGrad = new List<bool>();
        Tensor Recording(Tensor images, Generator generator)
        {
            gradEnabledInAugment.Add(is_grad_enabled());
            var view = TrainingTestKit.Augment(images, generator);
            viewsRequireGrad.Add(view.requires_grad);
            return view;
        }
        var method = MethodWith(name, Recording);
        using var generator = new Generator(3);
        var images = rand(new long[] { 4, 1, TrainingTestKit.Size, TrainingTestKit.Size }, generator: generator).requires_grad_(true);
        var labels = tensor(new long[] { 0, 1, 0, 1 });

        var loss = method.Step(images, labels, generator).Loss;
        loss.backward();

        Assert.True(is_grad_enabled());
        Assert.NotEmpty(gradEnabledInAugment);
        Assert.All(gradEnabledInAugment, Assert.False);
        Assert.All(viewsRequireGrad, Assert.False);
        Assert.True(images.grad is null, "The images' gradient must stay empty: the views were drawn outside the graph.");
    }

    private static ITrainingMethod MethodWith(string name, Func<Tensor, Generator, Tensor> augment) => name switch
    {
        "SimCLR" => new SimClrMethod(TrainingTestKit.Encoder(), TrainingTestKit.Head(), augment, new TrainingTestKit.ReferenceNtXent()),
        "MoCo" => new MoCoMethod(TrainingTestKit.Encoder, () => TrainingTestKit.Head(), augment,
            projectionDim: 8, queueSize: 20, temperature: 0.2, momentum: 0.9, queueSeed: 5),
        "SupCon" => new SupConMethod(TrainingTestKit.Encoder(), TrainingTestKit.Head(), augment, temperature: 0.1),
        _ => new SupervisedMethod(TrainingTestKit.Encoder(), TrainingTestKit.Head(4), augment),
    };
}
