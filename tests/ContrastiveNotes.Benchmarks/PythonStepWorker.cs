using System.Diagnostics;
using System.Text.Json;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// The PyTorch side of the training-step comparison: <c>pytorch_step.py</c> run by /usr/bin/python3 as a child
/// process that stays alive, so the two sides can alternate step rounds without paying Python's start-up each time.
/// </summary>
internal sealed class PythonStepWorker : IDisposable
{
    private const string Interpreter = "/usr/bin/python3";
    private readonly Process process;

    private PythonStepWorker(Process process, string version)
    {
        this.process = process;
        TorchVersion = version;
    }

    /// <summary>PyTorch's version as the child reports it.</summary>
    public string TorchVersion { get; }

    /// <summary>Starts the worker and sets up <paramref name="workload"/>; null (with the reason) when PyTorch is not available.</summary>
    public static PythonStepWorker? TryStart(string workload, int threads, out string reason)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "pytorch_step.py");
        if (!File.Exists(Interpreter) || !File.Exists(script))
        {
            reason = $"skipped: {Interpreter} or {script} not found";
            return null;
        }
        var info = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        foreach (string variable in new[] { "OMP_NUM_THREADS", "MKL_NUM_THREADS" }) info.Environment[variable] = threads.ToString();
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[pytorch] {e.Data}"); };
        process.BeginErrorReadLine();
        try
        {
            var answer = Ask(process, $"setup {workload} {threads}");
            reason = "";
            return new PythonStepWorker(process, answer.GetProperty("torch").GetString() ?? "?");
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            process.Kill();
            process.Dispose();
            reason = $"skipped: PyTorch not available ({ex.Message})";
            return null;
        }
    }

    /// <summary>Runs <paramref name="steps"/> steps; returns each step's milliseconds and the first step's loss.</summary>
    public (double[] Milliseconds, double FirstLoss) Steps(int steps)
    {
        var answer = Ask(process, $"steps {steps}");
        return (answer.GetProperty("ms").EnumerateArray().Select(e => e.GetDouble()).ToArray(), answer.GetProperty("loss").GetDouble());
    }

    private static JsonElement Ask(Process process, string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
        string? line = process.StandardOutput.ReadLine();
        if (line is null)
            throw new InvalidOperationException($"the PyTorch worker exited without answering '{command}' (does '{Interpreter} -c \"import torch\"' work?)");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Tells the worker to quit and waits for it.</summary>
    public void Dispose()
    {
        try
        {
            process.StandardInput.WriteLine("quit");
            process.StandardInput.Flush();
            if (!process.WaitForExit(10_000)) process.Kill();
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }
}
