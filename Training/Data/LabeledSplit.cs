namespace Kernels.Training.Data;

/// <summary>A training set and a held-out test set of the same inputs' dimension and classes.</summary>
/// <param name="Train">The examples to train on.</param>
/// <param name="Test">The held-out examples to measure test error on.</param>
public sealed record LabeledSplit(ClassificationSet Train, ClassificationSet Test);
