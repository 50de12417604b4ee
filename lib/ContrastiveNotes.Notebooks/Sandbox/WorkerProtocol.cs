using System.Text.Json;
using System.Text.Json.Nodes;
using ContrastiveNotes.Notebooks.Execution;

namespace ContrastiveNotes.Notebooks.Sandbox;

/// <summary>
/// The messages between the grader and a sandboxed <see cref="KernelWorker"/>: one JSON object per line.
/// Grader → worker: <c>{"hello": nonce}</c>, then one <c>{"cell", "nonce", "source", "timeout", "limit"}</c> per
/// cell, sent only when the cell is reached. Worker → grader: <c>{"ready": nonce}</c> once the kernel is warm, then
/// one reply per cell, <c>{"cell", "nonce", "status", "outputs", "error", "stderr", "seconds"}</c>. Every request
/// carries a fresh random nonce that its reply must repeat, so a line printed on the channel by code that does not
/// know the nonce of the cell being run is recognised as forged.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>The longest line either side accepts (a cell's outputs included).</summary>
    public const int MaxLineBytes = 32 << 20;

    /// <summary>A fresh random nonce.</summary>
    public static string NewNonce() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The grader's first line.</summary>
    public static string Hello(string nonce) => new JsonObject { ["hello"] = nonce }.ToJsonString();

    /// <summary>The worker's answer to <see cref="Hello"/>.</summary>
    public static string Ready(string nonce) => new JsonObject { ["ready"] = nonce }.ToJsonString();

    /// <summary>A request to run one cell.</summary>
    public static string Request(CellRequest request) => new JsonObject
    {
        ["cell"] = request.ExecutionCount,
        ["nonce"] = request.Nonce,
        ["source"] = request.Source,
        ["timeout"] = request.Timeout.TotalSeconds,
        ["limit"] = request.LimitName,
    }.ToJsonString();

    /// <summary>Reads a request (or the hello line's nonce, with <c>Source = null</c>).</summary>
    public static CellRequest ParseRequest(string line)
    {
        var node = Parse(line);
        if (node["hello"] is JsonValue hello)
        {
            return new CellRequest(0, hello.GetValue<string>(), null, TimeSpan.Zero, "");
        }

        return new CellRequest(
            node["cell"]!.GetValue<int>(),
            node["nonce"]!.GetValue<string>(),
            node["source"]!.GetValue<string>(),
            TimeSpan.FromSeconds(node["timeout"]!.GetValue<double>()),
            node["limit"]!.GetValue<string>());
    }

    /// <summary>The reply to a request.</summary>
    public static string Reply(CellRequest request, CellOutcome outcome) => new JsonObject
    {
        ["cell"] = request.ExecutionCount,
        ["nonce"] = request.Nonce,
        ["status"] = outcome.Status.ToString(),
        ["outputs"] = new JsonArray(outcome.Outputs.Select(o => (JsonNode)o.DeepClone()).ToArray()),
        ["error"] = outcome.Error is null ? null : outcome.Error.ToOutput(),
        ["stderr"] = outcome.WroteToStandardError,
        ["seconds"] = outcome.Duration.TotalSeconds,
    }.ToJsonString();

    /// <summary>Reads a reply to <paramref name="request"/>; null when the line is not one (wrong cell, wrong nonce, not a reply).</summary>
    public static CellOutcome? ParseReply(string line, CellRequest request)
    {
        try
        {
            var node = Parse(line);
            if (node["cell"]?.GetValue<int>() != request.ExecutionCount || node["nonce"]?.GetValue<string>() != request.Nonce)
            {
                return null;
            }

            var status = Enum.Parse<CellStatus>(node["status"]!.GetValue<string>());
            var outputs = node["outputs"]!.AsArray().Select(o => (JsonObject)o!.DeepClone()).ToList();
            var error = node["error"] is JsonObject e ? ErrorFrom(e) : null;
            var seconds = node["seconds"]!.GetValue<double>();
            if (!double.IsFinite(seconds) || seconds < 0)
            {
                return null;
            }

            return new CellOutcome(status, outputs, error, node["stderr"]!.GetValue<bool>(), TimeSpan.FromSeconds(seconds));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    /// <summary>True when <paramref name="line"/> is the ready message for <paramref name="nonce"/>.</summary>
    public static bool IsReady(string line, string nonce)
    {
        try
        {
            return Parse(line)["ready"]?.GetValue<string>() == nonce;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static CellError ErrorFrom(JsonObject error) => new(
        error["ename"]!.GetValue<string>(),
        error["evalue"]!.GetValue<string>(),
        null,
        error["traceback"]!.AsArray().Select(t => t!.GetValue<string>()).ToList());

    private static JsonObject Parse(string line) =>
        JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not a JSON object");
}

/// <summary>One cell for the worker to run (Source is null for the hello line).</summary>
/// <param name="ExecutionCount">The cell's number among executed cells.</param>
/// <param name="Nonce">The random value the reply must repeat.</param>
/// <param name="Source">The cell's code.</param>
/// <param name="Timeout">Its time limit.</param>
/// <param name="LimitName">Which limit that is, for the message.</param>
public sealed record CellRequest(int ExecutionCount, string Nonce, string? Source, TimeSpan Timeout, string LimitName);
