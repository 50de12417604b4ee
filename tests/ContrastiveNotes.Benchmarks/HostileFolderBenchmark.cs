using System.Diagnostics;
using System.Globalization;
using ContrastiveNotes.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ContrastiveNotes.Benchmarks;

/// <summary>
/// Peak RSS (VmHWM) and time of <see cref="ImageFolder.Load"/> on a normal folder of PNGs and on the same folder with
/// one hostile image added (a 1 × 20,000 strip of 141 bytes, a 20,000 × 20,000 image of a few hundred KB, and, as the
/// largest image accepted, 7,000 × 7,000), each load in a fresh child process so that its peak is its own.
/// </summary>
internal sealed class HostileFolderBenchmark : IBenchmark
{
    /// <summary>The hidden command a child process runs.</summary>
    public const string ChildCommand = "folder-child";

    private const int Size = 224;

    public string Name => "hostile-folder";

    public string Description => "Peak RSS of ImageFolder.Load on a normal folder and with one hostile image added (huge, thin, largest accepted).";

    public void Run(string[] args, BenchmarkContext context)
    {
        int normal = Options.Int(args, "--folder-images", 200);
        string root = Path.Combine(Path.GetTempPath(), "cn-hostile-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var cases = new List<(string Name, string Folder)> { ($"{normal} normal 96×96 PNGs", MakeFolder(root, "normal", normal, null)) };
            cases.Add(("+ a 1 × 20,000 PNG", MakeFolder(root, "thin", normal, ("thin.png", 1, 20_000))));
            cases.Add(("+ a 20,000 × 20,000 PNG", MakeFolder(root, "huge", normal, ("huge.png", 20_000, 20_000))));
            cases.Add(("+ a 7,000 × 7,000 PNG (largest accepted)", MakeFolder(root, "large", normal, ("large.png", 7_000, 7_000))));
            Console.WriteLine($"## ImageFolder.Load on hostile folders (size {Size}, 3 channels; {Measure.MachineLoad()})");
            Console.WriteLine();
            Console.WriteLine("| folder | largest file | result | peak RSS MiB | × normal | seconds |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|");
            double? baseline = null;
            foreach (var (name, folder) in cases)
            {
                var (result, peak, seconds) = RunChild(folder);
                baseline ??= peak;
                long largest = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Max(f => new FileInfo(f).Length);
                Console.WriteLine(FormattableString.Invariant($"| {name} | {largest / 1024.0:F0} KiB | {result} | {peak:F0} | {peak / baseline.Value:F2} | {seconds:F1} |"));
                context.Add("hostile-folder", $"ImageFolder.Load peak RSS, {name}", FormattableString.Invariant($"{peak:F0} MiB ({peak / baseline.Value:F2}× normal)"), "≤ 2× normal", peak <= 2 * baseline.Value);
            }
            Console.WriteLine();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string MakeFolder(string root, string name, int normal, (string File, int Width, int Height)? hostile)
    {
        string folder = Path.Combine(root, name);
        var random = new Random(1);
        for (int c = 0; c < 2; c++)
        {
            string classFolder = Directory.CreateDirectory(Path.Combine(folder, c == 0 ? "cats" : "dogs")).FullName;
            for (int i = 0; i < normal / 2; i++)
            {
                using var image = new Image<Rgb24>(96, 96);
                image.ProcessPixelRows(rows =>
                {
                    for (int y = 0; y < rows.Height; y++)
                        foreach (ref var pixel in rows.GetRowSpan(y))
                            pixel = new Rgb24((byte)random.Next(256), (byte)(c * 200), (byte)y);
                });
                image.SaveAsPng(Path.Combine(classFolder, $"{i:000}.png"));
            }
        }
        if (hostile is { } h)
        {
            using var image = new Image<L8>(h.Width, h.Height); // all zeros: compresses to almost nothing
            image.SaveAsPng(Path.Combine(folder, "cats", h.File));
        }
        return folder;
    }

    private static (string Result, double PeakMiB, double Seconds) RunChild(string folder)
    {
        var info = Measure.SelfStartInfo(new[] { ChildCommand, folder, Size.ToString(CultureInfo.InvariantCulture) });
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        string? result = null;
        while (process.StandardOutput.ReadLine() is { } line)
            if (line.StartsWith("result\t", StringComparison.Ordinal)) result = line;
        process.WaitForExit();
        var parts = result?.Split('\t');
        if (parts is not { Length: 4 })
            return ($"child failed (exit code {process.ExitCode})", double.NaN, double.NaN);
        return (parts[1], double.Parse(parts[2], CultureInfo.InvariantCulture), double.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    /// <summary>The child: loads the folder and prints "result\t&lt;outcome&gt;\t&lt;peak MiB&gt;\t&lt;seconds&gt;".</summary>
    public static int RunChildCommand(string[] args)
    {
        var watch = Stopwatch.StartNew();
        string outcome;
        try
        {
            using var dataset = ImageFolder.Load(args[0], int.Parse(args[1], CultureInfo.InvariantCulture), channels: 3);
            outcome = $"loaded {dataset.Count} images";
        }
        catch (InvalidDataException e)
        {
            outcome = "refused: " + (e.Message.Length > 90 ? e.Message[..90] + "…" : e.Message).Replace('|', '/');
        }
        double peak = PeakMiB();
        Console.WriteLine(FormattableString.Invariant($"result\t{outcome}\t{peak:F1}\t{watch.Elapsed.TotalSeconds:F2}"));
        return 0;
    }

    private static double PeakMiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
