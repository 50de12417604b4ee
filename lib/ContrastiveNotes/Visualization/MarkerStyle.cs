namespace ContrastiveNotes.Visualization;

/// <summary>
/// How one class of an <see cref="Charts.EmbeddingScatter"/> is drawn, when its legend name promises a look (for
/// example "red circle"): a CSS colour (<c>"red"</c>, <c>"#1f77b4"</c>) and a plotly marker symbol (<c>"circle"</c>,
/// <c>"square"</c>, <c>"triangle-up"</c>, <c>"diamond"</c>, ...).
/// </summary>
/// <param name="Color">CSS colour of the markers.</param>
/// <param name="Symbol">plotly marker symbol.</param>
public sealed record MarkerStyle(string Color, string Symbol = "circle");
