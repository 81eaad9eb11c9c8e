using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Features.Webhooks;
using Verity.Http;

namespace Verity.Features.Triage;

public sealed record DismissInput
{
    [Mandatory, System.ComponentModel.DataAnnotations.StringLength(2000, ErrorMessage = "Must be at most 2,000 characters: say in a few sentences why it needs no action.")]
    public string? Reason { get; init; }
}

public sealed record FindingResponse(
    string Id, string ObjectiveId, string PlanId, string AccountId, string? OwnerId, TriageRule Rule, string Message,
    string? Suggestion, FindingStatus Status, DateTime FirstSeenAt, DateTime LastSeenAt, DateTime? ResolvedAt,
    DateTime? DismissedAt, string? DismissedBy, string? DismissReason) : IHasId
{
    public static readonly Expression<Func<Finding, FindingResponse>> Projection = f => new FindingResponse(
        f.Id, f.ObjectiveId, f.PlanId, f.AccountId, f.OwnerId, f.Rule, f.Message, f.Suggestion, f.Status,
        f.FirstSeenAt, f.LastSeenAt, f.ResolvedAt, f.DismissedAt, f.DismissedBy, f.DismissReason);

    private static readonly Func<Finding, FindingResponse> _compiled = Projection.Compile();

    public static FindingResponse From(Finding f) => _compiled(f);
}

public sealed record TriageRunResponse(
    string Id, string? Period, DateTime StartedAt, DateTime? FinishedAt, int ObjectivesChecked, int Opened, int StillOpen, int Resolved) : IHasId
{
    public static readonly Expression<Func<TriageRun, TriageRunResponse>> Projection = r => new TriageRunResponse(
        r.Id, r.Period, r.StartedAt, r.FinishedAt, r.ObjectivesChecked, r.Opened, r.StillOpen, r.Resolved);

    private static readonly Func<TriageRun, TriageRunResponse> _compiled = Projection.Compile();

    public static TriageRunResponse From(TriageRun r) => _compiled(r);
}

public static class TriageEndpoints
{
    public static void MapTriage(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Triage");
        group.MapPost("/triage/runs", Run)
            .WithSummary("Run the triage now")
            .WithDescription("Checks every open objective against the triage rules now (it also runs every Monday) and answers how many findings it opened, kept and resolved. Managers, directors and admins only; 409 while a run is in progress.");
        group.MapGet("/triage/runs", Runs)
            .WithSummary("List triage runs")
            .WithDescription("Past triage runs, with what each checked and found. Vendor side only.");
        group.MapGet("/findings", List)
            .WithSummary("List findings")
            .WithDescription("What the triage found on the objectives the caller may see, filtered by `ownerId`, `accountId`, `rule` and `status`. Vendor side only.");
        group.MapGet("/objectives/{id}/findings", ForObjective)
            .WithSummary("List the objective's findings")
            .WithDescription("The triage findings on one objective, open and closed. Vendor side only.");
        group.MapPost("/findings/{id}/dismiss", Dismiss).Accepts<DismissInput>("application/json")
            .WithSummary("Dismiss a finding")
            .WithDescription("Dismisses the finding with a `reason` until its condition changes. Only the finding's owner or a manager, director or admin may; 409 when it is no longer open.");
    }

    private static async Task<Ok<TriageRunResponse>> Run(Actor actor, TriageRunner runner, CancellationToken cancellationToken) =>
        TypedResults.Ok(TriageRunResponse.From(await RunNowAsync(actor, runner, cancellationToken)));

    /// <summary>A leader runs the triage now (the API and the Triage page).</summary>
    public static Task<TriageRun> RunNowAsync(Actor actor, TriageRunner runner, CancellationToken cancellationToken)
    {
        actor.EnsureCanRunTriage();
        return runner.RunAsync(period: null, cancellationToken);
    }

    private static async Task<Ok<Page<TriageRunResponse>>> Runs(VerityDb db, Actor actor, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide("Triage is the team's own work.");
        return TypedResults.Ok(await db.TriageRuns.AsNoTracking().PageAsync(limit, cursor, rows => rows.Select(TriageRunResponse.Projection), cancellationToken));
    }

    private static async Task<Ok<Page<FindingResponse>>> List(
        VerityDb db, string? ownerId, string? accountId, [ValuesOf<TriageRule>] string? rule, [ValuesOf<FindingStatus>] string? status,
        int? limit, string? cursor, CancellationToken cancellationToken)
    {
        // Customers are not refused, they just find none: findings are filtered out of their view like close plans.
        var query = db.Findings.AsNoTracking();
        if (ownerId is not null)
        {
            query = query.Where(f => f.OwnerId == ownerId);
        }

        if (accountId is not null)
        {
            query = query.Where(f => f.AccountId == accountId);
        }

        if (Query.Enum<TriageRule>("rule", rule) is { } ruleValue)
        {
            query = query.Where(f => f.Rule == ruleValue);
        }

        if (Query.Enum<FindingStatus>("status", status) is { } statusValue)
        {
            query = query.Where(f => f.Status == statusValue);
        }

        return TypedResults.Ok(await query.PageAsync(limit, cursor, rows => rows.Select(FindingResponse.Projection), cancellationToken));
    }

