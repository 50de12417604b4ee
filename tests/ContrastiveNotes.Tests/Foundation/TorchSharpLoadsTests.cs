using ContrastiveNotes.Interactive;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Foundation;

public class TorchSharpLoadsTests
{
    [Fact]
    public void ForwardBackwardAndOptimizerStepRunOnThisMachine()
    {
        torch.manual_seed(1);
        var model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1));
        var optimizer = optim.SGD(model.parameters(), 0.1);
        using var input = torch.tensor(new float[] { 1, 2, 3, 4, -1, 0, 1, 2 }).reshape(2, 4);
        using var target = torch.zeros(2, 1);

        double first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(input), target);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        Assert.True(last < first * 0.5, $"loss should fall on a 2-sample regression: first {first}, last {last}");
    }

    [Fact]
    public void GradientOfASquareIsTwiceTheInput()
    {
        using var x = torch.tensor(new double[] { -1.5, 0.0, 2.0 }, requires_grad: true);
        using var y = (x * x).sum();
        y.backward();
        Assert.Equal(new[] { -3.0, 0.0, 4.0 }, x.grad!.data<double>().ToArray());
    }

    [Fact]
    public void DeviceChoiceNamesTheDevice()
    {
        var (device, reason) = DeviceChoice.Choose();
        Assert.Contains(device.type == DeviceType.CUDA ? "cuda" : "cpu", reason);
    }
}
