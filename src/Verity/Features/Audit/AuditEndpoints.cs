using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Http;

namespace Verity.Features.Audit;

public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder api) =>
        api.MapGet("/audit", List).WithTags("Audit")
            .WithSummary("Read the audit trail")
            .WithDescription("Who changed what and when, newest first, for one record (`entityId`) or an account (`accountId`). Vendor side only, limited to the accounts the caller may see.");

    /// <summary>The history of one record (or of everything the caller may see), newest first.</summary>
    private static async Task<Ok<AuditPage>> List(
        VerityDb db, string? entityId, string? accountId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = Paging.Take(limit);

        var query = db.AuditEntries.AsNoTracking();
        if (entityId is not null)
        {
            query = query.Where(a => a.EntityId == entityId);
        }

        if (accountId is not null)
        {
            query = query.Where(a => a.AccountId == accountId);
        }

        if (cursor is not null)
        {
            query = query.Where(a => string.Compare(a.Id, cursor) < 0);
        }

        var items = await (
                from entry in query.OrderByDescending(a => a.Id).Take(take + 1)
                join user in db.Users on entry.ActorId equals user.Id into actors
                from actor in actors.DefaultIfEmpty()
                orderby entry.Id descending
                select new AuditResponse(entry.Id, entry.At, entry.ActorId, actor == null ? null : actor.DisplayName,
                    entry.EntityType, entry.EntityId, entry.AccountId, entry.Action, entry.Changes))
            .ToListAsync(cancellationToken);
        var hasMore = items.Count > take;
        if (hasMore)
        {
            items.RemoveAt(take);
        }

        return TypedResults.Ok(new AuditPage(items, hasMore ? items[^1].Id : null));
    }
}

public sealed record AuditResponse(
    string Id, DateTime At, string? ActorId, string? ActorName, string EntityType, string EntityId, string? AccountId,
    string Action, IReadOnlyList<AuditChange> Changes);

public sealed record AuditPage(IReadOnlyList<AuditResponse> Items, string? NextCursor);
