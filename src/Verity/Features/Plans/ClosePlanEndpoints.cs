using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Plans;

public static class ClosePlanEndpoints
{
    public static void MapClosePlans(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Close plans");
        group.MapGet("/catalog/content-elements", Catalog)
            .WithSummary("List the content elements")
            .WithDescription("The 15 elements of a technical close plan, in order, with their keys and the artifacts (close plan, proposal, mutual plan, kick-off, business review) that include each. Anyone signed in.");
        group.MapGet("/opportunities/{id}/close-plan", Get)
            .WithSummary("Get the technical close plan")
            .WithDescription("The opportunity's technical close plan: each element's content and internal notes, with its `ETag`. Vendor side only.");
        group.MapPut("/opportunities/{id}/close-plan", Put).Accepts<ClosePlanInput>("application/json")
            .WithSummary("Write the technical close plan")
            .WithDescription("Writes the elements sent, by key; elements not sent keep their content. The account's team and managers, directors and admins may; a stale `If-Match` answers 412.");
        group.MapPost("/opportunities/{id}/close-plan/convert", Convert)
            .WithSummary("Turn the close plan into a success plan")
            .WithDescription("Creates the account's success plan from the close plan (201 with `Location`), copying elements 1–7 and 9 without internal notes. 409 when there is no close plan or the opportunity already has a plan.");
    }

    private static Ok<List<ContentElementResponse>> Catalog() =>
        TypedResults.Ok(ContentElements.All
            .Select(e => new ContentElementResponse(e.Key, e.Number, e.Title, e.Artifacts.Select(a => Json.Camel(a.ToString())).ToList(),
                ContentElements.CopiedOnConversion.Contains(e.Key)))
            .ToList());

    /// <summary>The close plan of an opportunity: all 15 elements, written or not.</summary>
    private static async Task<Ok<ClosePlanResponse>> Get(string id, VerityDb db, HttpResponse response, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.AsNoTracking().GetAsync(id, cancellationToken);
        var closePlan = await db.ClosePlans.AsNoTracking().Include(c => c.Elements).FirstOrDefaultAsync(c => c.OpportunityId == id, cancellationToken);
        ETags.Set(response, closePlan?.Version ?? 0);
        return TypedResults.Ok(ClosePlanResponse.From(opportunity.Id, closePlan));
    }

    private static async Task<Ok<ClosePlanResponse>> Put(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var input = await Json.ReadAsync<ClosePlanInput>(request);
        var closePlan = await WriteAsync(db, actor, id, input, request.Headers.IfMatch.ToString(), cancellationToken);
        ETags.Set(request.HttpContext.Response, closePlan.Version);
        return TypedResults.Ok(ClosePlanResponse.From(id, closePlan));
    }

    /// <summary>Writes the close plan's elements (the list given is the list kept), creating the close plan on first write.</summary>
    public static async Task<ClosePlan> WriteAsync(
        VerityDb db, Actor actor, string id, ClosePlanInput input, string? ifMatch, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        Json.Validate(input);
        var closePlan = await db.ClosePlans.Include(c => c.Elements).FirstOrDefaultAsync(c => c.OpportunityId == id, cancellationToken);
        if (closePlan is null)
        {
            if (ifMatch is { Length: > 0 } && ifMatch != "*" && ifMatch != ETags.For(0))
            {
                throw new PreconditionFailedException();
            }

            closePlan = new ClosePlan { AccountId = opportunity.AccountId, OpportunityId = opportunity.Id };
            db.ClosePlans.Add(closePlan);
        }
        else
        {
            ETags.Check(ifMatch, db, closePlan);
        }

        closePlan.SetElements(input.Elements
            .Where(e => e.Value is not null)
            .ToDictionary(e => e.Key, e => (e.Value!.Content, e.Value.InternalNotes)));
        ETags.MoveWithParts(db, closePlan);
        await db.SaveChangesAsync(cancellationToken);
        return closePlan;
    }

    /// <summary>Starts the customer's plan from the close plan: elements 1–7 and 9, never the internal notes.</summary>
    private static async Task<Created<PlanResponse>> Convert(
        string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        var plan = await ConvertAsync(db, actor, id, cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Created($"/api/v1/plans/{plan.Id}", PlanResponse.From(plan, []));
    }

    public static async Task<SuccessPlan> ConvertAsync(VerityDb db, Actor actor, string id, CancellationToken cancellationToken)
    {
        var opportunity = await db.Opportunities.GetAsync(id, cancellationToken);
        actor.EnsureCanWrite();
        if (opportunity.SuccessPlanId is { } existing)
        {
            throw new ConflictException($"This opportunity already has a success plan: /api/v1/plans/{existing}. Update that plan instead of converting again.");
        }

        var closePlan = await db.ClosePlans.Include(c => c.Elements).FirstOrDefaultAsync(c => c.OpportunityId == id, cancellationToken)
            ?? throw new ConflictException("This opportunity has no technical close plan to convert yet: write one with PUT .../close-plan first.");
        var account = await db.Accounts.GetAsync(opportunity.AccountId, cancellationToken);
        var template = PlanTemplates.For(account.Segment);
        var title = $"{account.Name} — {(template == PlanTemplates.Mutual ? "Mutual Success Plan" : "Success Plan")}";
        var plan = closePlan.ConvertToSuccessPlan(title, template, actor.UserId);
        db.Plans.Add(plan);
        opportunity.SuccessPlanId = plan.Id;
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }
}

public sealed record ContentElementResponse(string Key, int Number, string Title, IReadOnlyList<string> Artifacts, bool CopiedOnConversion);

public sealed record ElementInput
{
    [Text]
    public string? Content { get; init; }

    /// <summary>Vendor-only notes: never copied into a customer plan or a customer-facing document.</summary>
    [Text]
    public string? InternalNotes { get; init; }
}

public sealed record ClosePlanInput : IValidatableObject
{
    public Dictionary<string, ElementInput?> Elements { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, element) in Elements)
        {
            if (!ContentElements.IsKnown(key))
            {
                yield return new ValidationResult(
                    $"'{key}' is not a content element; use one of: {string.Join(", ", ContentElements.Keys)}.", [$"elements.{key}"]);
                continue;
            }

            if (element?.Content is { Length: > TextAttribute.Limit })
            {
                yield return new ValidationResult($"Must be at most {TextAttribute.Limit:N0} characters.", [$"elements.{key}.content"]);
            }

            if (element?.InternalNotes is { Length: > TextAttribute.Limit })
            {
                yield return new ValidationResult($"Must be at most {TextAttribute.Limit:N0} characters.", [$"elements.{key}.internalNotes"]);
            }
        }
    }
}

public sealed record ElementResponse(int Number, string Title, string Content, string InternalNotes);

public sealed record ClosePlanResponse(string OpportunityId, Dictionary<string, ElementResponse> Elements, DateTime? UpdatedAt)
{
    public static ClosePlanResponse From(string opportunityId, ClosePlan? closePlan) => new(
        opportunityId,
        ContentElements.All.ToDictionary(e => e.Key, e =>
        {
            var written = closePlan?.Elements.Find(x => x.Key == e.Key);
            return new ElementResponse(e.Number, e.Title, written?.Content ?? "", written?.InternalNotes ?? "");
        }),
        closePlan?.UpdatedAt);
}
