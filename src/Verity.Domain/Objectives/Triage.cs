using System.Globalization;
using Verity.Domain.Common;

namespace Verity.Domain.Objectives;

/// <summary>What the weekly triage looks for on every open objective (API.md, "Keeping plans alive").</summary>
public enum TriageRule
{
    StaleValidation,
    NoRecentActivity,
    MissingMetric,
    StaleMeasurement,
    OverdueInitiative,
    PastTargetDate,
    NotSmart,
    MissingOwner,
    PlanReviewOverdue,
    DeliveredNotVerified,

    /// <summary>A milestone of the plan's journey that serves this objective (or, serving none, the plan's first open one) is past its date.</summary>
    OverdueMilestone,

    /// <summary>Opened when the customer answers "out of date", not by a run; a run resolves it once the objective is re-validated.</summary>
    CustomerSaysOutOfDate,
}

public enum FindingStatus
{
    Open,

    /// <summary>Someone said why it does not matter; it stays quiet until its condition changes or clears.</summary>
    Dismissed,
    Resolved,
}

/// <summary>The thresholds, in days; settings under <c>Triage</c>.</summary>
public sealed class TriageThresholds
{
    public int ValidationDays { get; set; } = 90;

    public int ActivityDays { get; set; } = 30;

    public int MeasurementDays { get; set; } = 30;

    public int DeliveredDays { get; set; } = 30;
}

/// <summary>What triage needs to know of one open objective, read in bulk.</summary>
public sealed record TriageFacts(
    string ObjectiveId,
    ObjectiveKind Kind,
    OutcomeStage OutcomeStage,
    DateOnly CreatedOn,
    DateOnly? OutcomeStageSince,
    string? OwnerId,
    DateOnly? TargetDate,
    DateOnly? LastValidatedAt,
    DateOnly? LastActivityOn,
    int Metrics,
    DateOnly? LastMeasurementOn,
    IReadOnlyList<string> OverdueInitiatives,
    DateOnly? PlanLastReviewedAt,
    DateOnly PlanCreatedOn,
    int? ReviewCadenceDays,
    SmartResult Smart,
    bool HasValidConfirmation,
    IReadOnlyList<string>? OverdueMilestones = null);

/// <summary>
/// One thing wrong with an objective. <see cref="Fingerprint"/> names the facts behind it that do not move with the
/// calendar (which initiatives are overdue, the last validation date): a dismissed finding wakes up when it changes.
/// </summary>
public sealed record TriageHit(TriageRule Rule, string Message, string? Suggestion, string Fingerprint)
{
    /// <summary>
    /// What a finding stores: the facts' fingerprint and a hash of the words. A run compares stamps alone to know
    /// which of a large book's findings changed, without reading their text.
    /// </summary>
    public string Stamp => $"{Fingerprint}#{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Message + "\n" + Suggestion)))[..16]}";

    /// <summary>The facts part of a stamp.</summary>
    public static string FactsOf(string stamp) => stamp.LastIndexOf('#') is var hash and >= 0 ? stamp[..hash] : stamp;
}

