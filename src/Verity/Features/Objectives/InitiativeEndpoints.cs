using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Objectives;
using Verity.Http;

namespace Verity.Features.Objectives;

public sealed record TaskUpdateInput
{
    [Mandatory]
    public string? TaskId { get; init; }

    [System.ComponentModel.DataAnnotations.Required(ErrorMessage = "Say whether the task is done: true or false.")]
    public bool? Done { get; init; }
}

public static class InitiativeEndpoints
{
    public static void MapInitiatives(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Initiatives");
        group.MapGet("/objectives/{objectiveId}/initiatives", List);
        group.MapPost("/objectives/{objectiveId}/initiatives", Create).Accepts<InitiativeInput>("application/json");
        group.MapGet("/initiatives/{id}", Get);
        group.MapPatch("/initiatives/{id}", Update).Accepts<InitiativeInput>("application/json");
        group.MapDelete("/initiatives/{id}", Delete);
        group.MapPost("/initiatives/{id}/task-updates", MarkTask).Accepts<TaskUpdateInput>("application/json");
    }

    private static async Task<Ok<InitiativeResponse>> MarkTask(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var initiative = await MarkTaskAsync(db, actor, id, await Json.ReadAsync<TaskUpdateInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, initiative.Version);
        return TypedResults.Ok(InitiativeResponse.From(initiative));
    }

    /// <summary>Ticks one task off (or back on): the team on any initiative, the customer on those their side owns.</summary>
    public static async Task<Initiative> MarkTaskAsync(VerityDb db, Actor actor, string id, TaskUpdateInput input, CancellationToken cancellationToken)
    {
        var initiative = await db.Initiatives.Include(i => i.Tasks).GetAsync(id, cancellationToken);
        var ownedByCustomer = initiative.OwnerStakeholderId is { } owner
            && await db.Stakeholders.AnyAsync(s => s.Id == owner && s.Side == Domain.Accounts.StakeholderSide.Customer, cancellationToken);
        actor.EnsureCanMarkTasks(ownedByCustomer);
        Json.Validate(input);
        initiative.MarkTask(input.TaskId!, input.Done!.Value);
        ETags.MoveWithParts(db, initiative);
        await db.SaveChangesAsync(cancellationToken);
        return initiative;
    }

    private static async Task<Ok<Page<InitiativeResponse>>> List(
        string objectiveId, VerityDb db, [ValuesOf<InitiativeStatus>] string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Objectives.GetAsync(objectiveId, cancellationToken);
        var query = db.Initiatives.AsNoTracking().Include(i => i.Tasks).Where(i => i.ObjectiveId == objectiveId);
        if (Query.Enum<InitiativeStatus>("status", status) is { } statusValue)
        {
            query = query.Where(i => i.Status == statusValue);
        }

        var page = await query.PageAsync(limit, cursor, rows => rows, cancellationToken);
        return TypedResults.Ok(new Page<InitiativeResponse>(page.Items.Select(InitiativeResponse.From).ToList(), page.NextCursor));
    }

    private static async Task<Ok<InitiativeResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var initiative = await db.Initiatives.AsNoTracking().Include(i => i.Tasks).GetAsync(id, cancellationToken);
        ETags.Set(response, initiative.Version);
        return TypedResults.Ok(InitiativeResponse.From(initiative));
    }

    private static async Task<Created<InitiativeResponse>> Create(
        string objectiveId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var initiative = await AddAsync(db, actor, objectiveId, await Json.ReadAsync<InitiativeInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, initiative.Version);
        return TypedResults.Created($"/api/v1/initiatives/{initiative.Id}", InitiativeResponse.From(initiative));
    }

    public static async Task<Initiative> AddAsync(VerityDb db, Actor actor, string objectiveId, InitiativeInput input, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(objectiveId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var initiative = new Initiative { AccountId = objective.AccountId, ObjectiveId = objective.Id, Title = "" };
        await input.ApplyToAsync(initiative, db, cancellationToken);
        db.Initiatives.Add(initiative);
        await db.SaveChangesAsync(cancellationToken);
        return initiative;
    }

    private static async Task<Ok<InitiativeResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var initiative = await ReviseAsync(db, actor, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        ETags.Set(request.HttpContext.Response, initiative.Version);
        return TypedResults.Ok(InitiativeResponse.From(initiative));
    }

    /// <summary>Changes an initiative (a PATCH body, or a page's form) like a new one, once its version is confirmed current.</summary>
    public static async Task<Initiative> ReviseAsync(
        VerityDb db, Actor actor, string id, string? ifMatch, Func<InitiativeInput, Task<InitiativeInput>> change, CancellationToken cancellationToken)
    {
        var initiative = await db.Initiatives.Include(i => i.Tasks).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, initiative);
        var input = await change(InitiativeInput.From(initiative));
        Json.Validate(input);
        await input.ApplyToAsync(initiative, db, cancellationToken);
        ETags.MoveWithParts(db, initiative);
        await db.SaveChangesAsync(cancellationToken);
        return initiative;
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var initiative = await db.Initiatives.Include(i => i.Tasks).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, initiative);
        db.Initiatives.Remove(initiative);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
