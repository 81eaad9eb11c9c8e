using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Work;

/// <summary>One thing that needs the caller: where, what, the page that deals with it, and when it is (or was) due.</summary>
public sealed record WorkItem(string Account, string Text, string Url, DateOnly? Due);

/// <summary>
/// A group of the caller's week, most urgent first, with what to do when it is empty: its <see cref="MyWeek.Shown"/> most
/// urgent items, how many there are in all, and where to see them all when a page lists them (the triage for findings).
/// </summary>
public sealed record WorkSection(string Key, string Title, string WhenEmpty, IReadOnlyList<WorkItem> Items, int Total, string? AllUrl = null);

public sealed record WorkResponse(DateOnly Today, IReadOnlyList<WorkSection> Sections);

/// <summary>
/// A vendor user's week: their meetings in the next 7 days, their open triage findings, overdue initiatives, target
/// dates in the next 30 days, outcomes waiting for the customer's confirmation, plans due for review and their
/// accounts' renewals in 90 days. The same
/// sections make the home page, <c>GET /api/v1/me/work</c> and the Monday digest. Every query runs as the caller, so
/// nothing from an account they cannot see appears.
/// </summary>
public static class MyWeek
{
    /// <summary>How far ahead "Meetings in the next 7 days" looks: today and the seven days after.</summary>
    public const int MeetingDays = 7;

    /// <summary>
    /// The most urgent items a section lists; the rest are counted. A week is what to do first: a CSM whose triage flagged
    /// three thousand objectives reads the oldest 25 and the count, not a page (or a Monday mail) of three thousand lines.
    /// </summary>
    public const int Shown = 25;

    public static void MapWork(this IEndpointRouteBuilder api) =>
        api.MapGet("/me/work", Get).WithTags("Users")
            .WithSummary("Get the caller's week")
            .WithDescription("What needs the caller this week: open findings on their objectives, overdue initiatives and milestones, target dates in 30 days, meetings in 7 days, plans due for review and renewals in 90 days. Each section lists its 25 most urgent items; `total` counts them all and `allUrl`, where a page lists them all, says where. Vendor side only.");

