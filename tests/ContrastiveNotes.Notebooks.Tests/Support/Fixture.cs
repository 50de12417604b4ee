using System.Text.Json.Nodes;

namespace ContrastiveNotes.Notebooks.Tests.Support;

/// <summary>Builds small fixture notebooks as JSON (independently of the tool's writer).</summary>
internal sealed class Fixture
{
    private readonly JsonArray _cells = new();
    private readonly JsonObject _metadata = new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["languageName"] = "C#", ["name"] = "csharp" }),
            },
        },
    };

    private int _next;

    public static JsonObject CSharpMetadata() => new()
    {
        ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
        ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
    };

    public Fixture Code(string source, Action<JsonObject>? metadata = null, string? id = null)
    {
        var meta = CSharpMetadata();
        metadata?.Invoke(meta);
        _cells.Add(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = id ?? $"c{_next++}",
            ["metadata"] = meta,
            ["outputs"] = new JsonArray(),
            ["source"] = source,
        });
        return this;
    }

    public Fixture Parameters(string source) => Code(source, m => m["tags"] = new JsonArray("parameters"));

    public Fixture Solution(string gradeId, string source, params string[] notAllowed) => Code(source, m =>
    {
        m["nbgrader"] = new JsonObject { ["grade_id"] = gradeId, ["solution"] = true, ["grade"] = false, ["points"] = 0 };
        if (notAllowed.Length > 0)
        {
            m["contrastive_notes"] = new JsonObject { ["not_allowed"] = new JsonArray(notAllowed.Select(n => (JsonNode?)n).ToArray()) };
        }
    });

    public Fixture Check(string gradeId, double points, string source) =>
        Code(source, m => m["nbgrader"] = new JsonObject { ["grade_id"] = gradeId, ["grade"] = true, ["points"] = points });

    public Fixture Markdown(string source)
    {
        _cells.Add(new JsonObject { ["cell_type"] = "markdown", ["id"] = $"m{_next++}", ["metadata"] = new JsonObject(), ["source"] = source });
        return this;
    }

    public Fixture Profiles(string json)
    {
        _metadata["contrastive_notes"] = new JsonObject { ["profiles"] = JsonNode.Parse(json) };
        return this;
    }

    public Fixture Metadata(Action<JsonObject> edit)
    {
        edit(_metadata);
        return this;
    }

    public JsonObject Build() => new()
    {
        ["cells"] = _cells.DeepClone(),
        ["metadata"] = _metadata.DeepClone(),
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    };

    public string Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Build().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
