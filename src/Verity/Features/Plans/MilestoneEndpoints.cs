using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Plans;

public sealed record MilestoneInput : IValidatableObject
{
    [Mandatory, Name]
    public string? Title { get; init; }

    [Required(ErrorMessage = "Choose a horizon: days30, days60, days90, months6 or months12.")]
    public MilestoneHorizon? Horizon { get; init; }

    [PlausibleDate]
    public DateOnly? DueDate { get; init; }

    public string? OwnerId { get; init; }

    public string? OwnerStakeholderId { get; init; }

    public MilestoneStatus Status { get; init; } = MilestoneStatus.Planned;

    public string? ObjectiveId { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (OwnerId is not null && OwnerStakeholderId is not null)
        {
            yield return new ValidationResult("Give either ownerId (a user) or ownerStakeholderId (a customer-side owner), not both.", ["ownerStakeholderId"]);
        }
    }

    public static MilestoneInput From(Milestone m) => new()
    {
        Title = m.Title, Horizon = m.Horizon, DueDate = m.DueDate, OwnerId = m.OwnerId, OwnerStakeholderId = m.OwnerStakeholderId, Status = m.Status, ObjectiveId = m.ObjectiveId,
    };

    /// <summary>Checks the references against the plan's account and copies the values onto the milestone.</summary>
    public async Task ApplyToAsync(Milestone milestone, VerityDb db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (OwnerId is not null && OwnerId != milestone.OwnerId)
        {
            await Owners.EnsureCanOwnAsync(db, milestone.AccountId, OwnerId, cancellationToken);
        }

        if (OwnerStakeholderId is not null && !await db.Stakeholders.AnyAsync(s => s.Id == OwnerStakeholderId && s.AccountId == milestone.AccountId, cancellationToken))
        {
            errors["ownerStakeholderId"] = [$"Not a stakeholder of this account: {OwnerStakeholderId}."];
        }

        if (ObjectiveId is not null && !await db.Objectives.AnyAsync(o => o.Id == ObjectiveId && o.PlanId == milestone.PlanId, cancellationToken))
        {
            errors["objectiveId"] = [$"Not an objective of this plan: {ObjectiveId}."];
        }

        if (errors.Count > 0)
        {
            throw new BadInputException(errors);
        }

        milestone.Title = Title!.Trim();
        milestone.Horizon = Horizon!.Value;
        milestone.DueDate = DueDate;
        milestone.OwnerId = OwnerId;
        milestone.OwnerStakeholderId = OwnerStakeholderId;
        milestone.Status = Status;
        milestone.ObjectiveId = ObjectiveId;
    }
}

/// <summary>A milestone as the API gives it; <c>horizonNote</c> says when its due date falls outside its horizon.</summary>
public sealed record MilestoneResponse(
    string Id,
    string PlanId,
    string Title,
    MilestoneHorizon Horizon,
    DateOnly? DueDate,
    string? OwnerId,
    string? OwnerStakeholderId,
    MilestoneStatus Status,
    string? ObjectiveId,
    bool Overdue,
    bool OutsideHorizon,
    string? HorizonNote) : IHasId
{
    public static MilestoneResponse From(Milestone m, DateOnly planBegan, DateOnly today)
    {
        var note = m.HorizonMismatch(planBegan);
        return new(m.Id, m.PlanId, m.Title, m.Horizon, m.DueDate, m.OwnerId, m.OwnerStakeholderId, m.Status, m.ObjectiveId, m.IsOverdue(today), note is not null, note);
    }
}

