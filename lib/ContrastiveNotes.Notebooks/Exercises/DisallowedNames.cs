using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ContrastiveNotes.Notebooks.Documents;

namespace ContrastiveNotes.Notebooks.Exercises;

/// <summary>
/// The names an implement-it exercise asks students not to use, because one call of them would do the exercise
/// (<c>NTXentLoss</c> for "write NT-Xent", <c>cosine_similarity</c> for "write the cosine similarity"). The key
/// declares them on the exercise's solution cell as <c>metadata.contrastive_notes.not_allowed</c> (a list of
/// names); the grader scores the check that follows 0 when the submission's solution uses one. A name counts where
/// it is code (an identifier token of the cell, Roslyn's lexer): in a comment or a string it does not. A determined
/// student can still reach the function through reflection; the rule catches the one-line shortcut, which is what
/// the exercise's text forbids.
/// </summary>
public static class DisallowedNames
{
    /// <summary>The metadata key, under <c>metadata.contrastive_notes</c> of a solution cell.</summary>
    public const string MetadataKey = "not_allowed";

    private static readonly CSharpParseOptions Script =
        CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>The names declared on <paramref name="solutionCell"/> (empty when it declares none).</summary>
    /// <exception cref="NotebookFormatException">The entry is not a list of non-empty strings.</exception>
    public static IReadOnlyList<string> Of(NotebookCell solutionCell)
    {
        if (solutionCell.Metadata["contrastive_notes"]?[MetadataKey] is not { } node)
        {
            return [];
        }

        if (node is not JsonArray names || names.Any(n => n is not JsonValue v || !v.TryGetValue<string>(out var s) || s.Trim().Length == 0))
        {
            throw new NotebookFormatException($"metadata.contrastive_notes.{MetadataKey} must be a list of names (strings), e.g. [\"NTXentLoss\"], but is {node.ToJsonString()}.");
        }

        return names.Select(n => n!.GetValue<string>().Trim()).ToList();
    }

    /// <summary>
    /// For every graded check of <paramref name="key"/> that follows a solution cell declaring names: that
    /// solution's grade_id and names, by the check's grade_id.
    /// </summary>
    public static IReadOnlyDictionary<string, (string? SolutionId, IReadOnlyList<string> Names)> ByCheck(NotebookDocument key)
    {
        var result = new Dictionary<string, (string?, IReadOnlyList<string>)>(StringComparer.Ordinal);
        NotebookCell? lastSolution = null;
        foreach (var cell in key.Cells.Where(c => c.IsCode))
        {
            if (GradedCheck.IsGraded(cell))
            {
                if (lastSolution is not null && Of(lastSolution) is { Count: > 0 } names)
                {
                    result[cell.GradeId!] = (lastSolution.GradeId, names);
                }

                lastSolution = null;
            }
            else if (cell.Nbgrader?["solution"]?.GetValue<bool>() == true)
            {
                lastSolution = cell;
            }
        }

        return result;
    }

    /// <summary>
    /// The submission's solution for a check: its code cell with the solution's grade_id, or, when the student
    /// removed that metadata, the code cell just before the check cell.
    /// </summary>
    public static NotebookCell? SolutionIn(NotebookDocument submission, string? solutionId, NotebookCell? checkCell)
    {
        var code = submission.Cells.Where(c => c.IsCode).ToList();
        if (solutionId is not null && code.FirstOrDefault(c => c.GradeId == solutionId && !GradedCheck.IsGraded(c)) is { } byId)
        {
            return byId;
        }

        var index = checkCell is null ? -1 : code.IndexOf(checkCell);
        return index > 0 ? code[index - 1] : null;
    }

    /// <summary>The names of <paramref name="names"/> that <paramref name="source"/> uses as code, in the order given.</summary>
    public static IReadOnlyList<string> UsedIn(string source, IReadOnlyCollection<string> names)
    {
        var identifiers = SyntaxFactory.ParseTokens(source, options: Script)
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .Select(t => t.ValueText)
            .ToHashSet(StringComparer.Ordinal);
        return names.Where(identifiers.Contains).ToList();
    }

    /// <summary>The reason a check scores 0 when its solution uses <paramref name="used"/>.</summary>
    public static string Reason(IReadOnlyList<string> used) =>
        $"the solution uses {string.Join(", ", used)}, which this exercise asks you not to use: write it with tensor operations, as its instructions say";
}
