using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ContrastiveNotes.Notebooks.Documents;
using ContrastiveNotes.Notebooks.Exercises;

namespace ContrastiveNotes.Notebooks.Linting;

/// <summary>
/// The rule that keeps a submission from standing in for the checker: in a graded check cell, every type, every
/// name a member is looked up on (<c>X.Y</c>) and every function called by bare name must be written
/// <c>global::Namespace.Type</c>, be declared in the check cell itself, or be declared by the key's own cells (the
/// exercise's functions and the notebook's variables). Otherwise a submission's cell that declares a class
/// <c>Exercise</c>, <c>NTXentLoss</c>, <c>torch</c> or <c>Math</c>, or a method <c>tensor</c>, is what the check
/// calls: in a C# script a later submission's lookups find the earlier submissions' members before the imports.
/// Syntax only (Roslyn's parser): a name declared in the key counts as the key's, whatever its kind.
/// </summary>
public static class CheckCellNames
{
    private static readonly CSharpParseOptions Script = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>One line per name in a graded check cell of <paramref name="key"/> that a submission could shadow.</summary>
    public static IEnumerable<string> Unqualified(NotebookDocument key)
    {
        var keyNames = key.Cells.Where(c => c.IsCode && !GradedCheck.IsGraded(c))
            .SelectMany(c => TopLevelNames(Parse(c.Source))).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < key.Cells.Count; i++)
        {
            var cell = key.Cells[i];
            if (!GradedCheck.IsGraded(cell))
            {
                continue;
            }

            var root = Parse(cell.Source);
            var own = DeclaredNames(root);
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in root.DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var text = name.Identifier.ValueText;
                if (NeedsQualification(name) && !own.Contains(text) && !keyNames.Contains(text) && reported.Add(text))
                {
                    var line = name.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    yield return $"cell {i + 1} (check '{cell.GradeId}'), line {line}: '{text}' is not written with global:: (e.g. global::Namespace.{text}) and is not declared in the check cell or by the notebook.";
                }
            }
        }
    }

    private static SyntaxNode Parse(string source)
    {
        // Kernel directives (#r, #!) are not C#; blank them so that line numbers stay right.
        var lines = source.Split('\n').Select(l => l.TrimStart().StartsWith('#') ? "" : l);
        return CSharpSyntaxTree.ParseText(string.Join('\n', lines), Script).GetRoot();
    }

    /// <summary>True for a name a submission's declaration could stand in for.</summary>
    private static bool NeedsQualification(SimpleNameSyntax name)
    {
        if (name.Parent is AliasQualifiedNameSyntax || name.IsVar || name.Identifier.ValueText is "nameof" or "dynamic" or "_")
        {
            return false;
        }

        return name.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == name,
            QualifiedNameSyntax qualified => qualified.Left == name,
            InvocationExpressionSyntax invocation => invocation.Expression == name,
            _ => SyntaxFacts.IsInNamespaceOrTypeContext(name),
        };
    }

    /// <summary>Every name declared anywhere in a cell (variables, parameters, functions, types, pattern designations).</summary>
    private static HashSet<string> DeclaredNames(SyntaxNode root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in root.DescendantNodes())
        {
            var identifier = node switch
            {
                VariableDeclaratorSyntax v => v.Identifier,
                ParameterSyntax p => p.Identifier,
                SingleVariableDesignationSyntax d => d.Identifier,
                ForEachStatementSyntax f => f.Identifier,
                LocalFunctionStatementSyntax f => f.Identifier,
                MethodDeclarationSyntax m => m.Identifier,
                BaseTypeDeclarationSyntax t => t.Identifier,
                DelegateDeclarationSyntax d => d.Identifier,
                CatchDeclarationSyntax c => c.Identifier,
                TypeParameterSyntax t => t.Identifier,
                FromClauseSyntax f => f.Identifier,
                LetClauseSyntax l => l.Identifier,
                PropertyDeclarationSyntax p => p.Identifier,
                _ => default,
            };
            if (identifier.ValueText.Length > 0)
            {
                names.Add(identifier.ValueText);
            }
        }

        return names;
    }

    /// <summary>The names a (non-check) key cell declares for later cells: its top-level variables, functions and types.</summary>
    private static IEnumerable<string> TopLevelNames(SyntaxNode root)
    {
        foreach (var member in root.ChildNodes())
        {
            switch (member)
            {
                case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local }:
                    foreach (var variable in local.Declaration.Variables)
                    {
                        yield return variable.Identifier.ValueText;
                    }

                    break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax function }:
                    yield return function.Identifier.ValueText;
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment } }:
                    foreach (var designation in assignment.Left.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>())
                    {
                        yield return designation.Identifier.ValueText;
                    }

                    break;
                case MethodDeclarationSyntax method:
                    yield return method.Identifier.ValueText;
                    break;
                case BaseTypeDeclarationSyntax type:
                    yield return type.Identifier.ValueText;
                    break;
                case DelegateDeclarationSyntax type:
                    yield return type.Identifier.ValueText;
                    break;
                case FieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        yield return variable.Identifier.ValueText;
                    }

                    break;
                case PropertyDeclarationSyntax property:
                    yield return property.Identifier.ValueText;
                    break;
            }
        }
    }
}
