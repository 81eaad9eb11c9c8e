namespace Verity.Domain.Objectives;

/// <summary>A metric's position: where it started, where it should be, where it is.</summary>
public sealed record MetricTrack(
    string Name, MetricDirection Direction, double? Baseline, DateOnly? BaselineAt, double? Target, DateOnly? TargetBy, double? Latest, DateOnly? LatestAt)
{
    /// <summary>A measurement taken before the baseline is history, not progress.</summary>
    public bool MeasuredSinceBaseline => Latest is not null && (BaselineAt is null || LatestAt is null || LatestAt >= BaselineAt);

    public double Progress => Metric.ProgressOf(Direction, Baseline, Target, MeasuredSinceBaseline ? Latest : null);

    /// <summary>Why progress says nothing yet, or null when it does.</summary>
    public string? ProgressNote => this switch
    {
        { Baseline: null } => "No baseline yet: progress cannot be computed.",
        { Target: null } => "No target yet: progress cannot be computed.",
        { Latest: null } => "No measurement yet: progress is 0.",
        { MeasuredSinceBaseline: false } => "No measurement since the baseline: progress is 0.",
        _ => null,
    };
}

public sealed record HealthSignal(ObjectiveHealth Health, string Reason);

/// <summary>
/// Suggests an open objective's health from its metrics' progress against the time elapsed, from staleness
/// and from an overdue target. The worst signal wins; every signal is given as a reason.
/// </summary>
public static class HealthSuggestion
{
    public const int StaleAfterDays = 30;
    public const int ValidationStaleAfterDays = 90;

    /// <summary>Progress may trail the calendar by this share before it is a watchpoint, and by twice it before a concern.</summary>
    public const double Slack = 0.15;

    public static (ObjectiveHealth? Health, IReadOnlyList<HealthSignal> Signals) Suggest(
        Objective objective, IReadOnlyList<MetricTrack> metrics, DateTime? lastActivityAt, DateOnly today)
    {
        if (objective.Status != ObjectiveStatus.WorkInProgress)
        {
            return (null, []);
        }

        var signals = new List<HealthSignal>();
        if (objective.TargetDate is { } due && due < today)
        {
            signals.Add(new(ObjectiveHealth.Concern, $"The target date {due:yyyy-MM-dd} has passed."));
        }

        foreach (var metric in metrics)
        {
            if (Behind(metric, objective.TargetDate, today) is { } signal)
            {
                signals.Add(signal);
            }
        }

        var lastMeasured = metrics.Select(m => m.LatestAt).Where(d => d is not null).Max();
        var lastActive = lastActivityAt is { } at ? DateOnly.FromDateTime(at) : (DateOnly?)null;
        var lastTouched = new[] { lastMeasured, lastActive }.Where(d => d is not null).Max();
        if (lastTouched is null || today.DayNumber - lastTouched.Value.DayNumber > StaleAfterDays)
        {
            signals.Add(new(ObjectiveHealth.Watchpoint, $"No measurement or activity in the last {StaleAfterDays} days."));
        }

        if (objective.LastValidatedAt is not { } validated || today.DayNumber - validated.DayNumber > ValidationStaleAfterDays)
        {
            signals.Add(new(ObjectiveHealth.Watchpoint,
                $"The customer has not re-confirmed this objective in the last {ValidationStaleAfterDays} days."));
        }

        var worst = signals.Count == 0 ? ObjectiveHealth.OnTrack : signals.Max(s => s.Health);
        return (worst, signals);
    }

    /// <summary>Progress against the share of time elapsed between the baseline and the target date.</summary>
    public static HealthSignal? Behind(MetricTrack metric, DateOnly? objectiveTarget, DateOnly today)
    {
        if (metric is not { Baseline: { } baseline, Target: { } target, BaselineAt: { } start })
        {
            return null;
        }

        var end = metric.TargetBy ?? objectiveTarget;
        if (end is null || end <= start)
        {
            return null;
        }

        var elapsed = Math.Clamp((double)(today.DayNumber - start.DayNumber) / (end.Value.DayNumber - start.DayNumber), 0, 1);
        var progress = metric.Progress;
        var gap = elapsed - progress;
        if (gap > 2 * Slack)
        {
            return new(ObjectiveHealth.Concern, $"{metric.Name} is {Percent(progress)} of the way with {Percent(elapsed)} of the time gone.");
        }

        return gap > Slack
            ? new(ObjectiveHealth.Watchpoint, $"{metric.Name} is {Percent(progress)} of the way with {Percent(elapsed)} of the time gone.")
            : null;
    }

    private static string Percent(double share) => $"{Math.Round(share * 100)}%";
}
