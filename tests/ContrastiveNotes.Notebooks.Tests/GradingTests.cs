using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>
/// Grading honest, broken and attacking submissions in one run, in the real sandbox (bubblewrap) on the real kernel.
/// Every attacker's solution is wrong and carries the attack: each must score 0 on that check, leave the key and the
/// other submissions untouched, and not keep the run past its limits.
/// </summary>
public sealed class GradingTests
{
    private const string Secret = "SECRET-SOLUTION-7f3a";

    private static Fixture Key(string squareCheck = DefaultSquareCheck, params string[] squareNotAllowed) => new Fixture()
        .Parameters("var n = 10;")
        .Solution("square_sol", $"int Square(int x)\n{{\n    // BEGIN SOLUTION\n    // {Secret}\n    return x * x;\n    // END SOLUTION\n}}", squareNotAllowed)
        .Check("square", 2, squareCheck)
        .Solution("twice_sol", "int Twice(int x) =>\n    // BEGIN SOLUTION\n    2 * x;\n    // END SOLUTION")
        .Check("twice", 3, "if (n != 2) throw new global::System.Exception(\"the fast profile was not used\");\nif (Twice(n) != 2 * n) throw new global::System.Exception(\"Twice\");")
        .Profiles("""{"fast": {"n": 2}, "full": {"n": 1000}}""");

    /// <summary>The reference is the BCL's Math.Pow, so a submission's own <c>Math</c> class is the shadowing attack.</summary>
    private const string DefaultSquareCheck =
        "if (Square(3) != 9) throw new global::System.Exception(\"Square(3) should be 9\");\n" +
        "// BEGIN HIDDEN TESTS\n" +
        "if (Square(-2) != (int)global::System.Math.Pow(-2, 2)) throw new global::System.Exception(\"hidden: Square(-2) should be 4\");\n" +
        "// END HIDDEN TESTS";

    private static void Submission(string path, string square, string twice = "int Twice(int x) => 2 * x;", string? squareCheck = null)
    {
        var notebook = Key().Build();
        var cells = notebook["cells"]!.AsArray();
        cells[1]!["source"] = square;
        cells[3]!["source"] = twice;
        if (squareCheck is not null)
        {
            cells[2]!["source"] = squareCheck;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, notebook.ToJsonString());
    }

    /// <summary>Wrong for negative numbers: only the hidden test catches it.</summary>
    private const string Wrong = "int Square(int x) => x < 0 ? 0 : x * x;\n";

