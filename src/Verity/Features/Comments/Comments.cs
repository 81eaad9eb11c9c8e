using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Plans;
using Verity.Http;
using Verity.Mail;

namespace Verity.Features.Comments;

public sealed record CommentInput
{
    [Mandatory, StringLength(Comment.MaxLength)]
    public string? Body { get; init; }
}

public sealed record CommentResponse(
    string Id, string PlanId, string? ObjectiveId, string Body, string? AuthorId, string AuthorName, StakeholderSide Side, DateTime CreatedAt) : IHasId;

/// <summary>
/// Comments on plans and objectives, from both sides. A customer's comment mails the owners and the account's
/// CSM and account executive; a vendor's comment mails the customers who take part in the portal.
/// </summary>
public static class Comments
{
    public static void MapComments(this IEndpointRouteBuilder api)
    {
        var comments = api.MapGroup("").WithTags("Comments");
        comments.MapGet("/plans/{id}/comments", (string id, VerityDb db, int? limit, string? cursor, CancellationToken ct) => ListAsync(db, id, null, limit, cursor, ct))
            .WithSummary("List the plan's comments")
            .WithDescription("The conversation on the plan, seen by both sides: each comment's Markdown body, author and side.");
        comments.MapPost("/plans/{id}/comments", (string id, HttpRequest request, VerityDb db, Actor actor, Outbox outbox, TimeProvider clock, CancellationToken ct) =>
            CreateAsync(request, db, actor, outbox, clock, id, null, ct)).Accepts<CommentInput>("application/json")
            .WithSummary("Comment on the plan")
            .WithDescription("Adds a Markdown comment (at most 10,000 characters; raw HTML is never rendered) that both sides see; mentioned people are mailed. The account's team, leaders and its customers may.");
        comments.MapGet("/objectives/{id}/comments", async (string id, VerityDb db, int? limit, string? cursor, CancellationToken ct) =>
            await ListAsync(db, (await db.Objectives.GetAsync(id, ct)).PlanId, id, limit, cursor, ct))
            .WithSummary("List the objective's comments")
            .WithDescription("The conversation on one objective, seen by both sides.");
        comments.MapPost("/objectives/{id}/comments", async (string id, HttpRequest request, VerityDb db, Actor actor, Outbox outbox, TimeProvider clock, CancellationToken ct) =>
            await CreateAsync(request, db, actor, outbox, clock, (await db.Objectives.GetAsync(id, ct)).PlanId, id, ct)).Accepts<CommentInput>("application/json")
            .WithSummary("Comment on the objective")
            .WithDescription("Adds a Markdown comment on the objective that both sides see; mentioned people are mailed. The account's team, leaders and its customers may.");
    }

    private static async Task<Ok<Page<CommentResponse>>> ListAsync(
        VerityDb db, string planId, string? objectiveId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        await db.Plans.GetAsync(planId, cancellationToken);
        return TypedResults.Ok(await Thread(db, planId, objectiveId).PageAsync(limit, cursor, rows => Respond(db, rows), cancellationToken));
    }

    private static async Task<Created<CommentResponse>> CreateAsync(
        HttpRequest request, VerityDb db, Actor actor, Outbox outbox, TimeProvider clock, string planId, string? objectiveId, CancellationToken cancellationToken)
    {
        var comment = await PostAsync(db, actor, outbox, clock, planId, objectiveId, await Json.ReadAsync<CommentInput>(request), cancellationToken);
        // Null when the caller left the account's team a moment ago; then the comment is one they no longer see.
        var response = await Respond(db, db.Comments.Where(c => c.Id == comment.Id)).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The plan");
        return TypedResults.Created($"/api/v1/{(objectiveId is null ? $"plans/{planId}" : $"objectives/{objectiveId}")}/comments", response);
    }

