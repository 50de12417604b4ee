using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace ContrastiveNotes.Interactive;

/// <summary>
/// The checker behind the notebooks' exercise cells. <see cref="Check"/> runs a test against the student's code and
/// prints <c>✅ id: passed (n checks)</c> on success; on failure it prints one message to the cell's stderr — what
/// was expected and found, where (the element of a tensor), and the hint — and returns, so that Run All goes on to
/// the end of the notebook with exercises unsolved (the cells after an exercise use the library, not the student's
/// code). <see cref="CheckStrictly"/> is the grader's form: the same test, but a failure throws
/// <see cref="ExerciseFailedException"/>, which the kernel shows once as the cell's error, without a stack trace,
/// and which scores the check 0. A <see cref="NotImplementedException"/> from the student stub gets a friendly
/// "not implemented yet" message.
/// </summary>
public static class Exercise
{
    private static readonly AsyncLocal<int?> ChecksInCurrentExercise = new();

    /// <summary>
    /// Where messages go; null (the default) means the current <see cref="Console.Out"/>, looked up at every call
    /// because notebook kernels and the headless runner redirect the console per cell.
    /// </summary>
    public static TextWriter? Output { get; set; }

    /// <summary>Where <see cref="Check"/> writes a failure; null (the default) means the current <see cref="Console.Error"/>.</summary>
    public static TextWriter? ErrorOutput { get; set; }

    private static TextWriter Writer => Output ?? Console.Out;

    private static TextWriter ErrorWriter => ErrorOutput ?? Console.Error;

    /// <summary>
    /// Runs <paramref name="test"/> (which calls the <c>Assert…</c> helpers) for exercise <paramref name="exerciseId"/>;
    /// a failure is printed to stderr with the hint and does not stop the notebook.
    /// </summary>
    /// <param name="exerciseId">Identifier shown in messages, e.g. the nbgrader grade_id <c>"ntxent"</c>.</param>
    /// <param name="test">Checks against the student's code.</param>
    /// <param name="hint">What to look at when the check fails.</param>
    /// <returns>The number of checks that passed, or 0 when the exercise failed.</returns>
    public static int Check(string exerciseId, Action test, string hint)
    {
        try
        {
            return CheckStrictly(exerciseId, test, hint);
        }
        catch (ExerciseFailedException failure)
        {
            ErrorWriter.WriteLine(failure.Message);
            return 0;
        }
    }

    /// <summary>
    /// As <see cref="Check"/>, but a failure throws <see cref="ExerciseFailedException"/> (the cell fails): the form the
    /// grader runs, so that a failed check cannot look like a passed one.
    /// </summary>
    /// <inheritdoc cref="Check" path="/param"/>
    /// <returns>The number of checks that passed.</returns>
    /// <exception cref="ExerciseFailedException">A check failed or the student's code threw.</exception>
    public static int CheckStrictly(string exerciseId, Action test, string hint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(exerciseId);
        ArgumentNullException.ThrowIfNull(test);
        var previous = ChecksInCurrentExercise.Value;
        ChecksInCurrentExercise.Value = 0;
        int checks;
        try
        {
            test();
            checks = ChecksInCurrentExercise.Value ?? 0;
        }
        catch (NotImplementedException ex)
        {
            throw Failure(exerciseId, $"✏️ {exerciseId}: not implemented yet — replace `throw new NotImplementedException();` with your code.", hint, ex);
        }
        catch (ExerciseAssertionException ex)
        {
            throw Failure(exerciseId, $"❌ {exerciseId}: {ex.Message}", hint, ex);
        }
        catch (Exception ex) when (ex is not ExerciseFailedException)
        {
            throw Failure(exerciseId, $"❌ {exerciseId}: your code threw {ex.GetType().Name}: {ex.Message}", hint, ex);
        }
        finally
        {
            ChecksInCurrentExercise.Value = previous;
        }
        if (checks == 0)
            throw new InvalidOperationException($"Exercise '{exerciseId}' ran no checks: call Exercise.AssertClose/AssertTrue inside the test.");
        Writer.WriteLine($"✅ {exerciseId}: passed ({checks} check{(checks == 1 ? "" : "s")})");
        return checks;
    }