/// <summary>The plan's adoption journey: milestones at 30, 60 and 90 days, 6 and 12 months, owned on either side.</summary>
public static class MilestoneEndpoints
{
    public static void MapMilestones(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Milestones");
        group.MapGet("/plans/{planId}/milestones", List)
            .WithSummary("List the plan's milestones")
            .WithDescription("The plan's journey, by horizon (30, 60, 90 days, 6 and 12 months) and due date. Anyone who may see the plan, its customers included.");
        group.MapPost("/plans/{planId}/milestones", Create).Accepts<MilestoneInput>("application/json")
            .WithSummary("Add a milestone")
            .WithDescription("Adds a milestone to the plan's journey, owned by a vendor user or a customer stakeholder and optionally serving an objective. The account's team and managers, directors and admins may.");
        group.MapGet("/milestones/{id}", Get)
            .WithSummary("Get a milestone")
            .WithDescription("One milestone with its `ETag`. 404 when the caller may not see its plan.");
        group.MapPatch("/milestones/{id}", Update).Accepts<MilestoneInput>("application/json")
            .WithSummary("Change a milestone")
            .WithDescription("Changes the fields sent (title, horizon, due date, owner, status). The account's team and managers, directors and admins may; a stale `If-Match` answers 412.");
        group.MapDelete("/milestones/{id}", Delete)
            .WithSummary("Remove a milestone")
            .WithDescription("Removes the milestone from the plan's journey (204). The account's team and managers, directors and admins may; a stale `If-Match` answers 412.");
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The day the journey counts from: the day the plan was started.</summary>
    public static DateOnly Began(SuccessPlan plan) => DateOnly.FromDateTime(plan.CreatedAt);

    private static async Task<Ok<Page<MilestoneResponse>>> List(
        string planId, VerityDb db, TimeProvider clock, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().GetAsync(planId, cancellationToken);
        var page = await db.Milestones.AsNoTracking().Where(m => m.PlanId == planId).PageAsync(limit, cursor, rows => rows, cancellationToken);
        var today = Today(clock);
        return TypedResults.Ok(new Page<MilestoneResponse>(page.Items.Select(m => MilestoneResponse.From(m, Began(plan), today)).ToList(), page.NextCursor));
    }

    /// <summary>A plan's milestones in journey order: horizon, then due date (undated last), then when they were added.</summary>
    public static async Task<List<Milestone>> ForPlanAsync(VerityDb db, string planId, CancellationToken cancellationToken) =>
        (await db.Milestones.AsNoTracking().Where(m => m.PlanId == planId).ToListAsync(cancellationToken))
            .OrderBy(m => m.Horizon).ThenBy(m => m.DueDate ?? DateOnly.MaxValue).ThenBy(m => m.Id, StringComparer.Ordinal).ToList();

    private static async Task<Ok<MilestoneResponse>> Get(string id, VerityDb db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var milestone = await db.Milestones.AsNoTracking().GetAsync(id, cancellationToken);
        var plan = await db.Plans.AsNoTracking().GetAsync(milestone.PlanId, cancellationToken);
        ETags.Set(response, milestone.Version);
        return TypedResults.Ok(MilestoneResponse.From(milestone, Began(plan), Today(clock)));
    }

    private static async Task<Created<MilestoneResponse>> Create(
        string planId, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (milestone, plan) = await AddAsync(db, actor, planId, await Json.ReadAsync<MilestoneInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, milestone.Version);
        return TypedResults.Created($"/api/v1/milestones/{milestone.Id}", MilestoneResponse.From(milestone, Began(plan), Today(clock)));
    }

    public static async Task<(Milestone, SuccessPlan)> AddAsync(VerityDb db, Actor actor, string planId, MilestoneInput input, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().GetAsync(planId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var milestone = new Milestone { AccountId = plan.AccountId, PlanId = plan.Id, Title = "" };
        await input.ApplyToAsync(milestone, db, cancellationToken);
        db.Milestones.Add(milestone);
        await db.SaveChangesAsync(cancellationToken);
        return (milestone, plan);
    }

    private static async Task<Ok<MilestoneResponse>> Update(string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (milestone, plan) = await ReviseAsync(db, actor, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        ETags.Set(request.HttpContext.Response, milestone.Version);
        return TypedResults.Ok(MilestoneResponse.From(milestone, Began(plan), Today(clock)));
    }

    /// <summary>Changes a milestone (a PATCH body, or a page's form) once its version is confirmed current.</summary>
    public static async Task<(Milestone, SuccessPlan)> ReviseAsync(
        VerityDb db, Actor actor, string id, string? ifMatch, Func<MilestoneInput, Task<MilestoneInput>> change, CancellationToken cancellationToken)
    {
        var milestone = await db.Milestones.GetAsync(id, cancellationToken);
        var plan = await db.Plans.AsNoTracking().GetAsync(milestone.PlanId, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, milestone);
        var input = await change(MilestoneInput.From(milestone));
        Json.Validate(input);
        await input.ApplyToAsync(milestone, db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (milestone, plan);
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        await RemoveAsync(db, actor, id, request.Headers.IfMatch.ToString(), cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task RemoveAsync(VerityDb db, Actor actor, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var milestone = await db.Milestones.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, milestone);
        db.Milestones.Remove(milestone);
        await db.SaveChangesAsync(cancellationToken);
    }
}
