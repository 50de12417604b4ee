namespace ContrastiveNotes.Notebooks.Execution;

/// <summary>The result of one script submission.</summary>
/// <param name="HasReturnValue">True when the cell ends in an expression (its value is displayed, even null).</param>
/// <param name="ReturnValue">The value of the final expression.</param>
/// <param name="Exception">The exception the cell threw, if any.</param>
public sealed record SubmissionResult(bool HasReturnValue, object? ReturnValue, Exception? Exception);