    private static async Task<Ok<WorkResponse>> Get(VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide("Your week is the success team's view; customers see their plans in the portal.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(new WorkResponse(today, await SectionsAsync(db, actor.UserId!, today, cancellationToken)));
    }

    public static async Task<IReadOnlyList<WorkSection>> SectionsAsync(VerityDb db, string userId, DateOnly today, CancellationToken cancellationToken)
    {
        var accounts = db.Accounts.AsNoTracking();

        // Each section reads its own rows from the owner's index; the accounts' names and the shown findings' words come
        // after, each in one command by primary key. Joining the objectives and the accounts into every section
        // let PostgreSQL hash the whole book for an admin (whose access filter keeps every account), and planning the
        // joins cost more than running them for a CSM.
        var findings = await db.Findings.AsNoTracking()
            // A plan's overdue review is one line under "Plans due for review", not one per objective.
            .Where(f => f.OwnerId == userId && f.Status == FindingStatus.Open && f.Rule != TriageRule.PlanReviewOverdue && f.Rule != TriageRule.OverdueMilestone)
            .Select(f => new { f.Id, f.ObjectiveId, f.AccountId, f.Rule, f.FirstSeenAt })
            .ToListAsync(cancellationToken);

        // Initiatives one owns, and those without a vendor owner on objectives one owns: two branches, each read from
        // its owner's index (an OR across the two tables walked every overdue initiative in sight).
        var pastDue = db.Initiatives.AsNoTracking()
            .Where(i => i.Status != Domain.Objectives.InitiativeStatus.Done && i.DueDate != null && i.DueDate < today);
        var overdue = await pastDue.Where(i => i.OwnerId == userId)
            .Concat(pastDue.Where(i => i.OwnerId == null)
                .Join(db.Objectives.Where(o => o.OwnerId == userId), i => i.ObjectiveId, o => o.Id, (i, o) => i))
            .Select(i => new { i.ObjectiveId, i.AccountId, i.Title, i.DueDate })
            .ToListAsync(cancellationToken);

        // Milestones one owns, and those owned on the customer's side (or by nobody) on plans one owns.
        var slippedOpen = db.Milestones.AsNoTracking()
            .Where(m => (m.Status == MilestoneStatus.Planned || m.Status == MilestoneStatus.InProgress) && m.DueDate != null && m.DueDate < today);
        var slipped = await slippedOpen.Where(m => m.OwnerId == userId)
            .Concat(slippedOpen.Where(m => m.OwnerId == null)
                .Join(db.Plans.Where(p => p.OwnerId == userId), m => m.PlanId, p => p.Id, (m, p) => m))
            .Select(m => new { m.PlanId, m.AccountId, m.Title, m.DueDate })
            .ToListAsync(cancellationToken);

        var open = await db.Objectives.AsNoTracking()
            .Where(o => o.OwnerId == userId && (o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress))
            .Select(o => new { o.Id, o.AccountId, o.Title, o.TargetDate, o.OutcomeStage, o.OutcomeStageSince })
            .ToListAsync(cancellationToken);

        var plans = await db.Plans.AsNoTracking()
            .Where(p => p.OwnerId == userId && p.Status != PlanStatus.Archived && p.ReviewCadenceDays != null && p.ReviewCadenceDays > 0)
            .Select(p => new { p.Id, p.AccountId, p.Title, p.CreatedAt, p.LastReviewedAt, p.ReviewCadenceDays })
            .ToListAsync(cancellationToken);

        // Renewals of the accounts one works on (their team), not of every account a leader may see.
        var renewalsUntil = today.AddDays(90);
        var renewals = await db.TeamMembers.AsNoTracking()
            .Where(t => t.UserId == userId)
            .Join(accounts, t => t.AccountId, a => a.Id, (t, a) => a)
            .Where(a => a.RenewalDate != null && a.RenewalDate >= today && a.RenewalDate <= renewalsUntil)
            .Select(a => new { a.Id, a.Name, a.RenewalDate, a.Arr })
            .ToListAsync(cancellationToken);

        // Meetings one attends, scheduled, or runs the account for (its CSM or account executive), still to be held.
        var from = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var until = today.AddDays(MeetingDays + 1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var meetings = await db.Meetings.AsNoTracking()
            .Where(m => m.HeldOn == null && m.ScheduledFor >= from && m.ScheduledFor < until
                && (m.AttendeeUserIds.Contains(userId) || m.ScheduledBy == userId
                    || db.TeamMembers.Any(t => t.AccountId == m.AccountId && t.UserId == userId
                        && (t.Role == TeamRole.CustomerSuccessManager || t.Role == TeamRole.AccountExecutive))))
            .Join(accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.Id, m.Kind, m.Title, m.ScheduledFor, Account = a.Name })
            .ToListAsync(cancellationToken);

        // Every row above is already filtered to the caller's accounts; a name missing here (an account hidden since)
        // drops its rows, as the join to the accounts did.
        List<string> accountIds =
        [
            .. findings.Select(f => f.AccountId), .. overdue.Select(i => i.AccountId), .. slipped.Select(m => m.AccountId),
            .. open.Select(o => o.AccountId), .. plans.Select(p => p.AccountId),
        ];
        accountIds = [.. accountIds.Distinct()];
        var names = await accounts.Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);

        // Findings in order of urgency; only the ones shown need their message and their objective's title, read in one
        // command by primary key (a triage that flagged thousands of objectives does not send thousands of ids back).
        var orderedFindings = findings
            .Where(f => names.ContainsKey(f.AccountId))
            .Select(f => (f, Account: names[f.AccountId]))
            .OrderBy(x => x.f.FirstSeenAt).ThenBy(x => x.Account).ThenBy(x => x.f.Rule)
            .ToList();
        List<string> shownFindings = [.. orderedFindings.Take(Shown).Select(x => x.f.Id)];
        var said = shownFindings.Count == 0 ? [] : await db.Findings.AsNoTracking().Where(f => shownFindings.Contains(f.Id))
            .Join(db.Objectives, f => f.ObjectiveId, o => o.Id, (f, o) => new { f.Id, f.Message, o.Title })
            .ToDictionaryAsync(f => f.Id, f => $"{f.Title}: {f.Message}", cancellationToken);

        var soon = today.AddDays(30);
        var week = today.AddDays(7);
        return
        [
            Section("meetings", "Meetings in the next 7 days",
                "No meetings in the next 7 days. Schedule the next cadence call from an account's page.",
                meetings
                    .OrderBy(m => m.ScheduledFor),
                    m => new WorkItem(m.Account,
                        $"{Words.Say(m.Kind)}{(m.Title is null ? "" : $": {m.Title}")} — {m.ScheduledFor.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
                        $"/meetings/{m.Id}", DateOnly.FromDateTime(m.ScheduledFor))),
            Section("findings", "Findings from the weekly triage",
                "No open findings on your objectives: they passed the last triage.",
                orderedFindings,
                    x => new WorkItem(x.Account, said.GetValueOrDefault(x.f.Id) ?? Words.Say(x.f.Rule), $"/objectives/{x.f.ObjectiveId}#findings", DateOnly.FromDateTime(x.f.FirstSeenAt)),
                allUrl: "/triage"),
            Section("overdueInitiatives", "Overdue initiatives",
                "Nothing overdue. Keep due dates agreed with the customer on each initiative.",
                overdue
                    .Where(i => names.ContainsKey(i.AccountId))
                    .OrderBy(i => i.DueDate),
                    i => new WorkItem(names[i.AccountId], $"{i.Title} — due {Dates.Iso(i.DueDate)}", $"/objectives/{i.ObjectiveId}", i.DueDate)),
            Section("overdueMilestones", "Milestones that slipped",
                "No milestone on your journeys is past its date.",
                slipped
                    .Where(m => names.ContainsKey(m.AccountId))
                    .OrderBy(m => m.DueDate),
                    m => new WorkItem(names[m.AccountId], $"{m.Title} — due {Dates.Iso(m.DueDate)}", $"/plans/{m.PlanId}#journey", m.DueDate)),
            Section("targetDates", "Target dates in the next 30 days",
                "No target dates in the next 30 days.",
                open
                    .Where(o => o.TargetDate is { } t && t >= today && t <= soon && names.ContainsKey(o.AccountId))
                    .OrderBy(o => o.TargetDate),
                    o => new WorkItem(names[o.AccountId], $"{o.Title} — target {Dates.Iso(o.TargetDate)}", $"/objectives/{o.Id}", o.TargetDate)),
            Section("awaitingConfirmation", "Delivered, waiting for the customer's confirmation",
                "No delivered outcome is waiting: when one is, ask the customer to confirm it in writing.",
                open
                    .Where(o => o.OutcomeStage == OutcomeStage.Delivered && names.ContainsKey(o.AccountId))
                    .OrderBy(o => o.OutcomeStageSince),
                    o => new WorkItem(names[o.AccountId], o.OutcomeStageSince is { } since ? $"{o.Title} — delivered {Dates.Iso(since)}" : o.Title, $"/objectives/{o.Id}", o.OutcomeStageSince)),
            Section("reviewsDue", "Plans due for review",
                "No plan reviews due this week. Set a review cadence on your plans to be reminded.",
                plans
                    .Where(p => names.ContainsKey(p.AccountId))
                    .Select(p => new { p, Due = (p.LastReviewedAt ?? DateOnly.FromDateTime(p.CreatedAt)).AddDays(p.ReviewCadenceDays!.Value) })
                    .Where(x => x.Due <= week)
                    .OrderBy(x => x.Due),
                    x => new WorkItem(names[x.p.AccountId], $"{x.p.Title} — review {(x.Due < today ? "was due" : "due")} {Dates.Iso(x.Due)}", $"/plans/{x.p.Id}", x.Due)),
            Section("renewals", "Renewals in the next 90 days",
                "No renewals in the next 90 days on accounts you work on.",
                renewals
                    .OrderBy(r => r.RenewalDate),
                    r => new WorkItem(r.Name, $"Renews {Dates.Iso(r.RenewalDate)}" + (r.Arr is { } arr ? $" — ARR {arr.ToString("N0", CultureInfo.InvariantCulture)}" : ""), $"/accounts/{r.Id}", r.RenewalDate)),
        ];
    }

    /// <summary>A section of the week: its <see cref="Shown"/> most urgent items (already in order) and how many there are.</summary>
    private static WorkSection Section<T>(string key, string title, string whenEmpty, IEnumerable<T> ordered, Func<T, WorkItem> item, string? allUrl = null)
    {
        var rows = ordered.ToList();
        return new(key, title, whenEmpty, [.. rows.Take(Shown).Select(item)], rows.Count, allUrl);
    }
}
