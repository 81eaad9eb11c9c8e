using Verity.Domain.Common;

namespace Verity.Domain.Plans;

/// <summary>Where on the adoption journey a milestone sits: the seeds' 30, 60 and 90 days, then 6 and 12 months.</summary>
public enum MilestoneHorizon
{
    Days30,
    Days60,
    Days90,
    Months6,
    Months12,
}

public enum MilestoneStatus
{
    Planned,
    InProgress,
    Done,
    Missed,
}

/// <summary>A step of the plan's adoption journey, owned by someone on either side, optionally serving one objective.</summary>
public sealed class Milestone : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string PlanId { get; init; }

    public required string Title { get; set; }

    public MilestoneHorizon Horizon { get; set; }

    public DateOnly? DueDate { get; set; }

    public string? OwnerId { get; set; }

    public string? OwnerStakeholderId { get; set; }

    public MilestoneStatus Status { get; set; }

    public string? ObjectiveId { get; set; }

    public bool HasOwner => OwnerId is not null || OwnerStakeholderId is not null;

    public bool IsOpen => Status is MilestoneStatus.Planned or MilestoneStatus.InProgress;

    /// <summary>Open and past its due date: the journey has slipped here.</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && DueDate < today;

    /// <summary>The days after the plan began that a horizon covers: the 60-day horizon is days 31 to 60.</summary>
    public static (int From, int To) Window(MilestoneHorizon horizon) => horizon switch
    {
        MilestoneHorizon.Days30 => (0, 30),
        MilestoneHorizon.Days60 => (31, 60),
        MilestoneHorizon.Days90 => (61, 90),
        MilestoneHorizon.Months6 => (91, 183),
        MilestoneHorizon.Months12 => (184, 366),
    };

    /// <summary>
    /// Why the due date does not fit the horizon, or null when it does (or there is no date). Allowed — plans slip
    /// and are re-planned — but said, so nobody reads a 30-day milestone due in month five as on schedule.
    /// </summary>
    public string? HorizonMismatch(DateOnly planBegan)
    {
        if (DueDate is not { } due)
        {
            return null;
        }

        var days = due.DayNumber - planBegan.DayNumber;
        var (from, to) = Window(Horizon);
        return days >= from && days <= to
            ? null
            : $"Due {due:yyyy-MM-dd}, {days} days after the plan began ({planBegan:yyyy-MM-dd}): outside its horizon, days {from}–{to}.";
    }
}
