using Verity.Domain.Accounts;

namespace Verity.Domain.Common;

/// <summary>
/// The one place an enum value becomes words on a page, in a deck, a mail or a CSV: <c>WorkInProgress</c> → "Work in
/// progress". The API and CSS classes keep the camelCase value (<c>Json.Camel</c>); people read these.
/// </summary>
public static class Words
{
    /// <summary>An enum value as a person would say it in a meeting: <c>WorkInProgress</c> → "Work in progress".</summary>
    public static string Say<T>(T value)
        where T : struct, Enum => value switch
        {
            // Words the split of the name would get wrong.
            MeetingKind.Kickoff => "Kick-off",
            MeetingKind.ExecCheckIn => "Executive check-in",
            Segment.Smb => "SMB",
            Segment.MidMarket => "Mid-market",
            UseCaseStage.Production => "In production",
            Objectives.ObjectiveStatus.ClosedSuccess => "Closed — success",
            Objectives.ObjectiveStatus.ClosedNoAction => "Closed — no action",
            Objectives.ObjectiveStatus.ClosedInvalid => "Closed — invalid",
            Plans.MilestoneHorizon.Days30 => "30 days",
            Plans.MilestoneHorizon.Days60 => "60 days",
            Plans.MilestoneHorizon.Days90 => "90 days",
            Plans.MilestoneHorizon.Months6 => "6 months",
            Plans.MilestoneHorizon.Months12 => "12 months",
            _ => Code(value.ToString()),
        };

    /// <summary>
    /// A recorded value of a field in words, as history and the timeline show it: a status, stage or health code
    /// ("closedNoAction") as <see cref="Say{T}"/> says it ("Closed — no action"); any other field's value as written.
    /// </summary>
    public static string Value(string field, string value) => field switch
    {
        "status" when Enum.TryParse<Objectives.ObjectiveStatus>(value, true, out var status) => Say(status),
        "status" when Enum.TryParse<Plans.PlanStatus>(value, true, out var plan) => Say(plan),
        "outcomeStage" when Enum.TryParse<Objectives.OutcomeStage>(value, true, out var stage) => Say(stage),
        "health" or "healthOverride" when Enum.TryParse<Objectives.ObjectiveHealth>(value, true, out var health) => Say(health),
        _ => value,
    };

    /// <summary>A code the API writes (<c>technicalEvaluation</c>, <c>accountExecutive</c>) in words: "Technical evaluation".</summary>
    public static string Code(string code) => string.Concat(code.Select((c, i) =>
        i == 0 ? char.ToUpperInvariant(c).ToString() : char.IsUpper(c) ? $" {char.ToLowerInvariant(c)}" : c.ToString()));
}