    [Fact]
    public void HonestBrokenAndAttackingSubmissionsAreScoredByTheGraderAlone()
    {
        using var temp = new TempFolder();
        var key = Key().Save(temp.File("key/key.ipynb"));
        var grades = temp.File("grades");
        var alice = temp.File("subs/alice.ipynb");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Submission(alice, "int Square(int x) => x * x;");
        Submission(temp.File("subs/bob.ipynb"), Wrong, "int Twice(int x) => x + x;", squareCheck: "// nothing to see");
        Submission(temp.File("subs/carol.ipynb"), "int Square(int x) => x * x;", "int Twice(int x) => 2 * x;\nEnvironment.Exit(42);");
        Submission(temp.File("subs/dave.ipynb"), "int Square(int x) => x * x;", "int Twice(int x) => 2 * x;\nwhile (true) { }");
        File.WriteAllText(temp.File("subs/erin.ipynb"), "{ not json");
        var frank = Key().Build();
        frank["cells"]![1]!["source"] = 42;
        File.WriteAllText(temp.File("subs/frank.ipynb"), frank.ToJsonString());
        foreach (var (name, attack) in Attacks(key, alice, grades, port))
        {
            Submission(temp.File($"subs/{name}.ipynb"), Wrong + attack);
        }

        var before = Hashes(key, alice);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = Tool.Run(temp.Path, TimeSpan.FromMinutes(8), "grade", "subs", "--key", key, "--output", "grades",
            "--cell-timeout", "10", "--timeout", "90", "--memory-gib", "1.5", "--max-tasks", "256");

        var elapsed = watch.Elapsed;
        Assert.True(result.ExitCode == 1, $"erin and frank are invalid, so grade must exit 1:\n{result.All}");
        var rows = File.ReadAllLines(temp.File("grades/key/scores.csv")).Skip(1).ToDictionary(l => l.Split(',')[0], l => l.Split(','));
        Assert.Equal(["2", "3", "5", "5", "completed"], rows["alice"][1..]);
        Assert.Equal(["0", "3", "3", "5", "wrong answers"], rows["bob"][1..]);
        Assert.Equal(["2", "0", "2", "5", "crashed"], rows["carol"][1..]);
        Assert.Equal(["2", "0", "2", "5", "timed out"], rows["dave"][1..]);
        Assert.Equal(["0", "0", "0", "5", "invalid"], rows["erin"][1..]);
        Assert.Equal(["0", "0", "0", "5", "invalid"], rows["frank"][1..]);
        foreach (var (name, _) in Attacks(key, alice, grades, port))
        {
            Assert.True(rows[name][1] == "0", $"{name} scored {rows[name][1]} on the attacked check:\n{File.ReadAllText(temp.File("grades/key/scores.md"))}");
        }

        var markdown = File.ReadAllText(temp.File("grades/key/scores.md"));
        Assert.Contains("Protection: bubblewrap sandbox", markdown);
        Assert.Contains("bob / square: Exception: hidden: Square(-2) should be 4", markdown);
        Assert.Contains("frank: ", File.ReadAllText(temp.File("grades/class.md")).Replace("| frank |", "frank: ", StringComparison.Ordinal));
        Assert.Contains("'cells[1].source' must be a string or an array of strings", result.All);
        // A control group kills the kernel at the limit; under the rlimit fallback the allocation itself fails.
        Assert.Matches("hog / square: .*(memory limit|OutOfMemoryException)", markdown);

        // Nothing read what it should not.
        var reader = OutputText(temp.File("grades/key/executed/reader.ipynb"));
        Assert.DoesNotContain(Secret, reader);
        Assert.DoesNotContain("LEAK", reader);
        Assert.Equal(5, reader.Split("denied").Length - 1);
        Assert.Contains("notebooks folder holds: \n", reader.Replace("\r", "", StringComparison.Ordinal) + "\n");
        // The writer's writes to the key's and alice's paths land in the sandbox's own /tmp (checked by hash below);
        // the course's lib folder is read-only.
        Assert.Contains("denied IOException", OutputText(temp.File("grades/key/executed/writer.ipynb")));
        Assert.False(listener.Pending(), "a sandboxed submission reached a socket on the host's loopback");

        // Nothing was changed that it should not, and nothing runs on after the grader.
        Thread.Sleep(TimeSpan.FromSeconds(6)); // the detached attacker waits 4 s before it would write
        Assert.Equal(before, Hashes(key, alice));
        Assert.DoesNotContain("forged", File.ReadAllText(temp.File("grades/class.csv")));
        Assert.DoesNotContain("forged", File.ReadAllText(temp.File("grades/key/scores.csv")));
        // (Other tests write into the repository's artifacts at the same time, so the writer's own files are looked for.)
        Assert.False(File.Exists(Path.Combine(RepositoryPaths.Root, "artifacts", "models", "fast", $"forged-{port}.bin")));
        Assert.False(File.Exists(Path.Combine(RepositoryPaths.Root, "lib", $"evil-{port}.txt")));
        Assert.Empty(SandboxProcesses().Where(p => p.Contains("sleep", StringComparison.Ordinal))); // the attackers' children
        Assert.True(elapsed < TimeSpan.FromMinutes(6), $"grading took {elapsed}");

        // Feedback: the run as graded, without the hidden tests' code and without the key's solutions.
        var feedback = File.ReadAllText(temp.File("grades/key/feedback/bob.ipynb"));
        Assert.DoesNotContain("BEGIN HIDDEN TESTS", feedback);
        Assert.DoesNotContain(Secret, feedback);
        Assert.Contains("hidden: Square(-2) should be 4", feedback);
        Assert.True(File.Exists(temp.File("grades/key/feedback/bob.html")));
        NbformatValidation.AssertValid(temp.File("grades/key/executed/alice.ipynb"));
        NbformatValidation.AssertValid(temp.File("grades/key/executed/dave.ipynb"));
    }

