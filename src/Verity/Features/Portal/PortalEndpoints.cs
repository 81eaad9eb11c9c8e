using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Objectives;
using Verity.Features.Plans;
using Verity.Http;
using Verity.Mail;

namespace Verity.Features.Portal;

public sealed record AcceptanceInput
{
    [Text]
    public string? Note { get; init; }
}

public sealed record RevalidationInput
{
    [Required(ErrorMessage = "Say whether the objective is still accurate: true or false.")]
    public bool? StillAccurate { get; init; }

    /// <summary>What has changed, in their words: as long as the monthly report's page allows.</summary>
    [StringLength(4000, ErrorMessage = "Must be at most 4,000 characters.")]
    public string? Note { get; init; }
}

public static class PortalEndpoints
{
    public static void MapPortal(this IEndpointRouteBuilder api)
    {
        var portal = api.MapGroup("").WithTags("Customer portal");
        portal.MapPost("/accounts/{id}/portal-invitations", Invite).Accepts<InvitationInput>("application/json")
            .WithSummary("Invite a customer to the portal")
            .WithDescription("Creates or reuses the customer user for a customer-side stakeholder's email and mails an invitation link valid 7 days (201). The account's team and managers, directors and admins may; 409 when the email belongs to a user who is not a customer of this account.");
        portal.MapGet("/accounts/{id}/portal-access", ListAccess)
            .WithSummary("List the account's portal users")
            .WithDescription("The account's customer users with their status (`invited`, `active`, `revoked`), when they were invited and when they last signed in. Vendor side only.");
        portal.MapDelete("/portal-access/{userId}", Revoke)
            .WithSummary("Revoke a customer's portal access")
            .WithDescription("Ends the customer user's access (204): every session and link they hold stops working at once. The account's team and managers, directors and admins may.");
        portal.MapPost("/plans/{id}/acceptance", Accept).Accepts<AcceptanceInput>("application/json")
            .WithSummary("Accept the plan (customer)")
            .WithDescription("The signed-in customer accepts the shared plan: its status becomes `customerAccepted` with who and when, and the linked opportunity follows. Customers only; 409 while the plan is a draft.");
        portal.MapPost("/objectives/{id}/revalidations", Revalidate).Accepts<RevalidationInput>("application/json")
            .WithSummary("Say whether an objective still holds (customer)")
            .WithDescription("The customer answers `stillAccurate`: true stamps `lastValidatedAt`; false opens a `customerSaysOutOfDate` finding for the owner with the note. Customers only.");
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
        return TypedResults.Ok(PlanResponse.From(plan, objectives).As(actor));
    }

    private static async Task<Ok<ObjectiveResponse>> Revalidate(
        string id, HttpRequest request, VerityDb db, Actor actor, Outbox outbox, TimeProvider clock, CancellationToken cancellationToken)
    {
        var objective = await RevalidateAsync(db, actor, outbox, clock, id, await Json.ReadAsync<RevalidationInput>(request), cancellationToken);
        return TypedResults.Ok(await ObjectiveReads.OneAsync(db, objective, ObjectiveEndpoints.Today(clock), cancellationToken));
    }

    /// <summary>
    /// The customer says whether an objective still says what they want: yes stamps it as re-confirmed by them;
    /// no tells its owner, by mail and on the timeline, with their note.
    /// </summary>
    public static async Task<Objective> RevalidateAsync(
        VerityDb db, Actor actor, Outbox outbox, TimeProvider clock, string objectiveId, RevalidationInput input, CancellationToken cancellationToken)
    {
        var objective = await db.Objectives.Include(o => o.Confirmations).GetAsync(objectiveId, cancellationToken);
        var stakeholder = await CustomerStakeholderAsync(db, actor, "Only the customer re-confirms their objective; the team stamps it with validate.", cancellationToken);
        Json.Validate(input);
        var now = clock.GetUtcNow().UtcDateTime;
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        await AnswerRevalidationAsync(db, outbox, objective, stakeholder, input.StillAccurate == true, note, now, actor.UserId, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return objective;
    }

    /// <summary>
    /// What a customer's answer does, from the portal or a monthly report's link: "still accurate" stamps the
    /// objective as re-confirmed by them; "out of date" opens a finding for its owner and mails them the note.
    /// </summary>
    public static async Task AnswerRevalidationAsync(
        VerityDb db, Outbox outbox, Objective objective, Stakeholder stakeholder, bool stillAccurate, string? note, DateTime now, string? authorId,
        CancellationToken cancellationToken)
    {
        db.Activities.Add(new Activity
        {
            AccountId = objective.AccountId,
            PlanId = objective.PlanId,
            ObjectiveId = objective.Id,
            Type = ActivityType.StatusChange,
            OccurredAt = now,
            Summary = (stillAccurate ? $"{stakeholder.Name} confirmed the objective is still accurate" : $"{stakeholder.Name} says the objective is out of date")
                + (note is null ? "." : $": \"{note}\""),
            Visibility = Visibility.Customer,
            AuthorId = authorId,
        });
        if (stillAccurate)
        {
            objective.MarkValidated(DateOnly.FromDateTime(now), stakeholder.Id);
            await Triage.TriageEndpoints.ResolveCustomerSaysOutOfDateAsync(db, objective.Id, now, cancellationToken);
            return;
        }

        var ownerId = objective.OwnerId ?? await db.Plans.Where(p => p.Id == objective.PlanId).Select(p => p.OwnerId).FirstOrDefaultAsync(cancellationToken);
        if (ownerId is null)
        {
            return;
        }

        await Triage.TriageEndpoints.OpenCustomerSaysOutOfDateAsync(db, objective, ownerId, stakeholder.Name, note, now, cancellationToken);
        if (await db.Users.Where(u => u.Id == ownerId && u.Status == UserStatus.Active).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken) is { } owner)
        {
            await outbox.QueueAsync<RevalidationMail>(db, MailKind.Revalidation, owner, $"{stakeholder.Name} says \"{objective.Title}\" is out of date", new()
            {
                [nameof(RevalidationMail.Customer)] = stakeholder.Name,
                [nameof(RevalidationMail.Objective)] = objective.Title,
                [nameof(RevalidationMail.Note)] = note,
                [nameof(RevalidationMail.Link)] = outbox.Link($"/objectives/{objective.Id}"),
            });
        }
    }

    /// <summary>The signed-in customer's own stakeholder, in whose name they act.</summary>
    private static async Task<Stakeholder> CustomerStakeholderAsync(VerityDb db, Actor actor, string refusal, CancellationToken cancellationToken)
    {
        actor.EnsureCustomer(refusal);
        return await db.Users.Where(u => u.Id == actor.UserId)
            .Join(db.Stakeholders, u => u.StakeholderId, s => s.Id, (u, s) => s)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new ConflictException("Your sign-in is not linked to a stakeholder of this account: ask your success team to invite you to the portal.");
    }

    /// <summary>
    /// The customer accepts the plan in their own name: the plan records who and when, the deal it backs follows
    /// (its <c>customerAccepted</c> is read from the plan), and the timeline says so for both sides.
    /// </summary>
    public static async Task<SuccessPlan> AcceptAsync(
        VerityDb db, Actor actor, TimeProvider clock, string planId, AcceptanceInput input, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.Include(p => p.Sections).GetAsync(planId, cancellationToken);
        var stakeholder = await CustomerStakeholderAsync(db, actor, "Only the customer accepts their plan; the team shares it with them.", cancellationToken);
        Json.Validate(input);
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
