namespace Kernels.Training.Trainers.Recurrent;

/// <summary>Options of <see cref="ElmanGradientDescent{T}"/>: the shared ones of <see cref="ElmanTrainerOptions"/>.</summary>
public sealed record ElmanGradientDescentOptions : ElmanTrainerOptions;
