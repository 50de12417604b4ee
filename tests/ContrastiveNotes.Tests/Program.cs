namespace ContrastiveNotes.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; <see cref="IO.KilledWriterTests"/> start this
/// assembly as a child process with a command and kill it at random moments.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => args switch
    {
        [IO.KilledWriterTests.Command, var folder] => IO.KilledWriterTests.SaveForever(folder),
        _ => 0,
    };
}