    /// <summary>Each attack class of the issue, as code in the attacker's (wrong) solution cell.</summary>
    private static IEnumerable<(string Name, string Code)> Attacks(string key, string alice, string grades, int port)
    {
        // Shadowing: the check's reference Math.Pow, if it were looked up by its short name, would be this one.
        yield return ("shadow", "static class Math { public static double Pow(double x, double y) => x < 0 ? 0 : System.Math.Pow(x, y); }");
        // Forging the result files the grader writes (their paths are known to the attacker).
        yield return ("forger", $$"""
            foreach (var f in new[] { @"{{grades}}/key/scores.csv", @"{{grades}}/class.csv", @"{{grades}}/key/executed/forger.ipynb" })
                try { System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(f)!); System.IO.File.WriteAllText(f, "forger,2,3,5,5,completed forged"); } catch (Exception e) { Console.WriteLine("denied " + e.GetType().Name); }
            """);
        yield return ("exithook", $$"""
            AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { System.IO.File.WriteAllText(@"{{grades}}/class.csv", "forged"); } catch { } };
            Environment.Exit(0);
            """);
        yield return ("detached", $$"""
            System.Diagnostics.Process.Start("/bin/sh", new[] { "-c", "setsid sh -c 'sleep 4; echo forged > {{grades}}/class.csv; echo forged > {{grades}}/key/scores.csv' > /dev/null 2>&1 < /dev/null &" })!.WaitForExit();
            """);
        // Writing replies on the grader's channel: every descriptor this process holds, and standard output.
        yield return ("channel", """
            var fake = "{\"cell\":4,\"nonce\":\"00\",\"status\":\"Completed\",\"outputs\":[],\"error\":null,\"stderr\":false,\"seconds\":0}\n";
            foreach (var fd in System.IO.Directory.GetFiles("/proc/self/fd"))
                try { using var s = new System.IO.FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)int.Parse(System.IO.Path.GetFileName(fd)), false), System.IO.FileAccess.Write); s.Write(System.Text.Encoding.UTF8.GetBytes(fake)); } catch { }
            using (var o = Console.OpenStandardOutput()) o.Write(System.Text.Encoding.UTF8.GetBytes(fake));
            """);
        // Reading the key, a classmate, the course's notebooks (keys) and the network.
        yield return ("reader", $$"""
            foreach (var f in new[] { @"{{key}}", @"{{alice}}", "../notebooks/03-simclr.ipynb", "../.git/HEAD" })
                try { Console.WriteLine("LEAK " + System.IO.File.ReadAllText(f)); } catch (Exception e) { Console.WriteLine("denied " + e.GetType().Name); }
            Console.WriteLine("notebooks folder holds: " + string.Join(",", System.IO.Directory.GetFiles(".")));
            try { new System.Net.Sockets.TcpClient().Connect("127.0.0.1", {{port}}); Console.WriteLine("LEAK network"); } catch (Exception e) { Console.WriteLine("denied " + e.GetType().Name); }
            """);
        // Rewriting the key, a classmate and the repository (library folder, shared encoders).
        yield return ("writer", $$"""
            foreach (var f in new[] { @"{{key}}", @"{{alice}}", "../lib/evil-{{port}}.txt", "../artifacts/models/fast/forged-{{port}}.bin" })
                try { System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(f)!); System.IO.File.WriteAllText(f, "forged"); Console.WriteLine("wrote " + f); } catch (Exception e) { Console.WriteLine("denied " + e.GetType().Name + ": " + e.Message); }
            """);
        // Escaping the limits: memory, processes, a child holding the output pipe, a foreground thread.
        yield return ("hog", """
            var hog = new System.Collections.Generic.List<byte[]>();
            for (var i = 0; i < 24; i++) { var b = new byte[256 << 20]; System.Array.Fill(b, (byte)1); hog.Add(b); }
            """);
        yield return ("forkbomb", """
            for (var i = 0; i < 5000; i++) try { System.Diagnostics.Process.Start("/bin/sleep", "600"); } catch { break; }
            """);
        yield return ("piper", """
            System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sleep", "600") { UseShellExecute = false });
            new System.Threading.Thread(() => { while (true) { } }) { IsBackground = false }.Start();
            """);
    }

    [Fact]
    public void AKeyWhoseCheckCallsAShortNameIsRefusedBecauseASubmissionCouldShadowIt()
    {
        using var temp = new TempFolder();
        var unqualified = DefaultSquareCheck.Replace("global::System.Math.Pow", "Math.Pow", StringComparison.Ordinal);
        var key = Key(unqualified).Save(temp.File("key/key.ipynb"));
        Submission(temp.File("subs/shadow.ipynb"), Wrong + "static class Math { public static double Pow(double x, double y) => x < 0 ? 0 : System.Math.Pow(x, y); }");

        // The attack is real: run as one notebook, the short name finds the submission's class and the wrong answer passes.
        var shadowed = Key(unqualified).Build();
        shadowed["cells"]![1]!["source"] = Wrong + "static class Math { public static double Pow(double x, double y) => x < 0 ? 0 : System.Math.Pow(x, y); }";
        File.WriteAllText(temp.File("shadowed.ipynb"), shadowed.ToJsonString());
        var run = Tool.Run(temp.Path, "run", "shadowed.ipynb", "--output", "out", "--profile", "fast");
        Assert.True(run.ExitCode == 0, "the shadowing attack should pass an unqualified check: " + run.All);

        var grade = Tool.Run(temp.Path, "grade", "subs", "--key", key, "--output", "grades");

        Assert.Equal(2, grade.ExitCode);
        Assert.Contains("'Math' is not written with global::", grade.Stderr);
        Assert.DoesNotContain("   at ", grade.All);
    }