/// <summary>
/// The triage rules: deterministic, for one objective on one day. Every rule has a start date, so a finding
/// opens on the day its condition starts, and disappears from the result the day it clears.
/// </summary>
public static class TriageRules
{
    public static IReadOnlyList<TriageHit> Evaluate(TriageFacts f, TriageThresholds t, DateOnly today)
    {
        var hits = new List<TriageHit>();

        // Re-validation: the customer (or the team with them) re-confirmed the objective recently.
        var validatedOrCreated = f.LastValidatedAt ?? f.CreatedOn;
        if (today.DayNumber - validatedOrCreated.DayNumber >= t.ValidationDays)
        {
            hits.Add(new(TriageRule.StaleValidation,
                f.LastValidatedAt is { } v
                    ? $"Last validated with the customer on {Dates.Iso(v)}, more than {t.ValidationDays} days ago."
                    : $"Never validated with the customer since it was written on {Dates.Iso(f.CreatedOn)}.",
                "Ask the customer whether the objective still says what they want, and stamp it validated.",
                Dates.Iso(f.LastValidatedAt)));
        }

        var activeSince = Max(f.LastActivityOn, f.CreatedOn);
        if (today.DayNumber - activeSince.DayNumber >= t.ActivityDays)
        {
            hits.Add(new(TriageRule.NoRecentActivity,
                f.LastActivityOn is { } a
                    ? $"Nothing on the timeline since {Dates.Iso(a)}."
                    : $"Nothing on the timeline since it was written on {Dates.Iso(f.CreatedOn)}.",
                "Log the last call, meeting or note about it, or plan the next touchpoint.",
                Dates.Iso(f.LastActivityOn)));
        }

        if (f.Kind == ObjectiveKind.Quantitative && f.Metrics == 0)
        {
            hits.Add(new(TriageRule.MissingMetric,
                "A quantitative objective without a metric: nobody can show progress.",
                "Add a metric with a baseline (where they are today) and a target (where they want to be).",
                ""));
        }

        if (f.Metrics > 0)
        {
            var measuredOrCreated = Max(f.LastMeasurementOn, f.CreatedOn);
            if (today.DayNumber - measuredOrCreated.DayNumber >= t.MeasurementDays)
            {
                hits.Add(new(TriageRule.StaleMeasurement,
                    f.LastMeasurementOn is { } m
                        ? $"No measurement since {Dates.Iso(m)}."
                        : "Metrics set up, but nothing measured yet.",
                    "Record the latest value from the customer's system of record.",
                    Dates.Iso(f.LastMeasurementOn)));
            }
        }

        if (f.OverdueInitiatives.Count > 0)
        {
            hits.Add(new(TriageRule.OverdueInitiative,
                f.OverdueInitiatives.Count == 1
                    ? $"An initiative is past its due date: {f.OverdueInitiatives[0]}."
                    : $"{f.OverdueInitiatives.Count} initiatives are past their due date: {string.Join("; ", f.OverdueInitiatives)}.",
                "Finish them, move their due dates with the customer, or mark them blocked with the reason.",
                string.Join('|', f.OverdueInitiatives.Order(StringComparer.Ordinal))));
        }

        if (f.OverdueMilestones is { Count: > 0 } slipped)
        {
            hits.Add(new(TriageRule.OverdueMilestone,
                slipped.Count == 1
                    ? $"A milestone of the journey has slipped: {slipped[0]}."
                    : $"{slipped.Count} milestones of the journey have slipped: {string.Join("; ", slipped)}.",
                "Mark each done or missed with the customer, or agree a new date.",
                string.Join('|', slipped.Order(StringComparer.Ordinal))));
        }

        if (f.TargetDate is { } target && target < today)
        {
            hits.Add(new(TriageRule.PastTargetDate,
                $"The target date {Dates.Iso(target)} has passed and the objective is still open.",
                "Record the outcome with the customer, or agree a new target date.",
                Dates.Iso(target)));
        }

        if (!f.Smart.IsSmart)
        {
            var rules = f.Smart.Findings.Select(s => s.Rule).Distinct().Order().ToList();
            hits.Add(new(TriageRule.NotSmart,
                "Not SMART yet: " + string.Join(" ", f.Smart.Findings.Select(s => s.Message)),
                string.Join(" ", f.Smart.Findings.Select(s => s.Suggestion).Distinct()),
                string.Join('|', rules)));
        }

        if (f.OwnerId is null)
        {
            hits.Add(new(TriageRule.MissingOwner,
                "Nobody owns this objective.",
                "Name the vendor-side owner who keeps it moving.",
                ""));
        }

        if (f.ReviewCadenceDays is { } cadence and > 0)
        {
            var reviewed = f.PlanLastReviewedAt ?? f.PlanCreatedOn;
            var due = reviewed.AddDays(cadence);
            if (due < today)
            {
                hits.Add(new(TriageRule.PlanReviewOverdue,
                    f.PlanLastReviewedAt is null
                        ? $"The plan has never been reviewed; its {cadence}-day review was due {Dates.Iso(due)}."
                        : $"The plan's {cadence}-day review was due {Dates.Iso(due)} (last reviewed {Dates.Iso(reviewed)}).",
                    "Hold the review with the customer and record it on the plan.",
                    Dates.Iso(f.PlanLastReviewedAt)));
            }
        }

        if (f.OutcomeStage == OutcomeStage.Delivered && !f.HasValidConfirmation)
        {
            var since = f.OutcomeStageSince ?? f.CreatedOn;
            if (today.DayNumber - since.DayNumber >= t.DeliveredDays)
            {
                hits.Add(new(TriageRule.DeliveredNotVerified,
                    $"Delivered on {Dates.Iso(since)}; the customer has not confirmed the outcome in writing yet.",
                    "Ask the customer to confirm in writing that the goal was reached, then verify it.",
                    Dates.Iso(since)));
            }
        }

        return hits;
    }

