using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Objectives;
using Verity.Http;

namespace Verity.Features.Objectives;

public static class ObjectiveEndpoints
{
    public static void MapObjectives(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Objectives");
        group.MapGet("/plans/{planId}/objectives", List);
        group.MapPost("/plans/{planId}/objectives", Create).Accepts<ObjectiveInput>("application/json");
        group.MapGet("/objectives/{id}", Get);
        group.MapPatch("/objectives/{id}", Update).Accepts<ObjectiveInput>("application/json");
        group.MapDelete("/objectives/{id}", Delete);
    }

    private static async Task<Ok<Page<ObjectiveResponse>>> List(
        string planId, VerityDb db, string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Plans.GetAsync(planId, cancellationToken);
        var query = db.Objectives.AsNoTracking().Where(o => o.PlanId == planId);
        if (Query.Enum<ObjectiveStatus>("status", status) is { } statusValue)
        {
            query = query.Where(o => o.Status == statusValue);
        }

        var page = await query.PageAsync(limit, cursor, rows => rows, cancellationToken);
        return TypedResults.Ok(new Page<ObjectiveResponse>(await ObjectiveReads.CompleteAsync(db, page.Items, cancellationToken), page.NextCursor));
    }

    private static async Task<Ok<ObjectiveResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, objective.Version);
        return TypedResults.Ok((await ObjectiveReads.CompleteAsync(db, [objective], cancellationToken))[0]);
    }

    private static async Task<Created<ObjectiveResponse>> Create(
        string planId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.GetAsync(planId, cancellationToken);
        actor.EnsureCanWrite();
        var input = await Json.ReadAsync<ObjectiveInput>(request);
        var objective = new Objective { AccountId = plan.AccountId, PlanId = plan.Id, Title = "" };
        objective.Priority = await db.Objectives.Where(o => o.PlanId == plan.Id).CountAsync(cancellationToken) + 1;
        await input.ApplyToAsync(objective, db, cancellationToken);
        db.Objectives.Add(objective);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, objective.Version);
        return TypedResults.Created($"/api/v1/objectives/{objective.Id}", ObjectiveResponse.From(objective, [], []));
    }

    private static async Task<Ok<ObjectiveResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, objective);
        var input = await Json.PatchAsync(request, ObjectiveInput.From(objective));
        await input.ApplyToAsync(objective, db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, objective.Version);
        return TypedResults.Ok((await ObjectiveReads.CompleteAsync(db, [objective], cancellationToken))[0]);
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, objective);

        // Removed explicitly rather than by cascade, so each one leaves its own line in the history.
        db.Initiatives.RemoveRange(await db.Initiatives.Include(i => i.Tasks).Where(i => i.ObjectiveId == id).ToListAsync(cancellationToken));
        var metrics = await db.Metrics.Where(m => m.ObjectiveId == id).ToListAsync(cancellationToken);
        var metricIds = metrics.Select(m => m.Id).ToList();
        db.Measurements.RemoveRange(await db.Measurements.Where(x => metricIds.Contains(x.MetricId)).ToListAsync(cancellationToken));
        db.Metrics.RemoveRange(metrics);
        db.Objectives.Remove(objective);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
