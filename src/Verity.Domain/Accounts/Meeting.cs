using Verity.Domain.Common;

namespace Verity.Domain.Accounts;

/// <summary>What a meeting with the customer is for.</summary>
public enum MeetingKind
{
    Kickoff,
    CadenceCall,
    BusinessReview,
    StrategySession,
    ExecCheckIn,
}

/// <summary>
/// A dated meeting on an account — a kick-off, a cadence call, a business review, a strategy session or an exec
/// check-in — with attendees from both sides and the objectives it is about. Its agenda is drawn from the plan when
/// it is read, never stored; once held it records notes (internal), decisions and next steps, and the timeline
/// gets one entry for it. The team's own record: customers never see the meeting itself.
/// </summary>
public sealed class Meeting : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public MeetingKind Kind { get; set; }

    public string? Title { get; set; }

    /// <summary>When it starts (UTC).</summary>
    public DateTime ScheduledFor { get; set; }

    /// <summary>Vendor users who attend: each can see the account.</summary>
    public List<string> AttendeeUserIds { get; set; } = [];

    /// <summary>Stakeholders of the account who attend, either side.</summary>
    public List<string> AttendeeStakeholderIds { get; set; } = [];

    /// <summary>Objectives of the account the meeting is about; with none, it is about every open one.</summary>
    public List<string> ObjectiveIds { get; set; } = [];

    /// <summary>Who put it in the calendar.</summary>
    public string? ScheduledBy { get; init; }

    /// <summary>The day it was held; null while it is still to happen (or to be recorded).</summary>
    public DateOnly? HeldOn { get; private set; }

    /// <summary>The team's own notes: never on the timeline, never shown to the customer.</summary>
    public string? Notes { get; set; }

    public string? Decisions { get; set; }

    public string? NextSteps { get; set; }

    /// <summary>The timeline entry holding it wrote; set once, so re-recording the notes never writes a second.</summary>
    public string? ActivityId { get; private set; }

    public bool IsHeld => HeldOn is not null;

    /// <summary>The timeline's word for it: cadence calls and business reviews are their own kinds, the rest are meetings.</summary>
    public ActivityType ActivityType => Kind switch
    {
        MeetingKind.CadenceCall => ActivityType.CadenceCall,
        MeetingKind.BusinessReview => ActivityType.BusinessReview,
        MeetingKind.Kickoff or MeetingKind.StrategySession or MeetingKind.ExecCheckIn => ActivityType.Meeting,
    };

    /// <summary>When it was held, as an instant: its scheduled start when held on that day, else midday of the day it was held.</summary>
    public DateTime? HeldAt => HeldOn is { } day ? HeldAtOf(day, ScheduledFor) : null;

    public static DateTime HeldAtOf(DateOnly heldOn, DateTime scheduledFor) =>
        DateOnly.FromDateTime(scheduledFor) == heldOn ? scheduledFor : heldOn.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);

    /// <summary>
    /// Records the day it was held (or corrects it). A meeting that was held stays held: the record of it may be
    /// corrected, not taken back, since the timeline already says it happened.
    /// </summary>
    public void SetHeldOn(DateOnly? day)
    {
        if (day is null && HeldOn is not null)
        {
            throw new RuleViolation($"This meeting was held on {Dates.Iso(HeldOn)} and its record is on the timeline; correct the day instead of clearing it.");
        }

        HeldOn = day;
    }

    /// <summary>Links the timeline entry written when it was first held; only once.</summary>
    public void Recorded(string activityId)
    {
        if (ActivityId is not null && ActivityId != activityId)
        {
            throw new RuleViolation("This meeting is already on the timeline.");
        }

        ActivityId = activityId;
    }
}