    [Fact]
    public void WithoutBwrapGradeRefusesAndSaysSoUnlessToldToRunUnsafe()
    {
        using var temp = new TempFolder();
        var key = Key().Save(temp.File("key/key.ipynb"));
        Submission(temp.File("subs/alice.ipynb"), "int Square(int x) => x * x;");
        var noBwrap = new Dictionary<string, string> { ["PATH"] = "/nonexistent" };

        var refused = ExternalProcess.Run("dotnet", [Tool.ToolPath, "grade", "subs", "--key", key, "--output", "grades"], TimeSpan.FromMinutes(3), temp.Path, noBwrap);
        var unsafeRun = ExternalProcess.Run("dotnet", [Tool.ToolPath, "grade", "subs", "--key", key, "--output", "unsafe", "--unsafe-no-sandbox"], TimeSpan.FromMinutes(3), temp.Path, noBwrap);

        Assert.True(refused.ExitCode == 1, refused.All);
        Assert.Contains("NOT GRADED: the sandbox cannot run here (bwrap was not found on PATH", File.ReadAllText(temp.File("grades/class.md")));
        Assert.Contains("alice,0,0,0,5,sandbox refused", File.ReadAllLines(temp.File("grades/key/scores.csv")));
        Assert.True(unsafeRun.ExitCode == 0, unsafeRun.All);
        Assert.Contains("NO SANDBOX (--unsafe-no-sandbox)", File.ReadAllText(temp.File("unsafe/class.md")));
        Assert.Contains("alice,2,3,5,5,completed", File.ReadAllLines(temp.File("unsafe/key/scores.csv")));
    }

    [Fact]
    public void SeveralNotebooksAreGradedIntoOneClassTable()
    {
        using var temp = new TempFolder();
        var first = Key().Save(temp.File("keys/first.ipynb"));
        var second = Key().Save(temp.File("keys/second.ipynb"));
        Submission(temp.File("subs/alice/first.ipynb"), "int Square(int x) => x * x;");
        Submission(temp.File("subs/alice/second.ipynb"), Wrong);
        Submission(temp.File("subs/bob/first.ipynb"), Wrong, "int Twice(int x) => 3 * x;");

        var result = Tool.Run(temp.Path, "grade", "subs", "--key", first, "--key", second, "--output", "grades", "--cell-timeout", "20");

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Equal(
            [
                "student,first/square,first/twice,second/square,second/twice,total,max,status",
                "alice,2,3,0,3,8,10,first: completed; second: wrong answers",
                "bob,0,0,0,0,0,10,first: wrong answers; second: missing",
            ],
            File.ReadAllLines(temp.File("grades/class.csv")));
        Assert.Contains("- bob / second/square: no submission", File.ReadAllText(temp.File("grades/class.md")));
    }

    [Fact]
    public void ASolutionThatUsesANameItsExerciseDoesNotAllowScoresZeroWhereverItPassesItsCheck()
    {
        using var temp = new TempFolder();
        var key = Key(DefaultSquareCheck, "Pow").Save(temp.File("key/key.ipynb"));
        Submission(temp.File("subs/shortcut.ipynb"), "int Square(int x) => (int)global::System.Math.Pow(x, 2);");
        Submission(temp.File("subs/honest.ipynb"), "// Math.Pow(x, 2) would do it too\nint Square(int x) => x * x;");

        var result = Tool.Run(temp.Path, "grade", "subs", "--key", key, "--output", "grades", "--cell-timeout", "20");

        Assert.True(result.ExitCode == 0, result.All);
        var scores = File.ReadAllLines(temp.File("grades/key/scores.csv"));
        Assert.Contains("shortcut,0,3,3,5,wrong answers", scores);
        Assert.Contains("honest,2,3,5,5,completed", scores);
        Assert.Contains("- shortcut / key/square: the solution uses Pow, which this exercise asks you not to use", File.ReadAllText(temp.File("grades/class.md")));
    }

    /// <summary>Everything the cells of an executed notebook printed (not their source).</summary>
    private static string OutputText(string executed) =>
        string.Concat(JsonNode.Parse(File.ReadAllText(executed))!["cells"]!.AsArray()
            .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
            .Select(o => string.Concat((o!["text"] as JsonArray)?.Select(t => (string?)t) ?? [(string?)o["text"] ?? ""]) + (string?)o["evalue"]));

    private static string Hashes(params string[] files) =>
        string.Join(",", files.Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    /// <summary>Processes still running as a sandbox user (61000 and up).</summary>
    private static List<string> SandboxProcesses() =>
        Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Select(d =>
        {
            try
            {
                var uid = File.ReadLines(Path.Combine(d, "status")).FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))?.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                return uid is not null && int.Parse(uid) is >= 61000 and < 61100 ? $"{Path.GetFileName(d)} {File.ReadAllText(Path.Combine(d, "cmdline")).Replace('\0', ' ')}" : null;
            }
            catch (IOException)
            {
                return null;
            }
        }).OfType<string>().ToList();
}
