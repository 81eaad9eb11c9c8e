using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Evidence;
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
        group.MapPost("/objectives/{id}/transitions", Transition).Accepts<TransitionInput>("application/json");
        group.MapPost("/objectives/{id}/validate", Validate);
        group.MapGet("/objectives/{id}/confirmations", ListConfirmations);
        group.MapPost("/objectives/{id}/confirmations", Confirm).Accepts<ConfirmationInput>("application/json");
        group.MapPost("/confirmations/{id}/void", VoidConfirmation).Accepts<VoidInput>("application/json");
        group.MapPost("/smart/check", CheckSmart).Accepts<SmartCheckInput>("application/json");
    }

    private static async Task<Ok<Page<ObjectiveResponse>>> List(
        string planId, VerityDb db, TimeProvider clock, [ValuesOf<ObjectiveStatus>] string? status, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Plans.GetAsync(planId, cancellationToken);
        var query = ObjectiveReads.Query(db).Where(o => o.PlanId == planId);
        if (Query.Enum<ObjectiveStatus>("status", status) is { } statusValue)
        {
            query = query.Where(o => o.Status == statusValue);
        }

        var page = await query.PageAsync(limit, cursor, rows => rows, cancellationToken);
        return TypedResults.Ok(new Page<ObjectiveResponse>(await ObjectiveReads.CompleteAsync(db, page.Items, Today(clock), cancellationToken), page.NextCursor));
    }

    private static async Task<Ok<ObjectiveResponse>> Get(string id, VerityDb db, TimeProvider clock, HttpResponse response, CancellationToken cancellationToken)
    {
        var objective = await ObjectiveReads.Query(db).GetAsync(id, cancellationToken);
        ETags.Set(response, objective.Version);
        return TypedResults.Ok(await ObjectiveReads.OneAsync(db, objective, Today(clock), cancellationToken));
    }

    private static async Task<Created<ObjectiveResponse>> Create(
        string planId, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var objective = await AddAsync(db, actor, clock, planId, await Json.ReadAsync<ObjectiveInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, objective.Version);
        return TypedResults.Created($"/api/v1/objectives/{objective.Id}", await ObjectiveReads.OneAsync(db, objective, Today(clock), cancellationToken));
    }

    /// <summary>Adds an objective to a plan, ranked last and owned by whoever adds it unless said otherwise.</summary>
    public static async Task<Objective> AddAsync(
        VerityDb db, Actor actor, TimeProvider clock, string planId, ObjectiveInput input, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.GetAsync(planId, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var objective = new Objective { AccountId = plan.AccountId, PlanId = plan.Id, Title = "", OwnerId = actor.UserId };
        objective.Priority = await db.Objectives.Where(o => o.PlanId == plan.Id).CountAsync(cancellationToken) + 1;
        await (input with { OwnerId = input.OwnerId ?? actor.UserId }).ApplyToAsync(objective, db, actor, clock.GetUtcNow().UtcDateTime, cancellationToken);
        db.Objectives.Add(objective);
        await db.SaveChangesAsync(cancellationToken);
        return objective;
    }

    private static async Task<Ok<ObjectiveResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var objective = await ReviseAsync(db, actor, clock, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        ETags.Set(request.HttpContext.Response, objective.Version);
        return TypedResults.Ok(await ObjectiveReads.OneAsync(db, objective, Today(clock), cancellationToken));
    }

    /// <summary>Changes an objective (a PATCH body, or a page's form) like a new one, once its version is confirmed current.</summary>
    public static async Task<Objective> ReviseAsync(
        VerityDb db, Actor actor, TimeProvider clock, string id, string? ifMatch, Func<ObjectiveInput, Task<ObjectiveInput>> change,
        CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.Confirmations).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, objective);
        var input = await change(ObjectiveInput.From(objective));
        Json.Validate(input);
        await input.ApplyToAsync(objective, db, actor, clock.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return objective;
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.Confirmations).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, objective);
        if (objective.Confirmations.Count > 0)
        {
            throw new ConflictException("The customer has confirmed this objective in writing; close it instead of deleting it, so the confirmation is kept.");
        }

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

    private static async Task<Ok<ObjectiveResponse>> Transition(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var input = await Json.ReadAsync<TransitionInput>(request);
        var objective = await MoveAsync(db, actor, clock, id, input, request.Headers.IfMatch.ToString(), cancellationToken);
        ETags.Set(request.HttpContext.Response, objective.Version);
        return TypedResults.Ok(await ObjectiveReads.OneAsync(db, objective, Today(clock), cancellationToken));
    }

    /// <summary>Moves the status or the outcome stage; the rules live on the objective; the move lands on the timeline.</summary>
    public static async Task<Objective> MoveAsync(
        VerityDb db, Actor actor, TimeProvider clock, string id, TransitionInput input, string? ifMatch, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.Confirmations).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, objective);
        Json.Validate(input);
        ObjectiveMove move;
        if (Query.TryEnum<ObjectiveStatus>(input.To!) is { } status)
        {
            move = objective.MoveTo(status, input.Note);
        }
        else if (Query.TryEnum<OutcomeStage>(input.To!) is { } stage)
        {
            var metrics = await db.Metrics.Where(m => m.ObjectiveId == id)
                .Select(m => new SmartMetric(m.Name, m.Direction, m.BaselineValue, m.TargetValue, m.Unit))
                .ToListAsync(cancellationToken);
            move = objective.MoveTo(stage, input.Note, metrics, Today(clock));
        }
        else
        {
            throw new BadInputException("to", "Must be a status (new, workInProgress, closedSuccess, closedNoAction, closedInvalid) "
                + "or an outcome stage (proposed, accepted, delivered, verified).");
        }

        Record(db, objective, actor, clock, move);
        await db.SaveChangesAsync(cancellationToken);
        return objective;
    }

    private static async Task<Ok<ObjectiveResponse>> Validate(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var objective = await MarkValidatedAsync(db, actor, clock, id, request.Headers.IfMatch.ToString(), cancellationToken);
        ETags.Set(request.HttpContext.Response, objective.Version);
        return TypedResults.Ok(await ObjectiveReads.OneAsync(db, objective, Today(clock), cancellationToken));
    }

    /// <summary>The customer re-confirmed that the objective still matters.</summary>
    public static async Task<Objective> MarkValidatedAsync(
        VerityDb db, Actor actor, TimeProvider clock, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.Confirmations).GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(ifMatch, db, objective);
        objective.MarkValidated(Today(clock), byStakeholderId: null);
        await Triage.TriageEndpoints.ResolveCustomerSaysOutOfDateAsync(db, objective.Id, clock.GetUtcNow().UtcDateTime, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return objective;
    }

    private static async Task<Ok<List<ConfirmationResponse>>> ListConfirmations(string id, VerityDb db, CancellationToken cancellationToken)
    {
        var objective = await ObjectiveReads.Query(db).GetAsync(id, cancellationToken);
        return TypedResults.Ok(objective.Confirmations.OrderBy(c => c.ConfirmedAt).Select(ConfirmationResponse.From).ToList());
    }

    private static async Task<Created<ConfirmationResponse>> Confirm(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var confirmation = await ConfirmAsync(db, actor, clock, id, await Json.ReadAsync<ConfirmationInput>(request), cancellationToken);
        return TypedResults.Created($"/api/v1/objectives/{id}/confirmations", ConfirmationResponse.From(confirmation));
    }

    /// <summary>
    /// Records the customer's written confirmation with its evidence; it is never edited or deleted afterwards. A customer
    /// confirms in their own name, now (<c>portal</c>); the team records what a named customer stakeholder said (<c>recorded</c>).
    /// </summary>
    public static async Task<Confirmation> ConfirmAsync(
        VerityDb db, Actor actor, TimeProvider clock, string id, ConfirmationInput input, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.GetAsync(id, cancellationToken);
        Json.Validate(input);
        var now = clock.GetUtcNow().UtcDateTime;
        Stakeholder stakeholder;
        DateTime confirmedAt;
        ConfirmationSource source;
        if (actor.IsCustomer)
        {
            stakeholder = await db.Users.Where(u => u.Id == actor.UserId)
                .Join(db.Stakeholders, u => u.StakeholderId, s => s.Id, (u, s) => s)
                .FirstOrDefaultAsync(cancellationToken)
                ?? throw new ConflictException("Your sign-in is not linked to a stakeholder of this account: ask your success team to invite you to the portal.");
            confirmedAt = now;
            source = ConfirmationSource.Portal;
        }
        else
        {
            actor.EnsureCanWrite();
            var missing = new Dictionary<string, string[]>();
            if (string.IsNullOrEmpty(input.StakeholderId))
            {
                missing["stakeholderId"] = ["Is required: the customer stakeholder who confirmed."];
            }

            if (input.ConfirmedAt is null)
            {
                missing["confirmedAt"] = ["Is required: when the customer confirmed."];
            }

            if (missing.Count > 0)
            {
                throw new BadInputException(missing);
            }

            stakeholder = await db.Stakeholders.FirstOrDefaultAsync(s => s.Id == input.StakeholderId, cancellationToken)
                ?? throw new BadInputException("stakeholderId", "Must be a stakeholder of this objective's account.");
            confirmedAt = input.ConfirmedAt!.Value.ToUniversalTime();
            source = ConfirmationSource.Recorded;
        }

        var wanted = input.AttachmentIds.Distinct().ToList();
        var evidence = await db.Attachments.Where(a => wanted.Contains(a.Id)).ToListAsync(cancellationToken);
        if (evidence.Count != wanted.Count)
        {
            throw new BadInputException("attachmentIds", "Each must be a file uploaded to this objective's account.");
        }

        var confirmation = objective.RecordConfirmation(stakeholder, confirmedAt, input.Statement!, actor.UserId, now, source, evidence);
        foreach (var file in evidence.Where(a => a.ObjectiveId is null))
        {
            file.PlanId = objective.PlanId;
            file.ObjectiveId = objective.Id;
        }

        db.Activities.Add(new Activity
        {
            AccountId = objective.AccountId,
            PlanId = objective.PlanId,
            ObjectiveId = objective.Id,
            Type = ActivityType.StatusChange,
            OccurredAt = confirmation.ConfirmedAt,
            Summary = $"{stakeholder.Name} confirmed the outcome in writing: \"{confirmation.Statement}\""
                + (evidence.Count == 0 ? "" : $" (evidence: {string.Join(", ", evidence.Select(a => a.FileName))})"),
            Visibility = Visibility.Customer,
            AuthorId = actor.UserId,
        });
        await db.SaveChangesAsync(cancellationToken);
        return confirmation;
    }

    /// <summary>An admin voids a confirmation that should not count; the objective steps back if it relied on it.</summary>
    private static async Task<Ok<ObjectiveResponse>> VoidConfirmation(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var confirmation = await db.Confirmations.GetAsync(id, cancellationToken);
        actor.EnsureAdmin("Only an admin may void a customer confirmation.");

        var input = await Json.ReadAsync<VoidInput>(request);
        var objective = await db.Objectives.Include(o => o.Confirmations).GetAsync(confirmation.ObjectiveId, cancellationToken);
        foreach (var move in objective.VoidConfirmation(confirmation, input.Reason!, actor.UserId, clock.GetUtcNow().UtcDateTime))
        {
            Record(db, objective, actor, clock, move);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await ObjectiveReads.OneAsync(db, objective, Today(clock), cancellationToken));
    }

    private static async Task<Ok<SmartResponse>> CheckSmart(HttpRequest request, TimeProvider clock)
    {
        var input = await Json.ReadAsync<SmartCheckInput>(request);
        var metrics = input.Metrics.Select(m => new SmartMetric(m.Name ?? "Metric", m.Direction, m.Baseline, m.Target, m.Unit)).ToList();
        var result = SmartChecker.Check(
            new SmartInput(input.Title, input.Kind, input.SuccessCriteria, input.BusinessImpact, input.TargetDate, metrics), Today(clock));
        return TypedResults.Ok(SmartResponse.From(result));
    }

    /// <summary>Every move lands on the objective's timeline: who, from, to and why.</summary>
    private static void Record(VerityDb db, Objective objective, Actor actor, TimeProvider clock, ObjectiveMove move) =>
        db.Activities.Add(new Activity
        {
            AccountId = objective.AccountId,
            PlanId = objective.PlanId,
            ObjectiveId = objective.Id,
            Type = ActivityType.StatusChange,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
            Summary = $"{move.Field}: {move.From} → {move.To}" + (move.Note is null ? "" : $" — {move.Note}"),
            Visibility = Visibility.Internal,
            AuthorId = actor.UserId,
        });

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

