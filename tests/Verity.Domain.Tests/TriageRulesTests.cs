using Verity.Domain.Objectives;

namespace Verity.Domain.Tests;

/// <summary>Each rule opens on the day its condition starts, not the day before, and clears when its facts do.</summary>
public sealed class TriageRulesTests
{
    private static readonly DateOnly Created = new(2026, 1, 5);
    private static readonly TriageThresholds Thresholds = new();

    private static readonly SmartResult Smart = new(true, []);

    /// <summary>A healthy, SMART, recently touched objective with a measured metric: nothing to say.</summary>
    private static TriageFacts Healthy(DateOnly today) => new(
        ObjectiveId: "o", Kind: ObjectiveKind.Quantitative, OutcomeStage: OutcomeStage.Accepted, CreatedOn: Created, OutcomeStageSince: Created,
        OwnerId: "csm", TargetDate: today.AddDays(200), LastValidatedAt: today, LastActivityOn: today, Metrics: 1, LastMeasurementOn: today,
        OverdueInitiatives: [], PlanLastReviewedAt: today, PlanCreatedOn: Created, ReviewCadenceDays: 30, Smart: Smart, HasValidConfirmation: false);

    private static IEnumerable<TriageRule> Rules(TriageFacts facts, DateOnly today) => TriageRules.Evaluate(facts, Thresholds, today).Select(h => h.Rule);

    [Fact]
    public void A_healthy_objective_has_no_findings()
    {
        var today = new DateOnly(2026, 6, 1);
        Assert.Empty(Rules(Healthy(today), today));
    }

    public static TheoryData<string, TriageRule, int> DayRules => new()
    {
        // rule, what ages, and after how many days it counts
        { "validated", TriageRule.StaleValidation, 90 },
        { "activity", TriageRule.NoRecentActivity, 30 },
        { "measurement", TriageRule.StaleMeasurement, 30 },
        { "review", TriageRule.PlanReviewOverdue, 31 },
        { "delivered", TriageRule.DeliveredNotVerified, 30 },
    };

