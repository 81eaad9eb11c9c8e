using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Features.Portfolio;
using Verity.Http;

namespace Verity.Features.Opportunities;

public static class OpportunityEndpoints
{
    public static void MapOpportunities(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Opportunities");
        group.MapGet("/opportunities", List)
            .WithSummary("List opportunities")
            .WithDescription("The opportunities of the accounts the caller may see, each with whether it needs a customer success plan (`cspRequired`, `cspReasons`) and its `cspStatus`. Vendor side only.");
        group.MapPost("/opportunities", Create).Accepts<OpportunityInput>("application/json")
            .WithSummary("Add an opportunity")
            .WithDescription("Adds a new, growth or renewal opportunity to an account; Verity works out whether it needs a success plan. The account's team and managers, directors and admins may.");
        group.MapGet("/opportunities/{id}", Get)
            .WithSummary("Get an opportunity")
            .WithDescription("One opportunity with its plan requirement and compliance status, and its `ETag`. Vendor side only; 404 when the caller may not see its account.");
        group.MapPatch("/opportunities/{id}", Update).Accepts<OpportunityInput>("application/json")
            .WithSummary("Change an opportunity")
            .WithDescription("Changes the fields sent (stage, net ARR, linked plan, …); the plan requirement is worked out again. A stale `If-Match` answers 412.");
        group.MapPost("/opportunities/{id}/csp-exception", GrantException).Accepts<ExceptionInput>("application/json")
            .WithSummary("Grant a plan exception")
            .WithDescription("Records why this opportunity goes ahead without a success plan (`justification`), making it compliant. Directors and admins only; others get 403.");
        group.MapDelete("/opportunities/{id}/csp-exception", WithdrawException)
            .WithSummary("Withdraw a plan exception")
            .WithDescription("Withdraws the exception, so the opportunity needs its plan again. Directors and admins only; 409 when there is no exception to withdraw.");
        group.MapGet("/compliance/csp", Compliance).WithTags("Compliance")
            .WithSummary("List opportunities out of plan compliance")
            .WithDescription("Opportunities that require a customer success plan and are not compliant, with the reasons, filtered by `ownerId`, `stage` and `status`. Vendor side only.");
    }

    private static async Task<Ok<Page<OpportunityResponse>>> List(
        VerityDb db, IOptions<CspThresholds> thresholds, string? accountId, [ValuesOf<OpportunityStage>] string? stage, [ValuesOf<OpportunityType>] string? type, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        var query = db.Opportunities.AsNoTracking();
        if (accountId is not null)
        {
            query = query.Where(o => o.AccountId == accountId);
        }

        if (Query.Enum<OpportunityStage>("stage", stage) is { } stageValue)
        {
            query = query.Where(o => o.Stage == stageValue);
        }

        if (Query.Enum<OpportunityType>("type", type) is { } typeValue)
        {
            query = query.Where(o => o.Type == typeValue);
        }

        var page = await query.PageAsync(limit, cursor, rows => OpportunityReads.Rows(db, rows), cancellationToken);
        return TypedResults.Ok(new Page<OpportunityResponse>(page.Items.Select(r => r.ToResponse(thresholds.Value)).ToList(), page.NextCursor));
    }

    private static async Task<Ok<OpportunityResponse>> Get(
        string id, VerityDb db, IOptions<CspThresholds> thresholds, HttpResponse response, CancellationToken cancellationToken)
    {
        var row = await OpportunityReads.OneAsync(db, id, cancellationToken);
        ETags.Set(response, row.Opportunity.Version);
        return TypedResults.Ok(row.ToResponse(thresholds.Value));
    }

    private static async Task<Created<OpportunityResponse>> Create(
        HttpRequest request, VerityDb db, Actor actor, IOptions<CspThresholds> thresholds, CancellationToken cancellationToken)
    {
        var opportunity = await AddAsync(db, actor, await Json.ReadAsync<OpportunityInput>(request), cancellationToken);
        ETags.Set(request.HttpContext.Response, opportunity.Version);
        var row = await OpportunityReads.OneAsync(db, opportunity.Id, cancellationToken);
        return TypedResults.Created($"/api/v1/opportunities/{opportunity.Id}", row.ToResponse(thresholds.Value));
    }

    public static async Task<Opportunity> AddAsync(VerityDb db, Actor actor, OpportunityInput input, CancellationToken cancellationToken)
    {
        actor.EnsureCanWrite();
        Json.Validate(input);
        await db.Accounts.EnsureExistsAsync("accountId", input.AccountId, cancellationToken);
        var opportunity = new Opportunity { AccountId = input.AccountId!, Name = "" };
        await input.ApplyToAsync(opportunity, db, actor, cancellationToken);
        db.Opportunities.Add(opportunity);
        await db.SaveChangesAsync(cancellationToken);
        return opportunity;
    }

    private static async Task<Ok<OpportunityResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, IOptions<CspThresholds> thresholds, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, opportunity);
        var input = await Json.PatchAsync(request, OpportunityInput.From(opportunity));
        if (input.AccountId != opportunity.AccountId)
        {
            throw new BadInputException("accountId", "An opportunity cannot move to another account.");
        }

        await input.ApplyToAsync(opportunity, db, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, opportunity.Version);
        return TypedResults.Ok((await OpportunityReads.OneAsync(db, id, cancellationToken)).ToResponse(thresholds.Value));
    }

    /// <summary>A director or admin excuses an opportunity from needing a plan, with the reason.</summary>
    private static async Task<Ok<OpportunityResponse>> GrantException(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, IOptions<CspThresholds> thresholds,
        CancellationToken cancellationToken)
    {
        await ExceptAsync(db, actor, clock, id, await Json.ReadAsync<ExceptionInput>(request), cancellationToken);
        return TypedResults.Ok((await OpportunityReads.OneAsync(db, id, cancellationToken)).ToResponse(thresholds.Value));
    }

    public static async Task ExceptAsync(VerityDb db, Actor actor, TimeProvider clock, string id, ExceptionInput input, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.GetAsync(id, cancellationToken);
        actor.EnsureCanGrantCspExceptions();
        Json.Validate(input);
        opportunity.GrantCspException(input.Justification!, actor.UserId, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<Ok<OpportunityResponse>> WithdrawException(
        string id, VerityDb db, Actor actor, IOptions<CspThresholds> thresholds, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.GetAsync(id, cancellationToken);
        actor.EnsureCanGrantCspExceptions();
        opportunity.WithdrawCspException();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok((await OpportunityReads.OneAsync(db, id, cancellationToken)).ToResponse(thresholds.Value));
    }

    /// <summary>
    /// The open opportunities that need a plan and are not compliant, with the reasons: a page at a time in id order
    /// like every list, with the totals of missing and in-progress deals over every page.
    /// </summary>
    private static async Task<Ok<ComplianceReport>> Compliance(
        VerityDb db, BookFigures figures, IOptions<CspThresholds> thresholds, string? ownerId, [ValuesOf<OpportunityStage>] string? stage, [ValuesOf<CspStatus>] string? status,
        int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var stageValue = Query.Enum<OpportunityStage>("stage", stage);
        var wanted = Query.Enum<CspStatus>("status", status);
        if (wanted is CspStatus.Compliant or CspStatus.Exception or CspStatus.NotRequired)
        {
            throw new BadInputException("status", "Must be missing or inProgress: the report lists what is not compliant.");
        }

        var filter = new ComplianceFilter(stageValue, ownerId, wanted);
        return TypedResults.Ok(await CspCompliance.ReportAsync(db, figures, filter, thresholds.Value, limit, cursor, cancellationToken));
    }
}
