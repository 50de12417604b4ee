namespace ContrastiveNotes.Training;

/// <summary>The optimizer a <see cref="Trainer"/> builds for the method's trainable parameters.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent with (heavy-ball) momentum and L2 weight decay.</summary>
    Sgd,

    /// <summary>Adam (Kingma &amp; Ba, 2014, arXiv:1412.6980) with L2 weight decay added to the gradient.</summary>
    Adam,

    /// <summary>AdamW: Adam with decoupled weight decay (Loshchilov &amp; Hutter, 2017, arXiv:1711.05101).</summary>
    AdamW,

    /// <summary>
    /// LARS, layer-wise adaptive rate scaling (You, Gitman &amp; Ginsburg, 2017, arXiv:1708.03888), as used by
    /// SimCLR for large batches; see <see cref="Lars"/>.
    /// </summary>
    Lars,
}
