using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Plans;
using Verity.Features.Objectives;
using Verity.Http;

namespace Verity.Features.Plans;

public static class PlanEndpoints
{
    public static void MapPlans(this IEndpointRouteBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("/", List)
            .WithSummary("List success plans")
            .WithDescription("The plans of the accounts the caller may see, filtered by `accountId`, `status` and `ownerId`. A customer sees their own account's plans once shared.");
        plans.MapPost("/", Create).Accepts<PlanInput>("application/json")
            .WithSummary("Start a success plan")
            .WithDescription("Starts a plan for an account (201 with `Location`), its sections, objectives and milestones seeded from `template`. The account's team and managers, directors and admins may.");
        plans.MapGet("/{id}", Get)
            .WithSummary("Get a success plan")
            .WithDescription("One plan with its sections and its objectives, each with metrics and initiatives, and the plan's `ETag`. 404 when the caller may not see its account.");
        plans.MapPatch("/{id}", Update).Accepts<PlanInput>("application/json")
            .WithSummary("Change a success plan")
            .WithDescription("Changes the fields sent (title, status, sections, review cadence, …). Customers cannot change a plan here; a stale `If-Match` answers 412.");
        plans.MapPost("/{id}/handoff", HandOff).Accepts<HandoffInput>("application/json")
            .WithSummary("Hand the plan over to another CSM")
            .WithDescription("Gives the plan to `toUserId`. Only the plan's owner or a manager may; 409 lists what the plan still lacks unless `force` is set with a `reason`.");
    }