    private static async Task<Ok<List<FindingResponse>>> ForObjective(string id, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        await db.Objectives.GetAsync(id, cancellationToken);
        actor.EnsureVendorSide("Findings are the team's own to-do list.");
        return TypedResults.Ok(await ForObjectiveAsync(db, id, cancellationToken));
    }

    /// <summary>An objective's findings: open and dismissed first, then the resolved ones of the last 90 days, newest first.</summary>
    public static async Task<List<FindingResponse>> ForObjectiveAsync(VerityDb db, string objectiveId, CancellationToken cancellationToken)
    {
        var findings = await db.Findings.AsNoTracking()
            .Where(f => f.ObjectiveId == objectiveId)
            .OrderByDescending(f => f.LastSeenAt)
            .Take(200)
            .Select(FindingResponse.Projection)
            .ToListAsync(cancellationToken);
        return [.. findings.OrderBy(f => f.Status).ThenBy(f => f.Rule)];
    }

    private static async Task<Ok<FindingResponse>> Dismiss(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.Ok(FindingResponse.From(await DismissAsync(db, actor, clock, id, await Json.ReadAsync<DismissInput>(request), cancellationToken)));

    /// <summary>The owner (or a manager) says a finding needs no action; it stays quiet until its facts change.</summary>
    public static async Task<Finding> DismissAsync(
        VerityDb db, Actor actor, TimeProvider clock, string id, DismissInput input, CancellationToken cancellationToken)
    {
        var finding = await db.Findings.GetAsync(id, cancellationToken);
        actor.EnsureOwnsOrManages(finding.OwnerId, "Only the finding's owner or a manager may dismiss it.");
        Json.Validate(input);
        finding.Dismiss(input.Reason!, actor.UserId, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return finding;
    }

    /// <summary>
    /// The customer says an objective is out of date: one open <c>customerSaysOutOfDate</c> finding for its owner,
    /// with their words; a later "out of date" updates it. It resolves once someone re-validates the objective.
    /// </summary>
    public static async Task OpenCustomerSaysOutOfDateAsync(
        VerityDb db, Objective objective, string ownerId, string customer, string? note, DateTime now, CancellationToken cancellationToken)
    {
        // The note is theirs to write at length; the finding quotes its start (the timeline and the owner's mail keep it whole).
        var quoted = note is { Length: > 1000 } ? note[..1000] + "…" : note;
        var message = $"{customer} says the objective is out of date" + (quoted is null ? "." : $": \"{quoted}\"");
        const string suggestion = "Talk it through with them, update the objective, then stamp it validated.";
        var open = await db.Findings.FirstOrDefaultAsync(
            f => f.ObjectiveId == objective.Id && f.Rule == TriageRule.CustomerSaysOutOfDate && f.Status != FindingStatus.Resolved, cancellationToken);
        var hit = new TriageHit(TriageRule.CustomerSaysOutOfDate, message, suggestion, now.ToString("O"));
        if (open is not null)
        {
            if (open.SeenAgain(hit, ownerId, now))
            {
                WebhookEvents.Raise(db, "finding.opened", FindingResponse.From(open));
            }

            return;
        }

        var finding = new Finding
        {
            AccountId = objective.AccountId,
            PlanId = objective.PlanId,
            ObjectiveId = objective.Id,
            OwnerId = ownerId,
            Rule = TriageRule.CustomerSaysOutOfDate,
            Message = message,
            Suggestion = suggestion,
            Fingerprint = hit.Stamp,
            FirstSeenAt = now,
            LastSeenAt = now,
        };
        db.Findings.Add(finding);
        WebhookEvents.Raise(db, "finding.opened", FindingResponse.From(finding));
    }

    /// <summary>Someone re-validated the objective: the customer's "out of date" has been answered.</summary>
    public static async Task ResolveCustomerSaysOutOfDateAsync(VerityDb db, string objectiveId, DateTime now, CancellationToken cancellationToken)
    {
        foreach (var finding in await db.Findings
                     .Where(f => f.ObjectiveId == objectiveId && f.Rule == TriageRule.CustomerSaysOutOfDate && f.Status != FindingStatus.Resolved)
                     .ToListAsync(cancellationToken))
        {
            finding.Resolve(now);
            WebhookEvents.Raise(db, "finding.resolved", FindingResponse.From(finding));
        }
    }
}