    /// <summary>A page's thread: the first 500 comments, oldest first.</summary>
    public static Task<List<CommentResponse>> ReadAsync(VerityDb db, string planId, string? objectiveId, CancellationToken cancellationToken) =>
        Respond(db, Thread(db, planId, objectiveId)).Take(500).ToListAsync(cancellationToken);

    /// <summary>The comments on a plan as a whole, or on one of its objectives, oldest first.</summary>
    public static IQueryable<Comment> Thread(VerityDb db, string planId, string? objectiveId) =>
        db.Comments.AsNoTracking().Where(c => c.PlanId == planId && c.ObjectiveId == objectiveId);

    public static IQueryable<CommentResponse> Respond(VerityDb db, IQueryable<Comment> comments) =>
        from c in comments
        join u in db.Users on c.AuthorId equals u.Id into authors
        from author in authors.DefaultIfEmpty()
        orderby c.Id
        select new CommentResponse(c.Id, c.PlanId, c.ObjectiveId, c.Body, c.AuthorId, author == null ? "Someone" : author.DisplayName, c.Side, c.CreatedAt);

    /// <summary>Posts a comment — customers too, in their own plan — and mails the other side.</summary>
    public static async Task<Comment> PostAsync(
        VerityDb db, Actor actor, Outbox outbox, TimeProvider clock, string planId, string? objectiveId, CommentInput input,
        CancellationToken cancellationToken)
    {
        var plan = await db.Plans.AsNoTracking().GetAsync(planId, cancellationToken);
        Json.Validate(input);
        var objective = objectiveId is null ? null : await db.Objectives.AsNoTracking().GetAsync(objectiveId, cancellationToken);
        var comment = new Comment
        {
            AccountId = plan.AccountId,
            PlanId = plan.Id,
            ObjectiveId = objectiveId,
            AuthorId = actor.UserId,
            Side = actor.IsCustomer ? StakeholderSide.Customer : StakeholderSide.Vendor,
            Body = input.Body!.Trim(),
        };
        db.Comments.Add(comment);

        var author = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "Someone";
        var subject = objective?.Title ?? plan.Title;
        foreach (var (email, customer) in await RecipientsAsync(db, actor, plan, objective?.OwnerId, cancellationToken))
        {
            await outbox.QueueAsync<CommentMail>(db, MailKind.Comment, email, $"{author} commented on {subject}", new()
            {
                [nameof(CommentMail.Author)] = author,
                [nameof(CommentMail.Subject)] = subject,
                [nameof(CommentMail.Body)] = comment.Body,
                [nameof(CommentMail.Link)] = outbox.Link(customer ? $"/portal/plans/{plan.Id}#comments"
                    : objectiveId is null ? $"/plans/{plan.Id}#comments" : $"/objectives/{objectiveId}#comments"),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        return comment;
    }

    /// <summary>The other side: for a customer's comment the owners and the account's CSMs and AEs; for a vendor's, the portal's customers.</summary>
    private static async Task<List<(string Email, bool Customer)>> RecipientsAsync(
        VerityDb db, Actor actor, SuccessPlan plan, string? objectiveOwnerId, CancellationToken cancellationToken)
    {
        var active = db.Users.Where(u => u.Status == UserStatus.Active && u.Id != actor.UserId && u.Email != null && u.Mentions);
        if (actor.IsCustomer)
        {
            var team = db.TeamMembers.Where(t => t.AccountId == plan.AccountId
                && (t.Role == TeamRole.CustomerSuccessManager || t.Role == TeamRole.AccountExecutive)).Select(t => t.UserId);
            return (await active.Where(u => u.Role != UserRole.Customer && (u.Id == plan.OwnerId || u.Id == objectiveOwnerId || team.Contains(u.Id)))
                .Select(u => u.Email!).ToListAsync(cancellationToken)).Select(e => (e, false)).ToList();
        }

        return (await active.Where(u => u.Role == UserRole.Customer && u.AccountId == plan.AccountId)
            .Select(u => u.Email!).ToListAsync(cancellationToken)).Select(e => (e, true)).ToList();
    }
}
