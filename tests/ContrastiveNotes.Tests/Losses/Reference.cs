using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Tests.Losses;

/// <summary>
/// Plain double-precision helpers for the independent reference computations: arrays and loops only, no TorchSharp
/// ops on the reference side (tensors are only built from, and read back into, arrays).
/// </summary>
internal static class Reference
{
    public static double[][] RandomMatrix(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        var matrix = new double[rows][];
        for (int i = 0; i < rows; i++)
        {
            matrix[i] = new double[cols];
            for (int j = 0; j < cols; j++)
                matrix[i][j] = random.NextDouble() * 2 - 1;
        }
        return matrix;
    }

    public static Tensor ToTensor(double[][] matrix, bool requiresGrad = false)
    {
        int rows = matrix.Length, cols = matrix[0].Length;
        var flat = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            Array.Copy(matrix[i], 0, flat, i * cols, cols);
        return torch.tensor(flat, new long[] { rows, cols }, dtype: ScalarType.Float64, requires_grad: requiresGrad);
    }

    public static double[][] ToMatrix(Tensor tensor)
    {
        var flat = tensor.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        int rows = (int)tensor.shape[0], cols = (int)(flat.Length / rows);
        return Enumerable.Range(0, rows).Select(i => flat.Skip(i * cols).Take(cols).ToArray()).ToArray();
    }

    public static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    public static double Norm(double[] a) => Math.Sqrt(Dot(a, a));

    public static double Cosine(double[] a, double[] b) => Dot(a, b) / (Norm(a) * Norm(b));

    public static double Distance(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(sum);
    }

    /// <summary>log Σ exp(x_k) over the given values, computed stably.</summary>
    public static double LogSumExp(IEnumerable<double> values)
    {
        var list = values.ToList();
        double max = list.Max();
        double sum = 0;
        foreach (var v in list)
            sum += Math.Exp(v - max);
        return max + Math.Log(sum);
    }

    public static double[][] Concat(double[][] first, double[][] second) => first.Concat(second).ToArray();

    public static double Scalar(Tensor tensor) => tensor.to_type(ScalarType.Float64).item<double>();

    /// <summary>
    /// Checks autograd's gradient of <paramref name="loss"/> with respect to <paramref name="input"/> against central
    /// finite differences (step 1e-6, float64) on every entry.
    /// </summary>
    public static void AssertGradientMatchesFiniteDifferences(double[][] input, Func<Tensor, Tensor> loss, double tolerance = 1e-6)
    {
        var x = ToTensor(input, requiresGrad: true);
        loss(x).backward();
        var autograd = ToMatrix(x.grad!);
        const double step = 1e-6;
        for (int i = 0; i < input.Length; i++)
            for (int j = 0; j < input[i].Length; j++)
            {
                var plus = input.Select(row => (double[])row.Clone()).ToArray();
                var minus = input.Select(row => (double[])row.Clone()).ToArray();
                plus[i][j] += step;
                minus[i][j] -= step;
                double numeric;
                using (torch.no_grad())
                    numeric = (Scalar(loss(ToTensor(plus))) - Scalar(loss(ToTensor(minus)))) / (2 * step);
                Assert.True(Math.Abs(numeric - autograd[i][j]) <= tolerance * Math.Max(1, Math.Abs(numeric)),
                    $"d loss / d x[{i},{j}]: autograd {autograd[i][j]}, finite differences {numeric}");
            }
    }
}
