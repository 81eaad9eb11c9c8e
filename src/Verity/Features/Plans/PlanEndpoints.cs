using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Plans;
using Verity.Features.Objectives;
using Verity.Http;

namespace Verity.Features.Plans;

public static class PlanEndpoints
{
    public static void MapPlans(this IEndpointRouteBuilder api)
    {
        var plans = api.MapGroup("/plans").WithTags("Plans");
        plans.MapGet("/", List);
        plans.MapPost("/", Create).Accepts<PlanInput>("application/json");
        plans.MapGet("/{id}", Get);
        plans.MapPatch("/{id}", Update).Accepts<PlanInput>("application/json");
    }

    private static async Task<Ok<Page<PlanSummary>>> List(
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

        return TypedResults.Ok(await query.PageAsync(limit, cursor, rows => rows.Select(PlanSummary.Projection), cancellationToken));
    }

    /// <summary>The plan with its sections, objectives, metrics and initiatives, in a fixed handful of queries.</summary>
    private static async Task<Ok<PlanResponse>> Get(string id, VerityDb db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().Include(p => p.Sections).GetAsync(id, cancellationToken);
        var objectives = await ObjectiveReads.ForPlanAsync(db, plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        ETags.Set(response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan, objectives));
    }

    private static async Task<Created<PlanResponse>> Create(HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureCanWrite();
        var input = await Json.ReadAsync<PlanInput>(request);
        var account = await db.Accounts.GetAsync(input.AccountId!, cancellationToken);

        // Whoever starts a plan owns it until it is handed over.
        input = input with { OwnerId = input.OwnerId ?? actor.UserId };
        var plan = new SuccessPlan { AccountId = account.Id, Title = "", Template = PlanTemplates.For(account.Segment) };
        await input.ApplyToAsync(plan, db, cancellationToken);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Created($"/api/v1/plans/{plan.Id}", PlanResponse.From(plan, []));
    }

    private static async Task<Ok<PlanResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.Include(p => p.Sections).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, plan);
        var input = await Json.PatchAsync(request, PlanInput.From(plan));
        if (input.AccountId != plan.AccountId)
        {
            throw new BadInputException("accountId", "A plan cannot move to another account.");
        }

        await input.ApplyToAsync(plan, db, cancellationToken);
        ETags.MoveWithParts(db, plan);

        await db.SaveChangesAsync(cancellationToken);
        var objectives = await ObjectiveReads.ForPlanAsync(db, plan.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan, objectives));
    }
}
