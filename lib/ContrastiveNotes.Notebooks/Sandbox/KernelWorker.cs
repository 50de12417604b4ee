using System.Text;
using ContrastiveNotes.Notebooks.Execution;
using Microsoft.Win32.SafeHandles;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// The process inside the sandbox (<c>contrastive-notebooks kernel-worker</c>): one real C# kernel that runs the
/// cells the grader sends, one at a time, and answers each with what the kernel reported (<see cref="WorkerProtocol"/>).
/// Before any kernel exists it moves its channel off standard input and output onto descriptors that are closed on
/// exec, and points 0 and 1 at <c>/dev/null</c>: a cell's <c>Console.OpenStandardOutput()</c> or a child process it
/// starts writes nowhere near the channel. It holds no cell it has not been sent.
/// </summary>
public static class KernelWorker
{
    /// <summary>The command name (hidden from the tool's help).</summary>
    public const string CommandName = "kernel-worker";

    /// <summary>Serves cells until the grader closes the channel; returns the exit code.</summary>
    public static int Run()
    {
        var (input, output) = TakeChannel();
        using var reader = new StreamReader(input, new UTF8Encoding(false));
        using var writer = new StreamWriter(output, new UTF8Encoding(false)) { AutoFlush = true };
        if (reader.ReadLine() is not { } hello)
        {
            return 2;
        }

        using var executor = new CellExecutor();
        writer.WriteLine(WorkerProtocol.Ready(WorkerProtocol.ParseRequest(hello).Nonce));
        while (reader.ReadLine() is { } line)
        {
            var request = WorkerProtocol.ParseRequest(line);
            var outcome = executor.Execute(request.Source ?? "", request.ExecutionCount, request.Timeout, request.LimitName);
            writer.WriteLine(WorkerProtocol.Reply(request, outcome));
            if (outcome.EndsRun)
            {
                break; // the cell is still running on the kernel's thread; the grader ends the sandbox
            }
        }

        return 0;
    }

    private static (Stream Input, Stream Output) TakeChannel()
    {
        var input = Libc.Check(Libc.Fcntl(0, Libc.DuplicateCloseOnExec, 10), "duplicating standard input");
        var output = Libc.Check(Libc.Fcntl(1, Libc.DuplicateCloseOnExec, 10), "duplicating standard output");
        var devNull = Libc.Check(Libc.Open("/dev/null", Libc.ReadWrite), "opening /dev/null");
        Libc.Check(Libc.Duplicate2(devNull, 0), "redirecting standard input");
        Libc.Check(Libc.Duplicate2(devNull, 1), "redirecting standard output");
        Libc.Close(devNull);
        return (new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Read, 1),
                new FileStream(new SafeFileHandle(output, ownsHandle: true), FileAccess.Write, 1));
    }
}
