using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Http;

namespace Verity.Features.Objectives;

public sealed record ObjectiveInput
{
    [Mandatory, Name]
    public string? Title { get; init; }

    [Text]
    public string? Description { get; init; }

    [Range(1, 1000, ErrorMessage = "Must be a rank from 1 to 1000.")]
    public int? Priority { get; init; }

    public ObjectiveKind Kind { get; init; } = ObjectiveKind.Quantitative;

    [Name]
    public string? UseCase { get; init; }

    public string? OwnerId { get; init; }

    public List<string> StakeholderIds { get; init; } = [];

    [Text]
    public string? SuccessCriteria { get; init; }

    [Text]
    public string? BusinessImpact { get; init; }

    [PlausibleDate]
    public DateOnly? TargetDate { get; init; }

    /// <summary>Health set by hand; null goes back to the suggestion.</summary>
    public ObjectiveHealth? Health { get; init; }

    public static ObjectiveInput From(Objective o) => new()
    {
        Health = o.HealthOverride,
        Title = o.Title,
        Description = o.Description,
        Priority = o.Priority,
        Kind = o.Kind,
        UseCase = o.UseCase,
        OwnerId = o.OwnerId,
        StakeholderIds = o.StakeholderIds,
        SuccessCriteria = o.SuccessCriteria,
        BusinessImpact = o.BusinessImpact,
        TargetDate = o.TargetDate,
    };

    public async Task ApplyToAsync(Objective o, VerityDb db, Actor actor, DateTime now, CancellationToken cancellationToken)
    {
        if (Health != o.HealthOverride)
        {
            actor.EnsureOwnsOrManages(o.OwnerId, "Only the objective's owner or a manager sets its health by hand.");

            o.SetHealth(Health, actor.UserId, now);
        }

        if (OwnerId is not null && OwnerId != o.OwnerId)
        {
            await Owners.EnsureCanOwnAsync(db, o.AccountId, OwnerId, cancellationToken);
        }

        var stakeholderIds = StakeholderIds.Distinct().ToList();
        var known = await db.Stakeholders
            .Where(s => s.AccountId == o.AccountId && stakeholderIds.Contains(s.Id))
            .Select(s => s.Id).ToListAsync(cancellationToken);
        var unknown = stakeholderIds.Except(known).ToList();
        if (unknown.Count > 0)
        {
            throw new BadInputException("stakeholderIds", $"Not stakeholders of this account: {string.Join(", ", unknown)}.");
        }

        o.Title = Title!.Trim();
        o.Description = Description;
        o.Priority = Priority ?? o.Priority;
        o.Kind = Kind;
        o.UseCase = UseCase;
        o.OwnerId = OwnerId;
        o.StakeholderIds = stakeholderIds;
        o.SuccessCriteria = SuccessCriteria;
        o.BusinessImpact = BusinessImpact;
        o.TargetDate = TargetDate;
    }
}

public sealed record SmartResponse(bool IsSmart, IReadOnlyList<SmartFindingResponse> Findings)
{
    public static SmartResponse From(SmartResult result) => new(
        result.IsSmart,
        result.Findings.Select(f => new SmartFindingResponse(Objective.Name(f.Rule), f.Message, f.Suggestion)).ToList());
}

public sealed record SmartFindingResponse(string Rule, string Message, string Suggestion);

public sealed record ConfirmationResponse(
    string Id, string ObjectiveId, string StakeholderId, DateTime ConfirmedAt, string Statement, string? RecordedBy,
    Domain.Evidence.ConfirmationSource Source, IReadOnlyList<string> AttachmentIds,
    bool IsValid, DateTime? VoidedAt, string? VoidedBy, string? VoidReason) : IHasId
{
    public static ConfirmationResponse From(Confirmation c) => new(
        c.Id, c.ObjectiveId, c.StakeholderId, c.ConfirmedAt, c.Statement, c.RecordedBy, c.Source, c.AttachmentIds,
        c.IsValid, c.VoidedAt, c.VoidedBy, c.VoidReason);
}

