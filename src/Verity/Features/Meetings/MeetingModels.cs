using System.ComponentModel.DataAnnotations;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Http;

namespace Verity.Features.Meetings;

/// <summary>
/// A meeting as it is scheduled and, once held, recorded. POST takes it whole; PATCH is a merge patch over the
/// meeting as it stands, so the same checks run on both.
/// </summary>
public sealed record MeetingInput : IValidatableObject
{
    /// <summary>The most attendees or objectives one meeting takes.</summary>
    public const int MaxLinks = 100;

    [Mandatory]
    public MeetingKind? Kind { get; init; }

    [Name]
    public string? Title { get; init; }

    /// <summary>When it starts, an ISO-8601 instant (UTC).</summary>
    [Mandatory, PlausibleDate]
    public DateTime? ScheduledFor { get; init; }

    public List<string> AttendeeUserIds { get; init; } = [];

    public List<string> AttendeeStakeholderIds { get; init; } = [];

    public List<string> ObjectiveIds { get; init; } = [];

    /// <summary>The day it was held: setting it holds the meeting and writes its timeline entry, once.</summary>
    [PlausibleDate]
    public DateOnly? HeldOn { get; init; }

    /// <summary>The team's own notes (Markdown): internal, never on the timeline.</summary>
    [Text]
    public string? Notes { get; init; }

    [Text]
    public string? Decisions { get; init; }

    [Text]
    public string? NextSteps { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, ids) in new[] { ("attendeeUserIds", AttendeeUserIds), ("attendeeStakeholderIds", AttendeeStakeholderIds), ("objectiveIds", ObjectiveIds) })
        {
            if (ids.Count > MaxLinks)
            {
                yield return new ValidationResult($"Give at most {MaxLinks}.", [name]);
            }
            else if (ids.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult("Every id must be given; leave blanks out.", [name]);
            }
        }
    }

    public static MeetingInput From(Meeting m) => new()
    {
        Kind = m.Kind,
        Title = m.Title,
        ScheduledFor = m.ScheduledFor,
        AttendeeUserIds = [.. m.AttendeeUserIds],
        AttendeeStakeholderIds = [.. m.AttendeeStakeholderIds],
        ObjectiveIds = [.. m.ObjectiveIds],
        HeldOn = m.HeldOn,
        Notes = m.Notes,
        Decisions = m.Decisions,
        NextSteps = m.NextSteps,
    };

    /// <summary>An instant without a zone is read as UTC, the API's zone for every instant. (A method: the checks read every property.)</summary>
    public DateTime ScheduledForUtc() => ScheduledFor!.Value.Kind switch
    {
        DateTimeKind.Unspecified => DateTime.SpecifyKind(ScheduledFor.Value, DateTimeKind.Utc),
        _ => ScheduledFor.Value.ToUniversalTime(),
    };
}

public sealed record MeetingResponse(
    string Id,
    string AccountId,
    MeetingKind Kind,
    string? Title,
    DateTime ScheduledFor,
    IReadOnlyList<string> AttendeeUserIds,
    IReadOnlyList<string> AttendeeStakeholderIds,
    IReadOnlyList<string> ObjectiveIds,
    string? ScheduledBy,
    DateOnly? HeldOn,
    string? Notes,
    string? Decisions,
    string? NextSteps,
    string? ActivityId,
    MeetingAgenda Agenda,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IHasId
{
    public static MeetingResponse From(Meeting m, MeetingAgenda agenda) => new(
        m.Id, m.AccountId, m.Kind, m.Title, m.ScheduledFor, m.AttendeeUserIds, m.AttendeeStakeholderIds, m.ObjectiveIds, m.ScheduledBy,
        m.HeldOn, m.Notes, m.Decisions, m.NextSteps, m.ActivityId, agenda, m.CreatedAt, m.UpdatedAt);
}

/// <summary>
/// What to talk about, drawn from the plan when the meeting is read: the objectives it is about (its own, or every
/// open one) with their progress, their open triage findings, what changed since the last business review and the
/// initiatives that are overdue. <see cref="ChangesSince"/> is the cut-off: the last business review held before,
/// or 90 days back when there was none.
/// </summary>
public sealed record MeetingAgenda(
    IReadOnlyList<AgendaObjective> Objectives,
    IReadOnlyList<AgendaFinding> Findings,
    DateTime ChangesSince,
    bool SinceLastBusinessReview,
    IReadOnlyList<AgendaChange> Changes,
    IReadOnlyList<AgendaInitiative> OverdueInitiatives);

/// <summary>An objective on the agenda; <see cref="Progress"/> is its first metric's way to the target (0..1), null without one.</summary>
public sealed record AgendaObjective(
    string Id, string PlanId, string Title, ObjectiveStatus Status, OutcomeStage OutcomeStage, ObjectiveHealth? Health,
    double? Progress, string? ProgressNote, DateOnly? TargetDate, string? OwnerId);

public sealed record AgendaFinding(string Id, string ObjectiveId, string ObjectiveTitle, TriageRule Rule, string Message, string? Suggestion);

public sealed record AgendaChange(DateTime At, string RecordId, string What, string Field, string? Old, string? New);

public sealed record AgendaInitiative(string Id, string ObjectiveId, string ObjectiveTitle, string Title, InitiativeStatus Status, DateOnly DueDate, string? OwnerId, string? OwnerStakeholderId);
