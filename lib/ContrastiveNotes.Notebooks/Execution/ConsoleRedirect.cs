using System.Text;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// Replaces <see cref="Console.Out"/> and <see cref="Console.Error"/> with writers that send
/// everything to the running cell's <see cref="OutputCapture"/>, while the tool's own progress
/// lines go to the original console (<see cref="ToolOut"/>).
/// </summary>
public static class ConsoleRedirect
{
    private static TextWriter? _toolOut;

    /// <summary>The process's real standard output, for the tool's own messages.</summary>
    public static TextWriter ToolOut => _toolOut ?? Console.Out;

    /// <summary>The process's real standard error, for the tool's own messages.</summary>
    public static TextWriter ToolError { get; private set; } = Console.Error;

    /// <summary>Installs the redirect once; later calls do nothing.</summary>
    public static void Install()
    {
        if (_toolOut is not null)
        {
            return;
        }

        _toolOut = Console.Out;
        ToolError = Console.Error;
        Console.SetOut(new CellWriter("stdout"));
        Console.SetError(new CellWriter("stderr"));
    }

    private sealed class CellWriter(string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Send(value.ToString());

        public override void Write(string? value) => Send(value);

        public override void Write(char[] buffer, int index, int count) => Send(new string(buffer, index, count));

        public override void WriteLine(string? value) => Send(value + "\n");

        public override void WriteLine() => Send("\n");

        private void Send(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            if (DisplayChannel.Current is { } capture)
            {
                capture.WriteStream(stream, text.Replace("\r\n", "\n"));
            }
            else
            {
                (stream == "stderr" ? ToolError : ToolOut).Write(text);
            }
        }
    }
}