public sealed record ObjectiveResponse(
    string Id,
    string PlanId,
    string AccountId,
    string Title,
    string? Description,
    int Priority,
    ObjectiveKind Kind,
    ObjectiveStatus Status,
    OutcomeStage OutcomeStage,
    ObjectiveHealth? Health,
    string? HealthSource,
    IReadOnlyList<string> HealthReasons,
    string? HealthSetBy,
    DateTime? HealthSetAt,
    string? UseCase,
    string? OwnerId,
    IReadOnlyList<string> StakeholderIds,
    string? SuccessCriteria,
    string? BusinessImpact,
    DateOnly? TargetDate,
    DateOnly? LastValidatedAt,
    string? LastValidatedBy,
    SmartResponse Smart,
    IReadOnlyList<MetricResponse> Metrics,
    IReadOnlyList<InitiativeResponse> Initiatives,
    IReadOnlyList<ConfirmationResponse> Confirmations,
    DateTime CreatedAt,
    DateTime UpdatedAt) : IHasId
{
    public static ObjectiveResponse From(
        Objective o, IReadOnlyList<MetricResponse> metrics, IReadOnlyList<InitiativeResponse> initiatives,
        SmartResult smart, ObjectiveHealth? suggested, IReadOnlyList<HealthSignal> signals)
    {
        var set = o.HealthOverride is not null;
        var health = set ? o.HealthOverride : suggested;
        return new(
            o.Id, o.PlanId, o.AccountId, o.Title, o.Description, o.Priority, o.Kind, o.Status, o.OutcomeStage,
            health,
            health is null ? null : set ? "set" : "suggested",
            signals.Select(s => s.Reason).ToList(),
            o.HealthSetBy,
            o.HealthSetAt,
            o.UseCase, o.OwnerId, o.StakeholderIds, o.SuccessCriteria, o.BusinessImpact, o.TargetDate, o.LastValidatedAt, o.LastValidatedBy,
            SmartResponse.From(smart),
            metrics,
            initiatives,
            o.Confirmations.OrderBy(c => c.ConfirmedAt).Select(ConfirmationResponse.From).ToList(),
            o.CreatedAt,
            o.UpdatedAt);
    }
}

public sealed record MetricValue([property: Measure] double Value, DateOnly? At);

public sealed record MetricTarget([property: Measure] double Value, DateOnly? By);

public sealed record MetricInput : IValidatableObject
{
    [Mandatory, Name]
    public string? Name { get; init; }

    [StringLength(40, ErrorMessage = "Must be at most 40 characters.")]
    public string? Unit { get; init; }

    public MetricDirection Direction { get; init; } = MetricDirection.Increase;

    public MetricValue? Baseline { get; init; }

    public MetricTarget? Target { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Baseline?.At is { } at && at.Year is < 1900 or > 2200)
        {
            yield return new ValidationResult("Must be a date between 1900 and 2200.", ["baseline.at"]);
        }

        if (Target?.By is { } by && by.Year is < 1900 or > 2200)
        {
            yield return new ValidationResult("Must be a date between 1900 and 2200.", ["target.by"]);
        }

        if (Baseline?.At is { } from && Target?.By is { } until && until < from)
        {
            yield return new ValidationResult("The target date comes before the baseline date.", ["target.by"]);
        }

        if (Baseline is { } baseline && Target is { } target)
        {
            if (Direction == MetricDirection.Increase && target.Value < baseline.Value)
            {
                yield return new ValidationResult("An increasing metric needs a target above its baseline; did you mean direction \"decrease\"?", ["target.value"]);
            }
            else if (Direction == MetricDirection.Decrease && target.Value > baseline.Value)
            {
                yield return new ValidationResult("A decreasing metric needs a target below its baseline; did you mean direction \"increase\"?", ["target.value"]);
            }
        }
    }

    public static MetricInput From(Metric m) => new()
    {
        Name = m.Name,
        Unit = m.Unit,
        Direction = m.Direction,
        Baseline = m.BaselineValue is { } b ? new MetricValue(b, m.BaselineAt) : null,
        Target = m.TargetValue is { } t ? new MetricTarget(t, m.TargetBy) : null,
    };

    public void ApplyTo(Metric m)
    {
        m.Name = Name!.Trim();
        m.Unit = Unit;
        m.Direction = Direction;
        m.BaselineValue = Baseline?.Value;
        m.BaselineAt = Baseline?.At;
        m.TargetValue = Target?.Value;
        m.TargetBy = Target?.By;
    }
}

public sealed record MetricResponse(
    string Id,
    string ObjectiveId,
    string Name,
    string? Unit,
    MetricDirection Direction,
    MetricValue? Baseline,
    MetricTarget? Target,
    MetricValue? Latest,
    double Progress,
    string? ProgressNote) : IHasId
{
    /// <summary>The same metric as the health and progress rules read it.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public MetricTrack Track => new(Name, Direction, Baseline?.Value, Baseline?.At, Target?.Value, Target?.By, Latest?.Value, Latest?.At);
}