    // Messages name dates, not day counts, so a finding's words change only when its facts do.

    /// <summary>The ISO week a day belongs to, as the period key of a weekly job: <c>2026-W48</c>.</summary>
    public static string IsoWeek(DateOnly day) =>
        $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue)):D4}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):D2}";

    private static DateOnly Max(DateOnly? a, DateOnly b) => a is { } x && x > b ? x : b;

}

/// <summary>
/// A finding of the weekly triage on one objective: at most one open per objective and rule. A run keeps it
/// (<see cref="LastSeenAt"/>), resolves it when the condition clears; the owner may dismiss it with a reason.
/// Not an audited <see cref="Entity"/>: a run may touch thousands, and what people do to one (dismiss it) it records itself.
/// </summary>
public sealed class Finding : IHasId, IAccountOwned
{
    public string Id { get; init; } = Ids.New();

    public required string AccountId { get; init; }

    public required string PlanId { get; init; }

    public required string ObjectiveId { get; init; }

    public string? OwnerId { get; set; }

    public TriageRule Rule { get; init; }

    public required string Message { get; set; }

    public string? Suggestion { get; set; }

    /// <summary>The <see cref="TriageHit.Stamp"/> it was last seen with.</summary>
    public string Fingerprint { get; set; } = "";

    public FindingStatus Status { get; set; }

    public DateTime FirstSeenAt { get; init; }

    public DateTime LastSeenAt { get; set; }

    public DateTime? ResolvedAt { get; set; }

    public DateTime? DismissedAt { get; set; }

    public string? DismissedBy { get; set; }

    public string? DismissReason { get; set; }

    public bool IsActive => Status is FindingStatus.Open or FindingStatus.Dismissed;

    /// <summary>The condition still holds: refresh the words; a dismissed finding wakes up if its facts changed.</summary>
    public bool SeenAgain(TriageHit hit, string? ownerId, DateTime now)
    {
        var reopened = Status == FindingStatus.Dismissed && hit.Fingerprint != TriageHit.FactsOf(Fingerprint);
        if (reopened)
        {
            Status = FindingStatus.Open;
            DismissedAt = null;
            DismissedBy = null;
            DismissReason = null;
        }

        Message = hit.Message;
        Suggestion = hit.Suggestion;
        Fingerprint = hit.Stamp;
        OwnerId = ownerId;
        LastSeenAt = now;
        return reopened;
    }

    public void Resolve(DateTime now)
    {
        Status = FindingStatus.Resolved;
        ResolvedAt = now;
    }

    public void Dismiss(string reason, string? by, DateTime now)
    {
        if (Status != FindingStatus.Open)
        {
            throw new RuleViolation(Status == FindingStatus.Dismissed ? "The finding is already dismissed." : "The finding is resolved: there is nothing to dismiss.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new FieldViolation("reason", "Is required: say why this finding does not need action.");
        }

        Status = FindingStatus.Dismissed;
        DismissedAt = now;
        DismissedBy = by;
        DismissReason = reason.Trim();
    }
}
