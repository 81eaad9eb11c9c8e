using Verity.Domain.Common;

namespace Verity.Domain.Objectives;

public enum ObjectiveKind
{
    Quantitative,
    Qualitative,
}

public enum ObjectiveStatus
{
    New,
    WorkInProgress,
    ClosedSuccess,
    ClosedNoAction,
    ClosedInvalid,
}

public enum OutcomeStage
{
    Proposed,
    Accepted,
    Delivered,
    Verified,
}

public enum ObjectiveHealth
{
    OnTrack,
    Watchpoint,
    Concern,
}

public sealed class Objective : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string PlanId { get; init; }

    public required string Title { get; set; }

    public string? Description { get; set; }

    public int Priority { get; set; }

    public ObjectiveKind Kind { get; set; }

    public ObjectiveStatus Status { get; private set; } = ObjectiveStatus.New;

    public OutcomeStage OutcomeStage { get; private set; } = OutcomeStage.Proposed;

    public ObjectiveHealth? Health { get; set; }

    public string? UseCase { get; set; }

    public string? OwnerId { get; set; }

    public List<string> StakeholderIds { get; set; } = [];

    public string? SuccessCriteria { get; set; }

    public string? BusinessImpact { get; set; }

    public DateOnly? TargetDate { get; set; }

    public DateOnly? LastValidatedAt { get; set; }

    public bool IsOpen => Status is ObjectiveStatus.New or ObjectiveStatus.WorkInProgress;
}
