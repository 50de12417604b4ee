namespace ContrastiveNotes.Notebooks.Tests.Support;

/// <summary>Exit code and output of one tool run.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}
