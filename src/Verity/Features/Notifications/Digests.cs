using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Documents;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Objectives;
using Verity.Features.Work;
using Verity.Mail;

namespace Verity.Features.Notifications;

/// <summary>One row of a customer's monthly report, with the two answers they can give.</summary>
public sealed record ReportRow(
    string Title, string Plan, string Status, string? Progress, DateOnly? TargetDate, DateOnly? LastValidatedAt, string StillAccurateLink, string OutOfDateLink);

/// <summary>
/// The mail that keeps plans alive without anyone remembering to send it: each vendor owner's weekly digest,
/// and each opted-in customer stakeholder's monthly table of their open objectives. Everything goes through the
/// outbox; every query for a person runs as that person, so a digest never names an account they cannot see.
/// </summary>
public sealed class Digests(IServiceProvider services, Outbox outbox, TimeProvider clock, ILogger<Digests> log)
{
    /// <summary>How long a monthly report's "still accurate" / "out of date" links work: until the next report and a bit.</summary>
    public static readonly TimeSpan ReportLinkLifetime = TimeSpan.FromDays(45);

    /// <summary>Sends every owner with something to say their digest; returns how many were queued.</summary>
    public async Task<int> SendWeeklyAsync(CancellationToken cancellationToken)
    {
        List<VerityUser> owners;
        await using (var db = services.CreateSystemContext())
        {
            owners = await db.Users.AsNoTracking()
                .Where(u => u.Status == UserStatus.Active && u.WeeklyDigest && u.Role != UserRole.Customer && u.Email != null)
                .OrderBy(u => u.Id)
                .ToListAsync(cancellationToken);

            // A second send in the same week (by hand, then the schedule; or a retry after a failure) mails nobody twice.
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7)).ToDateTime(TimeOnly.MinValue);
            var mailed = await AlreadyMailedAsync(db, MailKind.WeeklyDigest, monday, cancellationToken);
            owners = [.. owners.Where(o => !mailed.Contains(o.Email!))];
        }

        var sent = 0;
        foreach (var owner in owners)
        {
            await using var db = services.CreateSystemContext();
            db.Actor = new Actor(owner.Id, owner.Role, null);
            var sections = await MyWeek.SectionsAsync(db, owner.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), cancellationToken);
            if (sections.All(s => s.Items.Count == 0))
            {
                continue;
            }

            var count = sections.Sum(s => s.Total);
            await outbox.QueueAsync<WeeklyDigestMail>(db, MailKind.WeeklyDigest, owner.Email!,
                $"Your week in Verity: {count} thing{(count == 1 ? "" : "s")} need{(count == 1 ? "s" : "")} you", new()
                {
                    [nameof(WeeklyDigestMail.Name)] = owner.DisplayName,
                    [nameof(WeeklyDigestMail.Sections)] = sections,
                    [nameof(WeeklyDigestMail.Site)] = outbox.Link(""),
                    [nameof(WeeklyDigestMail.PreferencesLink)] = outbox.Link("/me/notifications"),
                });
            await db.SaveChangesAsync(cancellationToken);
            sent++;
        }

        log.LogInformation("Weekly digest: {Sent} of {Owners} owners had something to read.", sent, owners.Count);
        return sent;
    }

    /// <summary>Sends each opted-in customer stakeholder the table of their account's open objectives; returns how many were queued.</summary>
    public async Task<int> SendMonthlyAsync(CancellationToken cancellationToken)
    {
        List<Stakeholder> recipients;
        await using (var db = services.CreateSystemContext())
        {
            recipients = await db.Stakeholders.AsNoTracking()
                .Where(s => s.ReceivesMonthlyReport && s.Side == StakeholderSide.Customer && s.Email != null)
                .OrderBy(s => s.Id)
                .ToListAsync(cancellationToken);

            // One report a month per address, however often it is sent.
            var now = clock.GetUtcNow().UtcDateTime;
            var mailed = await AlreadyMailedAsync(db, MailKind.MonthlyReport, new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc), cancellationToken);
            recipients = [.. recipients.Where(r => !mailed.Contains(r.Email!))];
        }

        var sent = 0;
        foreach (var stakeholder in recipients)
        {
            await using var db = services.CreateSystemContext();
            if (await QueueMonthlyAsync(db, stakeholder, cancellationToken))
            {
                await db.SaveChangesAsync(cancellationToken);
                sent++;
            }
        }

        log.LogInformation("Monthly report: {Sent} of {Recipients} customer stakeholders had open objectives to review.", sent, recipients.Count);
        return sent;
    }

    private async Task<bool> QueueMonthlyAsync(VerityDb db, Stakeholder stakeholder, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);

        // Only what the customer has been shown: objectives of plans shared with them or accepted.
        var plans = await db.Plans.AsNoTracking()
            .Where(p => p.AccountId == stakeholder.AccountId)
            .Where(SuccessPlan.IsShownToCustomer)
            .OrderBy(p => p.Id)
            .ToListAsync(cancellationToken);
        if (plans.Count == 0)
        {
            return false;
        }

        var planIds = plans.Select(p => p.Id).ToList();
        var objectives = await ObjectiveReads.Query(db)
            .Where(o => planIds.Contains(o.PlanId) && (o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress))
            .OrderBy(o => o.PlanId).ThenBy(o => o.Priority).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken);
        if (objectives.Count == 0)
        {
            return false;
        }

        var complete = await ObjectiveReads.CompleteAsync(db, objectives, today, cancellationToken);
        var rows = new List<ReportRow>();
        foreach (var o in complete)
        {
            var (link, token) = ReportLink.Create(ReportLinkPurpose.Revalidate, stakeholder.Id, stakeholder.AccountId, o.Id, now, ReportLinkLifetime);
            db.ReportLinks.Add(link);
            var measured = o.Metrics.Where(m => m.Latest is not null && m.Target is not null).ToList();
            rows.Add(new ReportRow(
                o.Title,
                plans.First(p => p.Id == o.PlanId).Title,
                Status(o.Status, o.OutcomeStage),
                measured.Count == 0 ? null : $"{Math.Round(measured.Average(m => m.Progress) * 100):0} %",
                o.TargetDate,
                o.LastValidatedAt,
                outbox.Link($"/portal/report/{token}?answer=accurate"),
                outbox.Link($"/portal/report/{token}?answer=outOfDate")));
        }

        var (unsubscribe, unsubscribeToken) = ReportLink.Create(ReportLinkPurpose.Unsubscribe, stakeholder.Id, stakeholder.AccountId, null, now, TimeSpan.FromDays(366));
        db.ReportLinks.Add(unsubscribe);
        var unsubscribeLink = outbox.Link($"/portal/unsubscribe/{unsubscribeToken}");

        var ownerIds = plans.Select(p => p.OwnerId).Where(id => id is not null).ToList();
        var replyTo = await db.Users.Where(u => ownerIds.Contains(u.Id) && u.Status == UserStatus.Active && u.Email != null)
            .Select(u => new { u.Id, u.Email, u.DisplayName })
            .ToListAsync(cancellationToken);
        var owner = ownerIds.Select(id => replyTo.FirstOrDefault(u => u.Id == id)).FirstOrDefault(u => u is not null);
        var account = await db.Accounts.Where(a => a.Id == stakeholder.AccountId).Select(a => a.Name).FirstAsync(cancellationToken);

        // The header's address takes the mail client's one-click POST; the mail's own link opens a page with a button.
        var headers = $"List-Unsubscribe: <{unsubscribeLink}/one-click>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click"
            + (owner is null ? "" : $"\nReply-To: {owner.Email}");
        await outbox.QueueAsync<MonthlyReportMail>(db, MailKind.MonthlyReport, stakeholder.Email!,
            $"{account}: your objectives this month — still accurate?", new()
            {
                [nameof(MonthlyReportMail.Name)] = stakeholder.Name,
                [nameof(MonthlyReportMail.Account)] = account,
                [nameof(MonthlyReportMail.Rows)] = rows,
                [nameof(MonthlyReportMail.Owner)] = owner?.DisplayName,
                [nameof(MonthlyReportMail.UnsubscribeLink)] = unsubscribeLink,
            }, headers);
        return true;
    }

    private static async Task<HashSet<string>> AlreadyMailedAsync(VerityDb db, MailKind kind, DateTime since, CancellationToken cancellationToken) =>
        (await db.OutgoingMails.AsNoTracking().Where(m => m.Kind == kind && m.CreatedAt >= since).Select(m => m.To).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where an objective stands, in the words a customer uses.</summary>
    public static string Status(ObjectiveStatus status, OutcomeStage stage) => status == ObjectiveStatus.WorkInProgress
        ? $"Work in progress · outcome {Words.Say(stage)}"
        : $"{Words.Say(status)} · outcome {Words.Say(stage)}";
}
