using Microsoft.AspNetCore.Http.HttpResults;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Mail;

public sealed record MailResponse(
    string Id, string To, string Subject, MailKind Kind, MailStatus Status, int Attempts, DateTime CreatedAt, DateTime? SentAt, string? Error) : IHasId
{
    public static MailResponse From(OutgoingMail m) => new(m.Id, m.To, m.Subject, m.Kind, m.Status, m.Attempts, m.CreatedAt, m.SentAt, m.Error);
}

public static class MailEndpoints
{
    public static void MapMail(this IEndpointRouteBuilder api) =>
        api.MapGet("/mail", List).WithTags("Mail")
            .WithSummary("Read the mail log")
            .WithDescription("Every message Verity sent or tried to send through its outbox, filtered by `status`, `kind` and `to`; without an SMTP host messages stay `notSent`. Admins only.");

    /// <summary>The mail log, for admins: what was sent to whom, and what could not be.</summary>
    private static async Task<Ok<Page<MailResponse>>> List(
        VerityDb db, Actor actor, [ValuesOf<MailStatus>] string? status, [ValuesOf<MailKind>] string? kind, string? to, int? limit, string? cursor,
        CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin reads the mail log.");
        var query = db.OutgoingMails.AsQueryable();
        if (Query.Enum<MailStatus>("status", status) is { } statusValue)
        {
            query = query.Where(m => m.Status == statusValue);
        }

        if (Query.Enum<MailKind>("kind", kind) is { } kindValue)
        {
            query = query.Where(m => m.Kind == kindValue);
        }

        if (!string.IsNullOrWhiteSpace(to))
        {
            query = query.Where(m => m.To == to.Trim());
        }

        return TypedResults.Ok(await query.PageAsync(limit, cursor, rows => rows.Select(m => MailResponse.From(m)), cancellationToken));
    }
}
