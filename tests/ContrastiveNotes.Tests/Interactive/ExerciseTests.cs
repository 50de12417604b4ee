using ContrastiveNotes.Interactive;
using TorchSharp;

namespace ContrastiveNotes.Tests.Interactive;

[Collection(nameof(ExerciseTests))] // Exercise.Output is process-wide: run these one at a time.
public class ExerciseTests
{
    private static (string Output, Exception? Error) Run(Action test, string id = "ntxent")
    {
        var writer = new StringWriter();
        var previous = Exercise.Output;
        Exercise.Output = writer;
        try
        {
            Exercise.Check(id, test, "Divide the similarities by the temperature before the softmax.");
            return (writer.ToString(), null);
        }
        catch (Exception ex) { return (writer.ToString(), ex); }
        finally { Exercise.Output = previous; }
    }

    [Fact]
    public void PassingChecksAreCountedAndReported()
    {
        var (output, error) = Run(() =>
        {
            Exercise.AssertClose(torch.tensor(new[] { 1.0f, 2.0f }), torch.tensor(new[] { 1.0f, 2.00001f }), 1e-4, "loss");
            Exercise.AssertClose(0.5, 0.5, 0, "accuracy");
            Exercise.AssertTrue(true, "shape");
        });
        Assert.Null(error);
        Assert.Equal("✅ ntxent: passed (3 checks)", output.Trim());
    }

    [Fact]
    public void AFailedCheckSaysWhatWasExpectedAndFoundPrintsTheHintAndThrows()
    {
        var (output, error) = Run(() => Exercise.AssertClose(torch.tensor(new[] { 1.0f, 2.5f }), torch.tensor(new[] { 1.0f, 2.0f }), 1e-3, "loss per pair"));
        var failure = Assert.IsType<ExerciseFailedException>(error);
        Assert.Equal("ntxent", failure.ExerciseId);
        Assert.Contains("loss per pair: expected [2] [1, 2], found [2] [1, 2.5] (largest difference 0.5 at flat index 1", output);
        Assert.Contains("Hint: Divide the similarities", output);
        Assert.Contains("Hint: Divide the similarities", failure.Message);
    }

    [Fact]
    public void AShapeMismatchIsReported()
    {
        var (output, error) = Run(() => Exercise.AssertClose(torch.zeros(2, 3), torch.zeros(3, 2), 1e-3, "similarity matrix"));
        Assert.IsType<ExerciseFailedException>(error);
        Assert.Contains("similarity matrix: expected shape [3, 2], found [2, 3]", output);
    }

    [Fact]
    public void AStubThatIsNotImplementedGetsAFriendlyMessageAndStillFails()
    {
        var (output, error) = Run(() => throw new NotImplementedException());
        var failure = Assert.IsType<ExerciseFailedException>(error);
        Assert.IsType<NotImplementedException>(failure.InnerException);
        Assert.Contains("not implemented yet", output);
        Assert.Contains("Hint:", output);
    }

    [Fact]
    public void AnExceptionFromStudentCodeIsReportedAsAFailure()
    {
        var (output, error) = Run(() => throw new IndexOutOfRangeException("index 5"));
        Assert.IsType<ExerciseFailedException>(error);
        Assert.Contains("your code threw IndexOutOfRangeException: index 5", output);
    }

    [Fact]
    public void ByDefaultMessagesGoToTheConsoleOfTheMomentAsNotebookKernelsRedirectIt()
    {
        var previousConsole = Console.Out;
        var previousOutput = Exercise.Output;
        var cell = new StringWriter();
        try
        {
            Exercise.Output = null;
            Console.SetOut(cell);
            Exercise.Check("console", () => Exercise.AssertTrue(true, "always"), "none");
        }
        finally
        {
            Console.SetOut(previousConsole);
            Exercise.Output = previousOutput;
        }
        Assert.Contains("✅ console: passed (1 check)", cell.ToString());
    }

    [Fact]
    public void ATestWithoutChecksIsAnAuthoringError()
    {
        var (_, error) = Run(() => { });
        Assert.IsType<InvalidOperationException>(error);
    }
}
