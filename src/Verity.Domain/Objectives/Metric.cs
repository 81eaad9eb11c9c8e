using Verity.Domain.Common;

namespace Verity.Domain.Objectives;

public enum MetricDirection
{
    Increase,
    Decrease,
}

public sealed class Metric : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string ObjectiveId { get; init; }

    public required string Name { get; set; }

    public string? Unit { get; set; }

    public MetricDirection Direction { get; set; }

    public double? BaselineValue { get; set; }

    public DateOnly? BaselineAt { get; set; }

    public double? TargetValue { get; set; }

    public DateOnly? TargetBy { get; set; }

    public double Progress(double? latest) => ProgressOf(Direction, BaselineValue, TargetValue, latest);

    /// <summary>
    /// How far <paramref name="latest"/> has moved from the baseline toward the target, from 0 to 1,
    /// for either direction. Movement the wrong way counts as 0, overshooting as 1; without a baseline,
    /// a target or a measurement there is no progress to speak of.
    /// </summary>
    public static double ProgressOf(MetricDirection direction, double? baseline, double? target, double? latest)
    {
        if (latest is not { } now || baseline is not { } from || target is not { } to)
        {
            return 0;
        }

        if (from == to)
        {
            var reached = direction == MetricDirection.Increase ? now >= to : now <= to;
            return reached ? 1 : 0;
        }

        // Values too far apart to subtract (stored before values were checked) make no progress, not NaN.
        var share = (now - from) / (to - from);
        return double.IsNaN(share) ? 0 : Math.Clamp(share, 0, 1);
    }
}

public sealed class Measurement : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string MetricId { get; init; }

    public double Value { get; set; }

    public DateOnly At { get; set; }

    public string? Source { get; set; }
}
