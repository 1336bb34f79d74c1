namespace Kernels.Training.Trainers.Sgd;

/// <summary>What one epoch of <see cref="SgdTrainer"/> did.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="LearningRate">The step size η used in this epoch.</param>
/// <param name="TrainingLoss">The mean cross-entropy of the training batches as they were trained on (with dropout, before each step).</param>
/// <param name="TrainingError">The fraction of training examples misclassified in their batch (with dropout, before the step).</param>
/// <param name="EvaluationError">The error rate on the trainer's evaluation set after the epoch (no dropout), or NaN without one.</param>
/// <param name="Samples">Training examples processed in this epoch.</param>
/// <param name="Elapsed">Time of the epoch's training steps (the evaluation excluded).</param>
public readonly record struct SgdEpoch(int Epoch, double LearningRate, double TrainingLoss, double TrainingError, double EvaluationError, int Samples, TimeSpan Elapsed)
{
    /// <summary>Training throughput: <see cref="Samples"/> per second of <see cref="Elapsed"/>.</summary>
    public double SamplesPerSecond => Samples / Math.Max(Elapsed.TotalSeconds, 1e-9);
}
