using System.Linq.Expressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Http;

namespace Verity.Features.Opportunities;

public static class OpportunityEndpoints
{
    public static void MapOpportunities(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/opportunities").WithTags("Opportunities");
        group.MapGet("/", List);
        group.MapPost("/", Create).Accepts<OpportunityInput>("application/json");
        group.MapGet("/{id}", Get);
        group.MapPatch("/{id}", Update).Accepts<OpportunityInput>("application/json");
    }

    private static async Task<Ok<Page<OpportunityResponse>>> List(
        VerityDb db, string? accountId, string? stage, string? type, int? limit, string? cursor,
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

        return TypedResults.Ok(await query.PageAsync(limit, cursor, rows => rows.Select(OpportunityResponse.Projection), cancellationToken));
    }

    private static async Task<Ok<OpportunityResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.AsNoTracking().GetAsync(id, cancellationToken);
        ETags.Set(response, opportunity.Version);
        return TypedResults.Ok(OpportunityResponse.From(opportunity));
    }

    private static async Task<Created<OpportunityResponse>> Create(
        HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureCanWrite();
        var input = await Json.ReadAsync<OpportunityInput>(request);
        await db.Accounts.EnsureExistsAsync("accountId", input.AccountId, cancellationToken);
        var opportunity = new Opportunity { AccountId = input.AccountId!, Name = "" };
        await input.ApplyToAsync(opportunity, db, cancellationToken);
        db.Opportunities.Add(opportunity);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, opportunity.Version);
        return TypedResults.Created($"/api/v1/opportunities/{opportunity.Id}", OpportunityResponse.From(opportunity));
    }

    private static async Task<Ok<OpportunityResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        ETags.Check(request, db, opportunity);
        var input = await Json.PatchAsync(request, OpportunityInput.From(opportunity));
        if (input.AccountId != opportunity.AccountId)
        {
            throw new BadInputException("accountId", "An opportunity cannot move to another account.");
        }

        await input.ApplyToAsync(opportunity, db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(request.HttpContext.Response, opportunity.Version);
        return TypedResults.Ok(OpportunityResponse.From(opportunity));
    }
}

public sealed record OpportunityInput
{
    [Mandatory]
    public string? AccountId { get; init; }

    [Mandatory, Name]
    public string? Name { get; init; }

    [Mandatory]
    public OpportunityType? Type { get; init; }

    public OpportunityStage Stage { get; init; } = OpportunityStage.Discovery;

    [NonNegative]
    public decimal NetArr { get; init; }

    public bool SaValidatedTechEval { get; init; }

    public string? SuccessPlanId { get; init; }

    public bool CustomerAccepted { get; init; }

    public static OpportunityInput From(Opportunity o) => new()
    {
        AccountId = o.AccountId,
        Name = o.Name,
        Type = o.Type,
        Stage = o.Stage,
        NetArr = o.NetArr,
        SaValidatedTechEval = o.SaValidatedTechEval,
        SuccessPlanId = o.SuccessPlanId,
        CustomerAccepted = o.CustomerAccepted,
    };

    public async Task ApplyToAsync(Opportunity o, VerityDb db, CancellationToken cancellationToken)
    {
        if (SuccessPlanId is not null
            && !await db.Plans.AnyAsync(p => p.Id == SuccessPlanId && p.AccountId == o.AccountId, cancellationToken))
        {
            throw new BadInputException("successPlanId", $"No success plan '{SuccessPlanId}' on this opportunity's account.");
        }

        o.Name = Name!.Trim();
        o.Type = Type!.Value;
        o.Stage = Stage;
        o.NetArr = NetArr;
        o.SaValidatedTechEval = SaValidatedTechEval;
        o.SuccessPlanId = SuccessPlanId;
        o.CustomerAccepted = CustomerAccepted;
    }
}

public sealed record OpportunityResponse(
    string Id, string AccountId, string Name, OpportunityType Type, OpportunityStage Stage, decimal NetArr,
    bool SaValidatedTechEval, string? SuccessPlanId, bool CustomerAccepted, DateTime CreatedAt, DateTime UpdatedAt) : IHasId
{
    public static readonly Expression<Func<Opportunity, OpportunityResponse>> Projection = o => new OpportunityResponse(
        o.Id, o.AccountId, o.Name, o.Type, o.Stage, o.NetArr, o.SaValidatedTechEval, o.SuccessPlanId, o.CustomerAccepted,
        o.CreatedAt, o.UpdatedAt);

    private static readonly Func<Opportunity, OpportunityResponse> _compiled = Projection.Compile();

    public static OpportunityResponse From(Opportunity o) => _compiled(o);
}
