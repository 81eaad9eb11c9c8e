using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Features.Portal;
using Verity.Mail;

namespace Verity.Features.Notifications;

/// <summary>What a monthly report's link leads to, as its page shows it.</summary>
public sealed record ReportLinkView(bool Usable, string? Reason, string? Objective, string? Account, string? Stakeholder, bool? ReceivesReport, bool Used = false);

/// <summary>
/// The monthly report's links: answering "still accurate" / "out of date" on one objective, and stopping the
/// report. Whoever holds the mail acts for its stakeholder, for that one thing only. Opening a link changes
/// nothing (mail scanners follow links); only the page's POST, or the RFC 8058 one-click POST, acts.
/// </summary>
public sealed class ReportLinks(IServiceProvider services, Outbox outbox, TimeProvider clock)
{
    public async Task<ReportLinkView> ViewAsync(string token, ReportLinkPurpose purpose, CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        var (link, refusal) = await FindAsync(db, token, purpose, cancellationToken);
        if (link is null)
        {
            var used = await db.ReportLinks.AnyAsync(l => l.Hash == ReportLink.HashOf(token) && l.Purpose == purpose && l.UsedAt != null, cancellationToken);
            return new ReportLinkView(false, refusal, null, null, null, null, used);
        }

        var stakeholder = await db.Stakeholders.AsNoTracking().FirstAsync(s => s.Id == link.StakeholderId, cancellationToken);
        var account = await db.Accounts.Where(a => a.Id == link.AccountId).Select(a => a.Name).FirstAsync(cancellationToken);
        var objective = link.ObjectiveId is null ? null : await OpenSharedObjectiveAsync(db, link.ObjectiveId, cancellationToken);
        if (purpose == ReportLinkPurpose.Revalidate && objective is null)
        {
            return new ReportLinkView(false, "This objective is closed or no longer shared with you: your success team has the latest plan.", null, account, stakeholder.Name, null);
        }

        return new ReportLinkView(true, null, objective, account, stakeholder.Name, stakeholder.ReceivesMonthlyReport);
    }

    /// <summary>Records the customer's answer on the objective (and the timeline); false when the link no longer works.</summary>
    public async Task<bool> AnswerAsync(string token, bool stillAccurate, string? note, CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        var (link, _) = await FindAsync(db, token, ReportLinkPurpose.Revalidate, cancellationToken);
        if (link?.ObjectiveId is null || await OpenSharedObjectiveAsync(db, link.ObjectiveId, cancellationToken) is null)
        {
            return false;
        }

        var objective = await db.Objectives.Include(o => o.Confirmations).FirstAsync(o => o.Id == link.ObjectiveId, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var stakeholder = await db.Stakeholders.FirstAsync(s => s.Id == link.StakeholderId, cancellationToken);
        link.UsedAt = now;
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim()[..Math.Min(note.Trim().Length, 4000)];
        await PortalEndpoints.AnswerRevalidationAsync(db, outbox, objective, stakeholder, stillAccurate, note, now, authorId: null, cancellationToken);
        return await SaveOnceAsync(db, cancellationToken);
    }

    /// <summary>Stops the monthly report for the link's stakeholder; false when the link no longer works.</summary>
    public async Task<bool> UnsubscribeAsync(string token, CancellationToken cancellationToken)
    {
        await using var db = services.CreateSystemContext();
        var (link, _) = await FindAsync(db, token, ReportLinkPurpose.Unsubscribe, cancellationToken);
        if (link is null)
        {
            return false;
        }

        var stakeholder = await db.Stakeholders.FirstAsync(s => s.Id == link.StakeholderId, cancellationToken);
        stakeholder.ReceivesMonthlyReport = false;
        link.UsedAt = clock.GetUtcNow().UtcDateTime;
        return await SaveOnceAsync(db, cancellationToken);
    }

    /// <summary>The objective's title while it is open on a plan the customer is shown; null once it is closed or the plan is withdrawn.</summary>
    private static Task<string?> OpenSharedObjectiveAsync(VerityDb db, string objectiveId, CancellationToken cancellationToken) =>
        db.Objectives
            .Where(o => o.Id == objectiveId && (o.Status == Domain.Objectives.ObjectiveStatus.New || o.Status == Domain.Objectives.ObjectiveStatus.WorkInProgress))
            .Join(db.Plans.Where(Domain.Plans.SuccessPlan.IsShownToCustomer), o => o.PlanId, p => p.Id, (o, p) => o.Title)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Two clicks racing on one link: the second save finds the link already used and changes nothing.</summary>
    private static async Task<bool> SaveOnceAsync(VerityDb db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private async Task<(ReportLink? Link, string? Refusal)> FindAsync(VerityDb db, string token, ReportLinkPurpose purpose, CancellationToken cancellationToken)
    {
        var hash = ReportLink.HashOf(token);
        var link = await db.ReportLinks.FirstOrDefaultAsync(l => l.Hash == hash && l.Purpose == purpose, cancellationToken);
        if (link is null)
        {
            return (null, "This link is not one we sent.");
        }

        if (link.UsedAt is { } used)
        {
            return (null, purpose == ReportLinkPurpose.Unsubscribe
                ? $"You already stopped the monthly report on {used:yyyy-MM-dd}."
                : $"This link was already used on {used:yyyy-MM-dd}: your answer is with your success team.");
        }

        if (link.ExpiresAt <= clock.GetUtcNow().UtcDateTime)
        {
            return (null, $"This link expired on {link.ExpiresAt:yyyy-MM-dd}. The next monthly report brings fresh ones, or sign in to the portal.");
        }

        return (link, null);
    }
}

public static class ReportLinkEndpoints
{
    /// <summary>RFC 8058 one-click unsubscribe: a mail client POSTs <c>List-Unsubscribe=One-Click</c>, with no cookie and no page.</summary>
    public static void MapReportLinks(this IEndpointRouteBuilder app) =>
        app.MapPost("/portal/unsubscribe/{token}/one-click", async (string token, ReportLinks links, CancellationToken cancellationToken) =>
                await links.UnsubscribeAsync(token, cancellationToken)
                    ? Results.Text("You will no longer receive the monthly report.")
                    : Results.Text("This link no longer works.", statusCode: StatusCodes.Status410Gone))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
}
