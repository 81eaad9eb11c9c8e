using Verity.Domain.Common;

namespace Verity.Domain.Objectives;

public enum InitiativeKind
{
    Enablement,
    Implementation,
    Migration,
    Integration,
    ChangeManagement,
    Other,
}

public enum InitiativeStatus
{
    NotStarted,
    InProgress,
    Blocked,
    Done,
}

/// <summary>The "how" under an objective, owned by someone on either side.</summary>
public sealed class Initiative : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string ObjectiveId { get; init; }

    public required string Title { get; set; }

    public InitiativeKind Kind { get; set; }

    public InitiativeStatus Status { get; set; }

    public DateOnly? DueDate { get; set; }

    public string? OwnerId { get; set; }

    public string? OwnerStakeholderId { get; set; }

    public List<InitiativeTask> Tasks { get; } = [];

    /// <summary>Ticks a task off, or back on; a task of another initiative is not one to tick here.</summary>
    public void MarkTask(string taskId, bool done)
    {
        var task = Tasks.Find(t => t.Id == taskId) ?? throw new FieldViolation("taskId", "Is not a task of this initiative.");
        task.Done = done;
    }
}

public sealed class InitiativeTask : Entity, IAccountOwned
{
    public required string AccountId { get; init; }

    public required string InitiativeId { get; init; }

    public required string Title { get; set; }

    /// <summary>Where the task stands in its initiative's list.</summary>
    public int Position { get; set; }

    public bool Done { get; set; }

    public DateOnly? DueDate { get; set; }
}
