using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Documents;
using Verity.Domain.Accounts;
using Verity.Features.Objectives;
using Verity.Http;

namespace Verity.Features.Evidence;

public static class CertificateEndpoints
{
    public static void MapCertificates(this IEndpointRouteBuilder api) =>
        api.MapGroup("").WithTags("Attachments")
            .MapGet("/confirmations/{id}/certificate", Certificate)
            .Produces<Stream>(StatusCodes.Status200OK, "application/pdf")
            .WithSummary("Download a confirmation certificate")
            .WithDescription("A PDF of the customer's confirmation: the objective, baseline to latest measurement, the customer's words, who confirmed and when, each evidence file's name and SHA-256, and the status history.");

    private static async Task<FileContentHttpResult> Certificate(string id, VerityDb db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var document = await CertificateAsync(db, clock, id, cancellationToken);
        return TypedResults.File(CertificatePdf.Render(document), "application/pdf", $"confirmation-{id}.pdf");
    }

    /// <summary>Everything the certificate states, read as the caller may see it.</summary>
    public static async Task<CertificateDocument> CertificateAsync(VerityDb db, TimeProvider clock, string id, CancellationToken cancellationToken)
    {
        var confirmation = await db.Confirmations.AsNoTracking().GetAsync(id, cancellationToken);
        var objective = await ObjectiveReads.Query(db).GetAsync(confirmation.ObjectiveId, cancellationToken);
        var response = await ObjectiveReads.OneAsync(db, objective, ObjectiveEndpoints.Today(clock), cancellationToken);
        // Either is gone from view when the caller leaves the account's team mid-request: then the certificate is too.
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == objective.AccountId).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The confirmation");
        var plan = await db.Plans.AsNoTracking().Where(p => p.Id == objective.PlanId).Select(p => p.Title).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The confirmation");
        var stakeholder = await db.Stakeholders.AsNoTracking().Where(s => s.Id == confirmation.StakeholderId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken);
        var recordedBy = confirmation.RecordedBy is { } by
            ? await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken)
            : null;

        // The evidence is part of the confirmation whoever reads it: names and hashes, never the files themselves.
        var evidence = await db.Attachments.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.AccountId == confirmation.AccountId && confirmation.AttachmentIds.Contains(a.Id))
            .Select(a => new { a.Id, a.FileName, a.Sha256, a.Size })
            .ToListAsync(cancellationToken);
        var history = await db.Activities.AsNoTracking()
            .Where(a => a.ObjectiveId == objective.Id && a.Type == ActivityType.StatusChange)
            .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id)
            .Select(a => new { a.OccurredAt, a.Summary })
            .ToListAsync(cancellationToken);

        return new CertificateDocument(
            account,
            plan,
            response,
            ConfirmationResponse.From(confirmation),
            stakeholder ?? "a customer stakeholder",
            recordedBy,
            confirmation.AttachmentIds
                .Select(i => evidence.FirstOrDefault(e => e.Id == i))
                .Where(e => e is not null)
                .Select(e => (e!.FileName, e.Sha256, e.Size))
                .ToList(),
            history.Select(h => (h.OccurredAt, h.Summary)).ToList(),
            clock.GetUtcNow().UtcDateTime);
    }
}
