namespace Kernels.Verification.Infrastructure;

/// <summary>One kind of step in a <see cref="ForestScript"/>.</summary>
public enum ForestStep
{
    /// <summary>Replace one neuron's weights (<c>Update</c>).</summary>
    Update,

    /// <summary>Replace several neurons' weights in one batch, repeats allowed (<c>UpdateMany</c>).</summary>
    UpdateMany,

    /// <summary>Replace every neuron's weights and rebuild (<c>UpdateAll</c>, the re-initialization).</summary>
    UpdateAll,

    /// <summary>Ask one tree for its active neurons at a threshold (<c>Query</c> and <c>Count</c>).</summary>
    Query,
}

/// <summary>
/// One step of a forest script. Indices are taken modulo the forest's sizes when the step runs, so a script stays
/// valid while FsCheck shrinks the forest under it. <paramref name="Seed"/> decides the new weights, the repeated
/// neurons of a batch, or how the query picks its threshold. Random weights rarely change a tree's maximum, so
/// the seed also makes some updates extreme: a zero row (demoting the current maximum when it hits that neuron),
/// a row scaled by 16 (usually a new maximum), or an update aimed at a tree's current maximum, so that repairs
/// reach the root.
/// </summary>
/// <param name="Step">What the step does.</param>
/// <param name="Target">The neuron (updates) or data point (queries), modulo m or n.</param>
/// <param name="Size">Number of neurons in an <see cref="ForestStep.UpdateMany"/> batch.</param>
/// <param name="Seed">Seed of the step's random choices.</param>
public sealed record ForestOperation(ForestStep Step, int Target, int Size, int Seed)
{
    /// <inheritdoc/>
    public override string ToString() => Step switch
    {
        ForestStep.UpdateMany => $"UpdateMany(size={Size}, seed={Seed})",
        ForestStep.UpdateAll => $"UpdateAll(seed={Seed})",
        _ => $"{Step}(target={Target}, seed={Seed})",
    };
}

/// <summary>
/// A generated model-based test of a threshold forest: n data points and m neurons in dimension d, values of one
/// <see cref="ValueKind"/> drawn from <see cref="Seed"/>, and a sequence of updates and queries.
/// </summary>
public sealed record ForestScript(int Points, int Neurons, int Dimension, ValueKind Kind, int Seed, ForestOperation[] Operations)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"ForestScript(n={Points}, m={Neurons}, d={Dimension}, {Kind}, seed={Seed}, [{string.Join(", ", Operations.Select(o => o.ToString()))}])";
}