    /// <summary>Checks that <paramref name="actual"/> has the shape of <paramref name="expected"/> and equals it within <paramref name="tolerance"/> (max absolute difference).</summary>
    /// <param name="actual">The student's result.</param>
    /// <param name="expected">The reference result.</param>
    /// <param name="tolerance">Largest allowed absolute difference per element.</param>
    /// <param name="what">What the tensor is, for the message (e.g. "NT-Xent loss for batch 1").</param>
    public static void AssertClose(Tensor actual, Tensor expected, double tolerance, string what)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null) Fail($"{what}: expected a tensor of shape {Shapes.Format(expected)}, found null.");
        if (!actual!.shape.SequenceEqual(expected.shape))
            Fail($"{what}: expected shape {Shapes.Format(expected)}, found {Shapes.Format(actual)}.");
        using var scope = torch.NewDisposeScope();
        var a = actual.detach().cpu().to_type(ScalarType.Float64);
        var e = expected.detach().cpu().to_type(ScalarType.Float64);
        if (a.isnan().any().item<bool>() && !e.isnan().any().item<bool>())
            Fail($"{what}: found NaN values (expected e.g. {Preview(e)}); look for a division by zero or log of 0.");
        var difference = a.sub(e).abs();
        double worst = difference.numel() == 0 ? 0 : difference.max().item<double>();
        if (!(worst <= tolerance))
        {
            long at = difference.flatten().argmax().item<long>();
            double expectedThere = e.flatten()[at].item<double>(), foundThere = a.flatten()[at].item<double>();
            Fail(string.Create(CultureInfo.InvariantCulture,
                $"{what}: at element {Element(at, expected.shape)} expected {expectedThere:G6}, found {foundThere:G6} (the largest difference, {worst:G4}; tolerance {tolerance:G3}). All values: expected {Preview(e)}, found {Preview(a)}."));
        }
        Passed();
    }

    /// <summary>Checks that <paramref name="actual"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static void AssertClose(double actual, double expected, double tolerance, string what)
    {
        if (!(Math.Abs(actual - expected) <= tolerance))
            Fail(string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:G6}, found {actual:G6} (tolerance {tolerance:G3})."));
        Passed();
    }

    /// <summary>Checks a condition; <paramref name="message"/> says what was expected when it is false.</summary>
    public static void AssertTrue(bool condition, string message)
    {
        if (!condition) Fail(message);
        Passed();
    }

    private static ExerciseFailedException Failure(string exerciseId, string what, string hint, Exception inner) =>
        new(exerciseId, $"{what}\nHint: {hint}", inner);

    private static void Passed()
    {
        if (ChecksInCurrentExercise.Value is int n) ChecksInCurrentExercise.Value = n + 1;
    }

    private static void Fail(string message) => throw new ExerciseAssertionException(message);

    /// <summary>The position of flat index <paramref name="flat"/> in a tensor of <paramref name="shape"/>, as <c>[row, column, ...]</c>.</summary>
    internal static string Element(long flat, long[] shape)
    {
        if (shape.Length == 0) return "(the scalar)";
        var index = new long[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return "[" + string.Join(", ", index) + "]";
    }

    private static string Preview(Tensor t)
    {
        var values = t.flatten().narrow(0, 0, Math.Min(6, t.numel())).data<double>().ToArray();
        string body = string.Join(", ", values.Select(v => v.ToString("G5", CultureInfo.InvariantCulture)));
        return t.numel() <= 1 ? body : $"{Shapes.Format(t)} [{body}{(t.numel() > 6 ? ", …" : "")}]";
    }

    /// <summary>A failed check inside <see cref="Check"/>; converted to <see cref="ExerciseFailedException"/>.</summary>
    private sealed class ExerciseAssertionException(string message) : Exception(message);
}