    /// <summary>
    /// Hands the plan from the SA to a CSM on the account team once it carries what the CSM needs
    /// (owned objectives, 30/60/90-day milestones, named customer stakeholders) — or, forced, with a reason.
    /// </summary>
    private static async Task<Ok<PlanResponse>> HandOff(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.Include(p => p.Sections).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        actor.EnsureOwnsOrManages(plan.OwnerId, "Only the plan's owner or a manager hands a plan over.");

        ETags.Check(request, db, plan);
        var input = await Json.ReadAsync<HandoffInput>(request);
        var isCsmOnTeam = await db.TeamMembers.AnyAsync(
            t => t.AccountId == plan.AccountId && t.UserId == input.ToUserId && t.Role == TeamRole.CustomerSuccessManager, cancellationToken);
        if (!isCsmOnTeam)
        {
            throw new BadInputException("toUserId", "Must be a customer success manager on this account's team.");
        }

        if (input.ToUserId == plan.OwnerId)
        {
            throw new ConflictException("The plan is already owned by this CSM.");
        }

        var objectives = (await db.Objectives.Where(o => o.PlanId == id).Select(o => new { o.Title, o.OwnerId }).ToListAsync(cancellationToken))
            .Select(o => (o.Title, o.OwnerId)).ToList();
        var customerStakeholders = await db.Stakeholders.CountAsync(s => s.AccountId == plan.AccountId && s.Side == StakeholderSide.Customer, cancellationToken);
        var milestones = await db.Milestones.AsNoTracking().Where(m => m.PlanId == id).ToListAsync(cancellationToken);
        var missing = Handoff.Missing(objectives, milestones, customerStakeholders);
        if (missing.Count > 0 && !input.Force)
        {
            throw new ConflictException("The plan is not ready to hand over; missing: " + string.Join("; ", missing)
                + ". Complete it, or hand it over anyway with force and a reason.");
        }

        var from = plan.OwnerId;
        plan.OwnerId = input.ToUserId;
        var names = await db.Users.Where(u => u.Id == from || u.Id == input.ToUserId).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        db.Activities.Add(new Activity
        {
            AccountId = plan.AccountId,
            PlanId = plan.Id,
            Type = ActivityType.StatusChange,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
            Summary = $"Plan handed over from {(from is null ? "nobody" : names.GetValueOrDefault(from, from))} to {names.GetValueOrDefault(input.ToUserId!, input.ToUserId!)}."
                + (missing.Count > 0 ? $" Forced: {input.Reason!.Trim()} (still missing: {string.Join("; ", missing)})." : ""),
            Visibility = Visibility.Internal,
            AuthorId = actor.UserId,
        });
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan, await ObjectiveReads.ForPlanAsync(db, plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken)));
    }

    private static async Task<Ok<Page<PlanSummary>>> List(
        VerityDb db, string? accountId, [ValuesOf<PlanStatus>] string? status, string? ownerId, int? limit, string? cursor, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ListAsync(db, accountId, status, ownerId, limit, cursor, cancellationToken));

    /// <summary>One page of the plans the caller may see, filtered as <c>GET /plans</c> filters them (the CLI lists through it too).</summary>
    public static async Task<Page<PlanSummary>> ListAsync(
        VerityDb db, string? accountId, string? status, string? ownerId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var query = db.Plans.AsNoTracking();
        if (accountId is not null)
        {
            query = query.Where(p => p.AccountId == accountId);
        }

        if (Query.Enum<PlanStatus>("status", status) is { } statusValue)
        {
            query = query.Where(p => p.Status == statusValue);
        }

        if (ownerId is not null)
        {
            query = query.Where(p => p.OwnerId == ownerId);
        }

        return await query.PageAsync(limit, cursor, rows => rows.Select(PlanSummary.Projection), cancellationToken);
    }

    /// <summary>The plan with its sections, objectives, metrics and initiatives, in a fixed handful of queries.</summary>
    private static async Task<Ok<PlanResponse>> Get(string id, VerityDb db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Sections).GetAsync(id, cancellationToken);
        var objectives = await ObjectiveReads.ForPlanAsync(db, plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        ETags.Set(response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan, objectives).As(db.Actor));
    }

    private static async Task<Created<PlanResponse>> Create(HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = await StartAsync(db, actor, clock, await Json.ReadAsync<PlanInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Created($"/api/v1/plans/{plan.Id}", PlanResponse.From(plan, []));
    }

    public static async Task<SuccessPlan> StartAsync(VerityDb db, Actor actor, TimeProvider clock, PlanInput input, CancellationToken cancellationToken)
    {
        actor.EnsureCanWrite();
        Json.Validate(input);
        var account = await db.Accounts.GetAsync(input.AccountId!, cancellationToken);

        // Whoever starts a plan owns it until it is handed over.
        input = input with { OwnerId = input.OwnerId ?? actor.UserId };
        var plan = new SuccessPlan { AccountId = account.Id, Title = "", Template = PlanTemplates.For(account.Segment) };
        await input.ApplyToAsync(plan, db, cancellationToken);

        // A new plan starts from its template: its starter sections and its journey's skeleton.
        var template = (await Templates.TemplateEndpoints.FindAsync(db, plan.Template, cancellationToken))!;
        db.Milestones.AddRange(template.StartPlan(plan, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
        db.Plans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }

    private static async Task<Ok<PlanResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = await ReviseAsync(db, actor, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        var objectives = await ObjectiveReads.ForPlanAsync(db, plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan, objectives));
    }

    /// <summary>
    /// Changes a plan: the change (a PATCH body, or a page's form) is applied to the plan's current input and
    /// checked like a new one, after the version the caller read is confirmed current.
    /// </summary>
    public static async Task<SuccessPlan> ReviseAsync(
        VerityDb db, Actor actor, string id, string? ifMatch, Func<PlanInput, Task<PlanInput>> change, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.Include(p => p.Sections).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, plan);
        var input = await change(PlanInput.From(plan));
        Json.Validate(input);
        if (input.AccountId != plan.AccountId)
        {
            throw new BadInputException("accountId", "A plan cannot move to another account.");
        }

        await input.ApplyToAsync(plan, db, cancellationToken);
        ETags.MoveWithParts(db, plan);
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }
}

public sealed record HandoffInput : System.ComponentModel.DataAnnotations.IValidatableObject
{
    [Mandatory]
    public string? ToUserId { get; init; }

    /// <summary>Hand over even though something is missing; needs a reason.</summary>
    public bool Force { get; init; }

    [Text]
    public string? Reason { get; init; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (Force && string.IsNullOrWhiteSpace(Reason))
        {
            yield return new("A forced handover needs a reason.", ["reason"]);
        }
    }
}
