using System.Text;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>
/// One C# kernel session: Roslyn script submissions chained with
/// <see cref="ScriptState.ContinueWithAsync(string, ScriptOptions, CancellationToken)"/> so that
/// variables, types and usings of earlier cells are visible in later ones, with the kernel's
/// default usings and references.
/// </summary>
public sealed class ScriptSession
{
    /// <summary>The namespaces the .NET Interactive C# kernel imports by default.</summary>
    public static readonly string[] DefaultImports =
    [
        "System", "System.Text", "System.Collections", "System.Collections.Generic",
        "System.Threading.Tasks", "System.Linq",
    ];

    /// <summary>The static import that gives cells <c>display(...)</c> and <c>HTML(...)</c>.</summary>
    public const string KernelStaticImport = "Microsoft.DotNet.Interactive.Kernel";

    private ScriptState<object>? _state;
    private ScriptOptions _options;

    /// <summary>Creates a session whose relative paths (#r, #load) resolve against <paramref name="baseDirectory"/>.</summary>
    public ScriptSession(string baseDirectory)
    {
        BaseDirectory = baseDirectory;
        _options = ScriptOptions.Default
            .WithReferences(FrameworkReferences())
            .AddReferences(typeof(Microsoft.DotNet.Interactive.Kernel).Assembly, typeof(Formatter).Assembly, typeof(IHtmlContent).Assembly)
            .WithImports(DefaultImports.Append(KernelStaticImport))
            .WithMetadataResolver(new KernelMetadataResolver(baseDirectory))
            .WithSourceResolver(new SourceFileResolver([baseDirectory], baseDirectory))
            .WithLanguageVersion(LanguageVersion.Preview)
            .WithAllowUnsafe(true)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
    }

    /// <summary>The notebook folder.</summary>
    public string BaseDirectory { get; }

    /// <summary>Adds assembly references for the next submissions.</summary>
    public void AddReferences(IEnumerable<string> assemblyPaths) =>
        _options = _options.AddReferences(assemblyPaths.Select(p => MetadataReference.CreateFromFile(p)));

    /// <summary>
    /// Compiles one submission on top of the previous ones.
    /// </summary>
    /// <param name="code">The cell's C# code (directives already taken out).</param>
    /// <param name="filePath">A file name for the submission; stack traces report lines in it.</param>
    /// <exception cref="CompilationErrorException">The code does not compile.</exception>
    public CompiledSubmission Compile(string code, string filePath)
    {
        var options = _options.WithFilePath(filePath);
        var script = _state is null
            ? CSharpScript.Create<object>(code, options)
            : _state.Script.ContinueWith<object>(code, options);
        var diagnostics = script.Compile();
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new CompilationErrorException(string.Join("\n", diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)), diagnostics);
        }

        return new CompiledSubmission(script, EndsWithValueExpression(script.GetCompilation()));
    }

    /// <summary>
    /// Runs a compiled submission. Run-time exceptions are returned in the result and the session
    /// stays usable, as in the kernel.
    /// </summary>
    public async Task<SubmissionResult> RunAsync(CompiledSubmission submission)
    {
        var state = _state is null
            ? await submission.Script.RunAsync(catchException: _ => true)
            : await submission.Script.RunFromAsync(_state, catchException: _ => true);
        _state = state;
        return new SubmissionResult(submission.HasReturnValue && state.Exception is null, state.ReturnValue, state.Exception);
    }

    /// <summary>
    /// True when the submission ends in an expression statement without a semicolon whose type is
    /// not void: the kernel displays that value (the same rule Roslyn uses for a submission result).
    /// </summary>
    private static bool EndsWithValueExpression(Compilation compilation)
    {
        var tree = compilation.SyntaxTrees.LastOrDefault();
        if (tree?.GetRoot() is not Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax root
            || root.Members.LastOrDefault() is not Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax { Statement: Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionStatementSyntax statement }
            || !statement.SemicolonToken.IsMissing)
        {
            return false;
        }

        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        var trusted = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return trusted
            .Where(p => string.Equals(Path.GetDirectoryName(p), runtimeFolder, StringComparison.Ordinal))
            .Where(p =>
            {
                var name = Path.GetFileNameWithoutExtension(p);
                return name.StartsWith("System.", StringComparison.Ordinal) || name is "System" or "mscorlib" or "netstandard" or "Microsoft.CSharp" or "Microsoft.Win32.Primitives";
            })
            .Where(p => !Path.GetFileNameWithoutExtension(p).StartsWith("System.Private.", StringComparison.Ordinal) || Path.GetFileNameWithoutExtension(p) == "System.Private.CoreLib")
            .Select(p => MetadataReference.CreateFromFile(p));
    }
}
