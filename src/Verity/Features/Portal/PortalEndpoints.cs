using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Objectives;
using Verity.Features.Plans;
using Verity.Http;

namespace Verity.Features.Portal;

public sealed record AcceptanceInput
{
    [Text]
    public string? Note { get; init; }
}

public static class PortalEndpoints
{
    public static void MapPortal(this IEndpointRouteBuilder api)
    {
        var portal = api.MapGroup("").WithTags("Customer portal");
        portal.MapPost("/accounts/{id}/portal-invitations", Invite).Accepts<InvitationInput>("application/json");
        portal.MapGet("/accounts/{id}/portal-access", ListAccess);
        portal.MapDelete("/portal-access/{userId}", Revoke);
        portal.MapPost("/plans/{id}/acceptance", Accept).Accepts<AcceptanceInput>("application/json");
    }

    private static async Task<Created<InvitationResponse>> Invite(string id, HttpRequest request, PortalAccess portal, CancellationToken cancellationToken)
    {
        var invitation = await portal.InviteAsync(id, await Json.ReadAsync<InvitationInput>(request), cancellationToken);
        return TypedResults.Created($"/api/v1/accounts/{id}/portal-access", invitation);
    }

    private static async Task<Ok<List<PortalAccessResponse>>> ListAccess(string id, PortalAccess portal, CancellationToken cancellationToken) =>
        TypedResults.Ok(await portal.ListAsync(id, cancellationToken));

    private static async Task<NoContent> Revoke(string userId, PortalAccess portal, CancellationToken cancellationToken)
    {
        await portal.RevokeAsync(userId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<PlanResponse>> Accept(
        string id, HttpRequest request, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var plan = await AcceptAsync(db, actor, clock, id, await Json.ReadAsync<AcceptanceInput>(request), cancellationToken);
        var objectives = await ObjectiveReads.ForPlanAsync(db, plan.Id, ObjectiveEndpoints.Today(clock), cancellationToken);
        ETags.Set(request.HttpContext.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan, objectives));
    }

    /// <summary>
    /// The customer accepts the plan in their own name: the plan records who and when, the deal it backs follows
    /// (its <c>customerAccepted</c> is read from the plan), and the timeline says so for both sides.
    /// </summary>
    public static async Task<SuccessPlan> AcceptAsync(
        VerityDb db, Actor actor, TimeProvider clock, string planId, AcceptanceInput input, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.Include(p => p.Sections).GetAsync(planId, cancellationToken);
        if (!actor.IsCustomer)
        {
            throw new ForbiddenException("Only the customer accepts their plan; the team shares it with them.");
        }

        Json.Validate(input);
        var stakeholder = await db.Users.Where(u => u.Id == actor.UserId)
            .Join(db.Stakeholders, u => u.StakeholderId, s => s.Id, (u, s) => s)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new ConflictException("Your sign-in is not linked to a stakeholder of this account: ask your success team to invite you to the portal.");
        var now = clock.GetUtcNow().UtcDateTime;
        plan.Accept(stakeholder.Id, input.Note, now);

        db.Activities.Add(new Activity
        {
            AccountId = plan.AccountId,
            PlanId = plan.Id,
            Type = ActivityType.StatusChange,
            OccurredAt = now,
            Summary = $"{stakeholder.Name} accepted the plan" + (string.IsNullOrWhiteSpace(input.Note) ? "." : $": \"{input.Note.Trim()}\""),
            Visibility = Visibility.Customer,
            AuthorId = actor.UserId,
        });
        await db.SaveChangesAsync(cancellationToken);
        return plan;
    }
}