    [Theory]
    [MemberData(nameof(DayRules))]
    public void An_aging_rule_opens_on_its_threshold_day_and_not_the_day_before(string what, TriageRule rule, int days)
    {
        var since = new DateOnly(2026, 3, 2);
        TriageFacts Aged(DateOnly today) => what switch
        {
            "validated" => Healthy(today) with { LastValidatedAt = since },
            "activity" => Healthy(today) with { LastActivityOn = since },
            "measurement" => Healthy(today) with { LastMeasurementOn = since },
            "review" => Healthy(today) with { PlanLastReviewedAt = since },
            "delivered" => Healthy(today) with { OutcomeStage = OutcomeStage.Delivered, OutcomeStageSince = since },
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        var dayBefore = since.AddDays(days - 1);
        var day = since.AddDays(days);
        Assert.DoesNotContain(rule, Rules(Aged(dayBefore), dayBefore));
        Assert.Contains(rule, Rules(Aged(day), day));

        // The same facts refreshed today clear it.
        Assert.DoesNotContain(rule, Rules(Healthy(day), day));
    }

    [Fact]
    public void Never_validated_measured_or_touched_counts_from_the_day_the_objective_was_written()
    {
        var day = Created.AddDays(90);
        var facts = Healthy(day) with { LastValidatedAt = null, LastActivityOn = null, LastMeasurementOn = null };
        Assert.Contains(TriageRule.StaleValidation, Rules(facts, day));
        Assert.DoesNotContain(TriageRule.StaleValidation, Rules(facts, day.AddDays(-1)));
        Assert.Contains(TriageRule.NoRecentActivity, Rules(facts, Created.AddDays(30)));
        Assert.DoesNotContain(TriageRule.NoRecentActivity, Rules(facts, Created.AddDays(29)));
        Assert.Contains("Never validated", TriageRules.Evaluate(facts, Thresholds, day).Single(h => h.Rule == TriageRule.StaleValidation).Message);
    }

    [Fact]
    public void A_past_target_date_opens_the_day_after_it()
    {
        var target = new DateOnly(2026, 9, 30);
        Assert.DoesNotContain(TriageRule.PastTargetDate, Rules(Healthy(target) with { TargetDate = target }, target));
        Assert.Contains(TriageRule.PastTargetDate, Rules(Healthy(target.AddDays(1)) with { TargetDate = target }, target.AddDays(1)));
    }

    [Fact]
    public void Missing_metric_only_for_quantitative_objectives_and_missing_owner_for_anyone()
    {
        var today = new DateOnly(2026, 6, 1);
        Assert.Contains(TriageRule.MissingMetric, Rules(Healthy(today) with { Metrics = 0, LastMeasurementOn = null }, today));
        Assert.DoesNotContain(TriageRule.MissingMetric, Rules(Healthy(today) with { Kind = ObjectiveKind.Qualitative, Metrics = 0, LastMeasurementOn = null }, today));
        Assert.Contains(TriageRule.MissingOwner, Rules(Healthy(today) with { OwnerId = null }, today));
    }

    [Fact]
    public void Overdue_initiatives_are_named_and_their_set_is_the_fingerprint()
    {
        var today = new DateOnly(2026, 6, 1);
        var one = TriageRules.Evaluate(Healthy(today) with { OverdueInitiatives = ["Pipeline templates"] }, Thresholds, today).Single();
        var two = TriageRules.Evaluate(Healthy(today) with { OverdueInitiatives = ["Pipeline templates", "Runner fleet"] }, Thresholds, today).Single();
        Assert.Equal(TriageRule.OverdueInitiative, one.Rule);
        Assert.Contains("Pipeline templates", one.Message);
        Assert.Contains("2 initiatives", two.Message);
        Assert.NotEqual(one.Fingerprint, two.Fingerprint);
    }

    [Fact]
    public void Not_smart_carries_the_checkers_messages_and_suggestions()
    {
        var today = new DateOnly(2026, 6, 1);
        var smart = SmartChecker.Check(new SmartInput("Make customers happier", ObjectiveKind.Qualitative, null, null, null, []), today);
        var hit = TriageRules.Evaluate(Healthy(today) with { Smart = smart }, Thresholds, today).Single();
        Assert.Equal(TriageRule.NotSmart, hit.Rule);
        Assert.Contains(smart.Findings[0].Message, hit.Message);
        Assert.Contains(smart.Findings[0].Suggestion, hit.Suggestion);
    }

    [Fact]
    public void A_confirmed_delivery_is_not_waiting_for_the_customer()
    {
        var day = new DateOnly(2026, 6, 1);
        var facts = Healthy(day) with { OutcomeStage = OutcomeStage.Delivered, OutcomeStageSince = day.AddDays(-60), HasValidConfirmation = true };
        Assert.DoesNotContain(TriageRule.DeliveredNotVerified, Rules(facts, day));
    }

    [Fact]
    public void Messages_name_dates_not_day_counts_so_they_do_not_change_while_the_facts_stand()
    {
        var since = new DateOnly(2026, 1, 10);
        var facts = Healthy(new DateOnly(2026, 6, 1)) with { LastValidatedAt = since, LastActivityOn = since, LastMeasurementOn = since };
        var monday = TriageRules.Evaluate(facts, Thresholds, new DateOnly(2026, 6, 1));
        var nextMonday = TriageRules.Evaluate(facts, Thresholds, new DateOnly(2026, 6, 8));
        Assert.Equal(monday.Select(h => (h.Rule, h.Message, h.Fingerprint)), nextMonday.Select(h => (h.Rule, h.Message, h.Fingerprint)));
    }

    [Fact]
    public void A_dismissed_finding_wakes_up_when_its_facts_change_and_not_before()
    {
        var now = new DateTime(2026, 6, 1, 6, 0, 0, DateTimeKind.Utc);
        var finding = new Finding
        {
            AccountId = "a", PlanId = "p", ObjectiveId = "o", Rule = TriageRule.OverdueInitiative, Message = "m",
            Fingerprint = new TriageHit(TriageRule.OverdueInitiative, "m", null, "x").Stamp,
            FirstSeenAt = now, LastSeenAt = now,
        };
        finding.Dismiss("Waiting for the customer's change freeze to end.", "csm", now);
        Assert.False(finding.SeenAgain(new TriageHit(TriageRule.OverdueInitiative, "m", null, "x"), "csm", now.AddDays(7)));
        Assert.Equal(FindingStatus.Dismissed, finding.Status);
        Assert.True(finding.SeenAgain(new TriageHit(TriageRule.OverdueInitiative, "m2", null, "x|y"), "csm", now.AddDays(14)));
        Assert.Equal(FindingStatus.Open, finding.Status);
        Assert.Null(finding.DismissReason);
    }

    [Fact]
    public void Dismissing_needs_a_reason()
    {
        var finding = new Finding { AccountId = "a", PlanId = "p", ObjectiveId = "o", Message = "m" };
        var error = Assert.Throws<Common.FieldViolation>(() => finding.Dismiss("  ", "csm", DateTime.UtcNow));
        Assert.Equal("reason", error.Field);
    }

    [Theory]
    [InlineData(2026, 11, 23, "2026-W48")]
    [InlineData(2027, 1, 1, "2026-W53")]
    [InlineData(2024, 12, 30, "2025-W01")]
    public void Weekly_periods_are_iso_weeks(int year, int month, int day, string expected) =>
        Assert.Equal(expected, TriageRules.IsoWeek(new DateOnly(year, month, day)));
}