public sealed record TransitionInput
{
    [Mandatory]
    public string? To { get; init; }

    [Text]
    public string? Note { get; init; }
}

public sealed record ConfirmationInput
{
    /// <summary>Required when the team records it; a customer confirms as themselves.</summary>
    public string? StakeholderId { get; init; }

    /// <summary>Required when the team records it; a customer confirms now.</summary>
    [PlausibleDate]
    public DateTime? ConfirmedAt { get; init; }

    /// <summary>The customer's own words.</summary>
    [Mandatory, Text]
    public string? Statement { get; init; }

    /// <summary>Evidence files, uploaded to the same account first.</summary>
    [MaxLength(20)]
    public List<string> AttachmentIds { get; init; } = [];
}

public sealed record VoidInput
{
    [Mandatory, Text]
    public string? Reason { get; init; }
}

public sealed record SmartCheckMetric
{
    [Name]
    public string? Name { get; init; }

    public MetricDirection Direction { get; init; } = MetricDirection.Increase;

    [Measure]
    public double? Baseline { get; init; }

    [Measure]
    public double? Target { get; init; }

    [StringLength(40)]
    public string? Unit { get; init; }
}

public sealed record SmartCheckInput
{
    [Name]
    public string? Title { get; init; }

    [Text]
    public string? SuccessCriteria { get; init; }

    [Text]
    public string? BusinessImpact { get; init; }

    [PlausibleDate]
    public DateOnly? TargetDate { get; init; }

    public ObjectiveKind Kind { get; init; } = ObjectiveKind.Quantitative;

    public List<SmartCheckMetric> Metrics { get; init; } = [];
}
