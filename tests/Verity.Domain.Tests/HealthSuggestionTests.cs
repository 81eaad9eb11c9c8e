using Verity.Domain.Objectives;

namespace Verity.Domain.Tests;

public sealed class HealthSuggestionTests
{
    private static readonly DateOnly _today = new(2026, 7, 1);

    private static Objective InProgress(DateOnly? target = null, DateOnly? validated = null)
    {
        var o = new Objective
        {
            AccountId = "a",
            PlanId = "p",
            Title = "Increase deployment frequency from 2 to 10 per week",
            TargetDate = target ?? new DateOnly(2026, 12, 31),
            LastValidatedAt = validated ?? _today.AddDays(-10),
        };
        o.MoveTo(ObjectiveStatus.WorkInProgress, null);
        return o;
    }

    // Baseline on 2026-01-01, target on 2026-12-31: by 2026-07-01 about half the time has gone.
    private static MetricTrack Frequency(double? latest, DateOnly? at = null) =>
        new("Deployment frequency", MetricDirection.Increase, 2, new DateOnly(2026, 1, 1), 10, new DateOnly(2026, 12, 31), latest, at ?? _today.AddDays(-3));

    [Theory]
    [InlineData(6.0, ObjectiveHealth.OnTrack)]
    [InlineData(5.0, ObjectiveHealth.OnTrack)]
    [InlineData(4.0, ObjectiveHealth.Watchpoint)]
    [InlineData(2.5, ObjectiveHealth.Concern)]
    public void Progress_is_weighed_against_the_time_gone(double latest, ObjectiveHealth expected)
    {
        var (health, _) = HealthSuggestion.Suggest(InProgress(), [Frequency(latest)], null, _today);
        Assert.Equal(expected, health);
    }

    [Fact]
    public void A_decreasing_metric_on_pace_is_on_track()
    {
        var time = new MetricTrack("Deployment time", MetricDirection.Decrease, 240, new DateOnly(2026, 1, 1), 20, new DateOnly(2026, 12, 31), 120, _today);
        Assert.Equal(ObjectiveHealth.OnTrack, HealthSuggestion.Suggest(InProgress(), [time], null, _today).Health);
    }

    [Fact]
    public void A_passed_target_date_is_a_concern()
    {
        var (health, signals) = HealthSuggestion.Suggest(InProgress(target: _today.AddDays(-1)), [Frequency(9)], null, _today);
        Assert.Equal(ObjectiveHealth.Concern, health);
        Assert.Contains(signals, s => s.Reason.Contains("has passed"));
    }

    [Fact]
    public void Thirty_days_without_a_measurement_or_activity_is_a_watchpoint()
    {
        var stale = Frequency(6, _today.AddDays(-31));
        Assert.Equal(ObjectiveHealth.Watchpoint, HealthSuggestion.Suggest(InProgress(), [stale], null, _today).Health);
        var recentCall = new DateTime(2026, 6, 25, 10, 0, 0, DateTimeKind.Utc);
        Assert.Equal(ObjectiveHealth.OnTrack, HealthSuggestion.Suggest(InProgress(), [stale], recentCall, _today).Health);
    }

    [Fact]
    public void Validation_older_than_ninety_days_is_a_watchpoint()
    {
        var (health, signals) = HealthSuggestion.Suggest(InProgress(validated: _today.AddDays(-91)), [Frequency(6)], null, _today);
        Assert.Equal(ObjectiveHealth.Watchpoint, health);
        Assert.Contains(signals, s => s.Reason.Contains("re-confirmed"));
    }

    [Fact]
    public void New_and_closed_objectives_have_no_health()
    {
        var fresh = new Objective { AccountId = "a", PlanId = "p", Title = "x" };
        Assert.Null(HealthSuggestion.Suggest(fresh, [], null, _today).Health);
        var closed = InProgress();
        closed.MoveTo(ObjectiveStatus.ClosedNoAction, "Out of scope");
        Assert.Null(HealthSuggestion.Suggest(closed, [], null, _today).Health);
    }

    [Fact]
    public void A_measurement_before_the_baseline_is_not_progress()
    {
        var early = Frequency(9, new DateOnly(2025, 12, 1));
        Assert.False(early.MeasuredSinceBaseline);
        Assert.Equal(0, early.Progress);
        Assert.Contains("since the baseline", early.ProgressNote);
    }

    [Fact]
    public void The_seeds_four_metrics_read_correctly_half_way()
    {
        var start = new DateOnly(2026, 1, 1);
        var end = new DateOnly(2026, 12, 31);
        MetricTrack[] seeds =
        [
            new("Deployment frequency", MetricDirection.Increase, 2, start, 10, end, 6, _today),
            new("Average deployment time (min)", MetricDirection.Decrease, 240, start, 20, end, 130, _today),
            new("Manual steps", MetricDirection.Decrease, 15, start, 2, end, 8.5, _today),
            new("Deployment success rate (%)", MetricDirection.Increase, 85, start, 99.5, end, 92.25, _today),
        ];
        Assert.All(seeds, m => Assert.Equal(0.5, m.Progress, precision: 9));
        Assert.Equal(ObjectiveHealth.OnTrack, HealthSuggestion.Suggest(InProgress(), seeds, null, _today).Health);
    }
}
