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
            Exercise.CheckStrictly(id, test, "Divide the similarities by the temperature before the softmax.");
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
    public void AFailedCheckSaysWhereWhatWasExpectedAndFoundWithTheHintOnceAndWithoutAStackTrace()
    {
        var (output, error) = Run(() => Exercise.AssertClose(torch.tensor(new[] { 1.0f, 2.5f }), torch.tensor(new[] { 1.0f, 2.0f }), 1e-3, "loss per pair"));
        var failure = Assert.IsType<ExerciseFailedException>(error);
        Assert.Equal("ntxent", failure.ExerciseId);
        Assert.Equal("❌ ntxent: loss per pair: at element [1] expected 2, found 2.5 (the largest difference, 0.5; tolerance 0.001). " +
                     "All values: expected [2] [1, 2], found [2] [1, 2.5].\nHint: Divide the similarities by the temperature before the softmax.", failure.Message);
        Assert.Empty(output); // the kernel shows the error once; nothing is printed besides
        Assert.Equal(failure.Message, failure.ToString());
        Assert.Equal("", failure.StackTrace);
    }

    [Fact]
    public void AMatrixDifferenceNamesItsRowAndColumn()
    {
        var expected = torch.zeros(2, 3);
        var found = torch.zeros(2, 3);
        found[1, 2] = torch.tensor(5.0f);   // second row, third column: flat index 5

        var (_, error) = Run(() => Exercise.AssertClose(found, expected, 1e-3, "similarity matrix"));

        Assert.Contains("similarity matrix: at element [1, 2] expected 0, found 5", Assert.IsType<ExerciseFailedException>(error).Message);
        Assert.Equal("[1, 2]", Exercise.Element(5, [2, 3]));
        Assert.Equal("[1, 0, 3]", Exercise.Element(1 * 20 + 0 * 5 + 3, [2, 4, 5]));
    }

    [Fact]
    public void AShapeMismatchIsReported()
    {
        var (_, error) = Run(() => Exercise.AssertClose(torch.zeros(2, 3), torch.zeros(3, 2), 1e-3, "similarity matrix"));
        Assert.Contains("similarity matrix: expected shape [3, 2], found [2, 3]", Assert.IsType<ExerciseFailedException>(error).Message);
    }

    [Fact]
    public void AStubThatIsNotImplementedGetsAFriendlyMessageAndStillFails()
    {
        var (_, error) = Run(() => throw new NotImplementedException());
        var failure = Assert.IsType<ExerciseFailedException>(error);
        Assert.IsType<NotImplementedException>(failure.InnerException);
        Assert.Contains("not implemented yet", failure.Message);
        Assert.Contains("Hint:", failure.Message);
    }

    [Fact]
    public void AnExceptionFromStudentCodeIsReportedAsAFailure()
    {
        var (_, error) = Run(() => throw new IndexOutOfRangeException("index 5"));
        Assert.Contains("your code threw IndexOutOfRangeException: index 5", Assert.IsType<ExerciseFailedException>(error).Message);
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

    [Fact]
    public void InTheStudentsSessionAFailurePrintsTheSameMessageToStderrAndDoesNotStopTheNotebook()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var (previousOutput, previousErrors) = (Exercise.Output, Exercise.ErrorOutput);
        (Exercise.Output, Exercise.ErrorOutput) = (output, errors);
        int failed, passed;
        try
        {
            failed = Exercise.Check("ntxent", () => Exercise.AssertClose(1.5, 1.0, 1e-3, "loss"), "Look at the temperature.");
            passed = Exercise.Check("ntxent", () => Exercise.AssertClose(1.0, 1.0, 1e-3, "loss"), "Look at the temperature.");
        }
        finally
        {
            (Exercise.Output, Exercise.ErrorOutput) = (previousOutput, previousErrors);
        }

        Assert.Equal(0, failed);
        Assert.Equal(1, passed);
        Assert.Equal("❌ ntxent: loss: expected 1, found 1.5 (tolerance 0.001).\nHint: Look at the temperature.", errors.ToString().Trim().Replace("\r", ""));
        Assert.Equal("✅ ntxent: passed (1 check)", output.ToString().Trim());
    }

    [Fact]
    public void AnAuthoringErrorStillThrowsInTheStudentsSession() =>
        Assert.Throws<InvalidOperationException>(() => Exercise.Check("empty", () => { }, "none"));
}
