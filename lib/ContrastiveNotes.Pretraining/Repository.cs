using System.Diagnostics;

namespace ContrastiveNotes.Pretraining;

/// <summary>The commit of the code this tool runs from.</summary>
internal static class Repository
{
    /// <summary>HEAD's hash, with "+changes" when lib/ has uncommitted changes; "unknown" without git.</summary>
    public static string Commit(string root)
    {
        string? head = Git(root, "rev-parse HEAD");
        if (head is null) return "unknown";
        return string.IsNullOrWhiteSpace(Git(root, "status --porcelain -- lib")) ? head : head + "+changes";
    }

    private static string? Git(string root, string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = root, RedirectStandardOutput = true, UseShellExecute = false };
            using var git = Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