public sealed record MeasurementInput
{
    [Mandatory, Measure]
    public double? Value { get; init; }

    [Mandatory, PlausibleDate]
    public DateOnly? At { get; init; }

    [Name]
    public string? Source { get; init; }
}

public sealed record MeasurementResponse(string Id, string MetricId, double Value, DateOnly At, string? Source) : IHasId;

public sealed record TaskInput
{
    [Mandatory, Name]
    public string? Title { get; init; }

    public bool Done { get; init; }

    [PlausibleDate]
    public DateOnly? DueDate { get; init; }
}

public sealed record InitiativeInput : IValidatableObject
{
    [Mandatory, Name]
    public string? Title { get; init; }

    public InitiativeKind Kind { get; init; } = InitiativeKind.Other;

    public InitiativeStatus Status { get; init; } = InitiativeStatus.NotStarted;

    [PlausibleDate]
    public DateOnly? DueDate { get; init; }

    public string? OwnerId { get; init; }

    public string? OwnerStakeholderId { get; init; }

    public List<TaskInput> Tasks { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OwnerId is not null && OwnerStakeholderId is not null)
        {
            yield return new ValidationResult("Give either ownerId (a user) or ownerStakeholderId (a customer-side owner), not both.", ["ownerStakeholderId"]);
        }
    }

    public static InitiativeInput From(Initiative i) => new()
    {
        Title = i.Title,
        Kind = i.Kind,
        Status = i.Status,
        DueDate = i.DueDate,
        OwnerId = i.OwnerId,
        OwnerStakeholderId = i.OwnerStakeholderId,
        Tasks = i.Tasks.OrderBy(t => t.Position).Select(t => new TaskInput { Title = t.Title, Done = t.Done, DueDate = t.DueDate }).ToList(),
    };

    public async Task ApplyToAsync(Initiative initiative, VerityDb db, CancellationToken cancellationToken)
    {
        if (OwnerId is not null && OwnerId != initiative.OwnerId)
        {
            await Owners.EnsureCanOwnAsync(db, initiative.AccountId, OwnerId, cancellationToken);
        }

        if (OwnerStakeholderId is not null && !await db.Stakeholders.AnyAsync(
                s => s.Id == OwnerStakeholderId && s.AccountId == initiative.AccountId, cancellationToken))
        {
            throw new BadInputException("ownerStakeholderId", $"Not a stakeholder of this account: {OwnerStakeholderId}.");
        }

        initiative.Title = Title!.Trim();
        initiative.Kind = Kind;
        initiative.Status = Status;
        initiative.DueDate = DueDate;
        initiative.OwnerId = OwnerId;
        initiative.OwnerStakeholderId = OwnerStakeholderId;

        // Tasks are matched by position: the list in the body is the list the initiative keeps.
        var existing = initiative.Tasks.OrderBy(t => t.Position).ToList();
        for (var i = 0; i < Tasks.Count; i++)
        {
            var task = i < existing.Count
                ? existing[i]
                : new InitiativeTask { AccountId = initiative.AccountId, InitiativeId = initiative.Id, Title = "" };
            task.Position = i;
            task.Title = Tasks[i].Title!.Trim();
            task.Done = Tasks[i].Done;
            task.DueDate = Tasks[i].DueDate;
            if (i >= existing.Count)
            {
                initiative.Tasks.Add(task);
            }
        }

        foreach (var removed in existing.Skip(Tasks.Count))
        {
            initiative.Tasks.Remove(removed);
        }
    }
}

public sealed record TaskResponse(string Id, string Title, bool Done, DateOnly? DueDate);

public sealed record InitiativeResponse(
    string Id,
    string ObjectiveId,
    string Title,
    InitiativeKind Kind,
    InitiativeStatus Status,
    DateOnly? DueDate,
    string? OwnerId,
    string? OwnerStakeholderId,
    IReadOnlyList<TaskResponse> Tasks) : IHasId
{
    public static InitiativeResponse From(Initiative i) => new(
        i.Id, i.ObjectiveId, i.Title, i.Kind, i.Status, i.DueDate, i.OwnerId, i.OwnerStakeholderId,
        i.Tasks.OrderBy(t => t.Position).Select(t => new TaskResponse(t.Id, t.Title, t.Done, t.DueDate)).ToList());
}
