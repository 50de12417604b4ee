using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ContrastiveNotes.Evaluation;

/// <summary>
/// Linear evaluation protocol: an L2-regularised multinomial logistic regression on frozen features, standardised with
/// the training features' mean and standard deviation. Trained full-batch with Adam for a fixed number of steps on the
/// features' device: the objective is convex, Adam from zero weights converges reliably without a line search
/// (TorchSharp's L-BFGS has none), and a fixed step count keeps runs reproducible.
/// </summary>
public sealed class LinearProbe : IDisposable
{
    private readonly Tensor _mean;
    private readonly Tensor _std;
    private readonly Tensor _weight;
    private readonly Tensor _bias;

    private LinearProbe(Tensor mean, Tensor std, Tensor weight, Tensor bias)
    {
        _mean = mean; _std = std; _weight = weight; _bias = bias;
    }

    /// <summary>Number of classes the probe predicts.</summary>
    public int NumClasses => (int)_bias.shape[0];

    /// <summary>Weights <c>[dim, classes]</c> acting on standardised features (a detached copy).</summary>
    public Tensor Weight => _weight.detach().clone();

    /// <summary>Trains a probe on <paramref name="trainFeatures"/> and reports train and test accuracy.</summary>
    /// <param name="trainFeatures">Frozen features <c>[trainCount, dim]</c>.</param>
    /// <param name="trainLabels">Class labels, int64 <c>[trainCount]</c>.</param>
    /// <param name="testFeatures">Frozen features <c>[testCount, dim]</c>.</param>
    /// <param name="testLabels">Class labels, int64 <c>[testCount]</c>.</param>
    /// <param name="options">Optimisation settings; <see cref="LinearProbeOptions"/> defaults when null.</param>
    /// <param name="device">Device to train on; the train features' device when null.</param>
    /// <param name="numClasses">Number of classes; max label + 1 over both label sets when null.</param>
    public static LinearProbeResult Train(
        Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels,
        LinearProbeOptions? options = null, Device? device = null, int? numClasses = null)
    {
        ShapeChecks.Features(testFeatures, nameof(testFeatures));
        ShapeChecks.Labels(testLabels, testFeatures, nameof(testLabels));
        ShapeChecks.SameDim(trainFeatures, testFeatures);
        int classes = numClasses ?? (int)Math.Max(MaxLabel(trainLabels), MaxLabel(testLabels)) + 1;
        var probe = Fit(trainFeatures, trainLabels, classes, options, device);
        return new LinearProbeResult(probe, probe.Accuracy(trainFeatures, trainLabels), probe.Accuracy(testFeatures, testLabels));
    }

    /// <summary>Fits a probe to <paramref name="features"/> <c>[count, dim]</c> and int64 <paramref name="labels"/> <c>[count]</c>.</summary>
    /// <param name="features">Frozen features <c>[count, dim]</c>.</param>
    /// <param name="labels">Class labels in [0, <paramref name="numClasses"/>), int64 <c>[count]</c>.</param>
    /// <param name="numClasses">Number of output classes.</param>
    /// <param name="options">Optimisation settings; defaults when null.</param>
    /// <param name="device">Device to train on; the features' device when null.</param>
    public static LinearProbe Fit(Tensor features, Tensor labels, int numClasses, LinearProbeOptions? options = null, Device? device = null)
    {
        ShapeChecks.Features(features, nameof(features));
        ShapeChecks.Labels(labels, features, nameof(labels));
        if (numClasses < 2) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "Expected at least 2 classes.");
        options ??= new LinearProbeOptions();
        options.Validate();
        device ??= features.device;

        using var outer = torch.NewDisposeScope();
        var x = features.to(device).to_type(ScalarType.Float32);
        var mean = x.mean(new long[] { 0 }, keepdim: true);
        var std = x.std(0, unbiased: false, keepdim: true).clamp_min(1e-6);
        var standardised = x.sub(mean).div(std);
        var y = labels.to(device).to_type(ScalarType.Int64);

        var weight = new Parameter(torch.zeros(x.shape[1], numClasses, device: device));
        var bias = new Parameter(torch.zeros(numClasses, device: device));
        using var optimizer = torch.optim.Adam(new[] { weight, bias }, options.LearningRate);
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var logits = standardised.mm(weight).add(bias);
            var loss = nn.functional.cross_entropy(logits, y).add(weight.pow(2).sum().mul(options.L2 / 2));
            loss.backward();
            optimizer.step();
        }
        return new LinearProbe(
            mean.MoveToOuterDisposeScope(), std.MoveToOuterDisposeScope(),
            weight.detach().MoveToOuterDisposeScope(), bias.detach().MoveToOuterDisposeScope());
    }

    /// <summary>Class scores <c>[count, classes]</c> for features <c>[count, dim]</c> (moved to the probe's device).</summary>
    public Tensor Logits(Tensor features)
    {
        ShapeChecks.Features(features, nameof(features));
        if (features.shape[1] != _weight.shape[0])
            throw new ArgumentException($"Expected features with {_weight.shape[0]} dimensions (as in training), found {Shapes.Format(features)}.", nameof(features));
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = features.to(_weight.device).to_type(ScalarType.Float32);
        return x.sub(_mean).div(_std).mm(_weight).add(_bias).MoveToOuterDisposeScope();
    }

    /// <summary>Predicted classes, int64 <c>[count]</c>, for features <c>[count, dim]</c>.</summary>
    public Tensor Predict(Tensor features)
    {
        using var logits = Logits(features);
        return logits.argmax(1);
    }

    /// <summary>Fraction of rows of <paramref name="features"/> whose predicted class equals <paramref name="labels"/>.</summary>
    public double Accuracy(Tensor features, Tensor labels)
    {
        ShapeChecks.Labels(labels, features, nameof(labels));
        using var scope = torch.NewDisposeScope();
        var predictions = Predict(features);
        return predictions.eq(labels.to(predictions.device)).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose(); _std.Dispose(); _weight.Dispose(); _bias.Dispose();
    }

    private static long MaxLabel(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var max = labels.max();
        return max.item<long>();
    }
}
