using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Parameters;
using ContrastiveNotes.Notebooks.Tests.Support;

namespace ContrastiveNotes.Notebooks.Tests;

/// <summary>Papermill-style parameter injection with profiles and --set.</summary>
public sealed class ParameterTests
{
    private static NotebookDocument Notebook() => NotebookReader.Parse(new Fixture()
        .Parameters("var epochs = 10;\ndouble lr = 0.1;\nvar scale = 2.5;\nbool augment = true;\nstring name = \"simclr\";\nint batch = 256;")
        .Code("Console.WriteLine(epochs);")
        .Profiles("""{"fast": {"epochs": 1, "batch": 32}, "full": {"epochs": 100}}""")
        .Build().ToJsonString());

    [Fact]
    public void DeclarationsKeepTheirTypesIncludingInferredVarTypes()
    {
        var declarations = ParameterInjector.ParseDeclarations("var epochs = 10;\ndouble lr = 0.1;\nvar scale = 2.5;\nbool augment = true;\nvar name = \"x\";\nvar big = 5L;");

        Assert.Equal(
            ["epochs:int", "lr:double", "scale:double", "augment:bool", "name:string", "big:long"],
            declarations.Select(d => $"{d.Name}:{d.TypeName}"));
    }

    [Fact]
    public void ProfileAndSetValuesAreInjectedAfterTheParametersCellWithTheDeclaredTypes()
    {
        var document = Notebook();
        var values = ParameterInjector.Collect(document, "fast", ["scale=3", "name=byol", "augment=false", "batch=64"]);

        ParameterInjector.Inject(document, values);

        var injected = document.Cells[1];
        Assert.Contains(ParameterInjector.InjectedTag, injected.Tags);
        Assert.Equal(
            "// Parameters injected by contrastive-notebooks\nint epochs = 1;\nint batch = 64;\ndouble scale = 3.0;\nstring name = \"byol\";\nbool augment = false;",
            injected.Source);
        var recorded = document.Metadata["papermill"]!["parameters"]!;
        Assert.Equal(1, recorded["epochs"]!.GetValue<int>());
        Assert.Equal(3.0, recorded["scale"]!.GetValue<double>());
        Assert.Equal("byol", recorded["name"]!.GetValue<string>());
        Assert.False(recorded["augment"]!.GetValue<bool>());
    }

    [Fact]
    public void UnknownNamesWrongTypesAndMissingProfilesAreClearErrors()
    {
        var unknown = Assert.Throws<ParameterException>(() => ParameterInjector.Inject(Notebook(), new Dictionary<string, string> { ["epoch"] = "1" }));
        Assert.Contains("unknown parameter(s) epoch", unknown.Message);
        Assert.Contains("epochs, lr, scale, augment, name, batch", unknown.Message);

        var wrongType = Assert.Throws<ParameterException>(() => ParameterInjector.Inject(Notebook(), new Dictionary<string, string> { ["epochs"] = "ten" }));
        Assert.Contains("epochs is int", wrongType.Message);

        var profile = Assert.Throws<ParameterException>(() => ParameterInjector.Collect(Notebook(), "turbo", []));
        Assert.Contains("known profiles: fast, full", profile.Message);
    }

    [Fact]
    public void RunAppliesTheFastProfileAndOverridesAndRejectsUnknownNames()
    {
        using var temp = new TempFolder();
        var path = new Fixture()
            .Parameters("var epochs = 10;\ndouble lr = 0.1;\nstring tag = \"a\";")
            .Code("Console.WriteLine($\"{epochs.GetType().Name} {epochs} {lr.GetType().Name} {lr.ToString(System.Globalization.CultureInfo.InvariantCulture)} {tag}\");", id: "print")
            .Profiles("""{"fast": {"epochs": 1}, "full": {"epochs": 50}}""")
            .Save(temp.File("params.ipynb"));

        var result = Tool.Run(temp.Path, "run", path, "--output", "out", "--profile", "fast", "--set", "lr=0.5", "--set", "tag=b");

        Assert.True(result.ExitCode == 0, result.All);
        var executed = NbformatValidation.AssertValid(temp.File("out/params.ipynb"));
        var cells = executed["cells"]!.AsArray();
        Assert.Contains("injected-parameters", cells[1]!["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        var print = cells.Single(c => c!["id"]!.GetValue<string>() == "print")!;
        Assert.Equal("Int32 1 Double 0.5 b\n", print["outputs"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(0.5, executed["metadata"]!["papermill"]!["parameters"]!["lr"]!.GetValue<double>());

        var bad = Tool.Run(temp.Path, "run", path, "--output", "out2", "--set", "epoch=1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown parameter(s) epoch; the parameters cell declares: epochs, lr, tag", bad.Stderr);
        Assert.False(File.Exists(temp.File("out2/params.ipynb")));
    }
}
