namespace ContrastiveNotes.Notebooks.Parameters;

/// <summary>A parameter declared in the notebook's <c>parameters</c> cell, e.g. <c>var epochs = 10;</c>.</summary>
/// <param name="Name">The variable name.</param>
/// <param name="TypeName">The C# type: int, long, double, float, decimal, bool or string (inferred for <c>var</c>).</param>
/// <param name="DefaultText">The initializer as written in the cell.</param>
public sealed record ParameterDeclaration(string Name, string TypeName, string DefaultText);
