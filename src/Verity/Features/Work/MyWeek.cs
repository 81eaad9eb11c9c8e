using System.Globalization;
using System.Linq.Expressions;
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

        // Each section counts its rows and picks its most urgent in the database, in one command: the first Shown rows in
        // order, each with the count of them all (an uncorrelated subquery, computed once). A CSM whose triage flagged
        // three thousand objectives gets 25 rows back, not three thousand keys to sort in the server. The accounts'
        // names are joined to the picked rows only (a join to the whole book let PostgreSQL hash every account for an
        // admin), except for the findings, whose order reads them. A name missing (an account hidden since) drops its row.
        var openFindings = db.Findings.AsNoTracking()
            // A plan's overdue review is one line under "Plans due for review", not one per objective.
            .Where(f => f.OwnerId == userId && f.Status == FindingStatus.Open && f.Rule != TriageRule.PlanReviewOverdue && f.Rule != TriageRule.OverdueMilestone);
        var findings = await openFindings
            .Join(accounts, f => f.AccountId, a => a.Id, (f, a) => new { f.Id, f.ObjectiveId, f.Rule, f.FirstSeenAt, f.Message, Account = a.Name })
            .OrderBy(x => x.FirstSeenAt).ThenBy(x => x.Account).ThenByRule(x => x.Rule).ThenBy(x => x.Id)
            .Take(Shown)
            .Select(x => new
            {
                x.Id, x.ObjectiveId, x.Rule, x.FirstSeenAt, x.Message, x.Account,
                Objective = db.Objectives.Where(o => o.Id == x.ObjectiveId).Select(o => o.Title).FirstOrDefault(),
                Total = openFindings.Count(),
            })
            .ToListAsync(cancellationToken);

        // Initiatives one owns, and those without a vendor owner on objectives one owns: two branches, each read from
        // its owner's index (an OR across the two tables walked every overdue initiative in sight).
        var pastDue = db.Initiatives.AsNoTracking()
            .Where(i => i.Status != Domain.Objectives.InitiativeStatus.Done && i.DueDate != null && i.DueDate < today);
        var overdueAll = pastDue.Where(i => i.OwnerId == userId)
            .Concat(pastDue.Where(i => i.OwnerId == null)
                .Join(db.Objectives.Where(o => o.OwnerId == userId), i => i.ObjectiveId, o => o.Id, (i, o) => i));
        var overdue = await overdueAll
            .OrderBy(i => i.DueDate).ThenBy(i => i.Id).Take(Shown)
            .Join(accounts, i => i.AccountId, a => a.Id, (i, a) => new { i.Id, i.ObjectiveId, i.Title, i.DueDate, Account = a.Name, Total = overdueAll.Count() })
            .ToListAsync(cancellationToken);

        // Milestones one owns, and those owned on the customer's side (or by nobody) on plans one owns.
        var slippedOpen = db.Milestones.AsNoTracking()
            .Where(m => (m.Status == MilestoneStatus.Planned || m.Status == MilestoneStatus.InProgress) && m.DueDate != null && m.DueDate < today);
        var slippedAll = slippedOpen.Where(m => m.OwnerId == userId)
            .Concat(slippedOpen.Where(m => m.OwnerId == null)
                .Join(db.Plans.Where(p => p.OwnerId == userId), m => m.PlanId, p => p.Id, (m, p) => m));
        var slipped = await slippedAll
            .OrderBy(m => m.DueDate).ThenBy(m => m.Id).Take(Shown)
            .Join(accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.Id, m.PlanId, m.Title, m.DueDate, Account = a.Name, Total = slippedAll.Count() })
            .ToListAsync(cancellationToken);

        var soon = today.AddDays(30);
        var open = db.Objectives.AsNoTracking()
            .Where(o => o.OwnerId == userId && (o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress));
        var datedAll = open.Where(o => o.TargetDate != null && o.TargetDate >= today && o.TargetDate <= soon);
        var dated = await datedAll
            .OrderBy(o => o.TargetDate).ThenBy(o => o.Id).Take(Shown)
            .Join(accounts, o => o.AccountId, a => a.Id, (o, a) => new { o.Id, o.Title, o.TargetDate, Account = a.Name, Total = datedAll.Count() })
            .ToListAsync(cancellationToken);
        var deliveredAll = open.Where(o => o.OutcomeStage == OutcomeStage.Delivered);
        var delivered = await deliveredAll
            // Undated first, as an ascending sort puts them in .NET (PostgreSQL would put them last).
            .OrderBy(o => o.OutcomeStageSince == null ? 0 : 1).ThenBy(o => o.OutcomeStageSince).ThenBy(o => o.Id).Take(Shown)
            .Join(accounts, o => o.AccountId, a => a.Id, (o, a) => new { o.Id, o.Title, o.OutcomeStageSince, Account = a.Name, Total = deliveredAll.Count() })
            .ToListAsync(cancellationToken);

        // Plans with a review cadence one owns (a few per account): when each is due is worked out here.
        var plans = await db.Plans.AsNoTracking()
            .Where(p => p.OwnerId == userId && p.Status != PlanStatus.Archived && p.ReviewCadenceDays != null && p.ReviewCadenceDays > 0)
            .Join(accounts, p => p.AccountId, a => a.Id, (p, a) => new { p.Id, p.Title, p.CreatedAt, p.LastReviewedAt, p.ReviewCadenceDays, Account = a.Name })
            .ToListAsync(cancellationToken);

        // Renewals of the accounts one works on (their team), not of every account a leader may see.
        var renewalsUntil = today.AddDays(90);
        var renewingAll = db.TeamMembers.AsNoTracking()
            .Where(t => t.UserId == userId)
            .Join(accounts, t => t.AccountId, a => a.Id, (t, a) => a)
            .Where(a => a.RenewalDate != null && a.RenewalDate >= today && a.RenewalDate <= renewalsUntil);
        var renewals = await renewingAll
            .OrderBy(a => a.RenewalDate).ThenBy(a => a.Id).Take(Shown)
            .Select(a => new { a.Id, a.Name, a.RenewalDate, a.Arr, Total = renewingAll.Count() })
            .ToListAsync(cancellationToken);

        // Meetings one attends, scheduled, or runs the account for (its CSM or account executive), still to be held.
        var from = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var until = today.AddDays(MeetingDays + 1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        // Each of the three starts from the user's own rows (attendee rows, IX_Meetings_ScheduledBy_ScheduledFor, team
        // rows), not from every meeting in the window: a leader sees every account and attends few of their meetings.
        var attending = db.MeetingAttendees.Where(x => x.UserId == userId).Select(x => x.MeetingId);
        var running = db.TeamMembers
            .Where(t => t.UserId == userId && (t.Role == TeamRole.CustomerSuccessManager || t.Role == TeamRole.AccountExecutive))
            .Select(t => t.AccountId);
        var upcomingAll = db.Meetings.AsNoTracking()
            .Where(m => m.HeldOn == null && m.ScheduledFor >= from && m.ScheduledFor < until
                && (attending.Contains(m.Id) || m.ScheduledBy == userId || running.Contains(m.AccountId)));
        var meetings = await upcomingAll
            .OrderBy(m => m.ScheduledFor).ThenBy(m => m.Id).Take(Shown)
            .Join(accounts, m => m.AccountId, a => a.Id, (m, a) => new { m.Id, m.Kind, m.Title, m.ScheduledFor, Account = a.Name, Total = upcomingAll.Count() })
            .ToListAsync(cancellationToken);

        var week = today.AddDays(7);
        var reviews = plans
            .Select(p => new { p, Due = (p.LastReviewedAt ?? DateOnly.FromDateTime(p.CreatedAt)).AddDays(p.ReviewCadenceDays!.Value) })
            .Where(x => x.Due <= week)
            .OrderBy(x => x.Due).ThenBy(x => x.p.Id, StringComparer.Ordinal)
            .ToList();

        // Each command orders its rows as asked (the outer query repeats the order after the names are joined).
        return
        [
            Section("meetings", "Meetings in the next 7 days",
                "No meetings in the next 7 days. Schedule the next cadence call from an account's page.",
                meetings, meetings.FirstOrDefault()?.Total,
                    m => new WorkItem(m.Account,
                        $"{Words.Say(m.Kind)}{(m.Title is null ? "" : $": {m.Title}")} — {m.ScheduledFor.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
                        $"/meetings/{m.Id}", DateOnly.FromDateTime(m.ScheduledFor))),
            Section("findings", "Findings from the weekly triage",
                "No open findings on your objectives: they passed the last triage.",
                findings, findings.FirstOrDefault()?.Total,
                    f => new WorkItem(f.Account, f.Objective is null ? Words.Say(f.Rule) : $"{f.Objective}: {f.Message}", $"/objectives/{f.ObjectiveId}#findings", DateOnly.FromDateTime(f.FirstSeenAt)),
                allUrl: "/triage"),
            Section("overdueInitiatives", "Overdue initiatives",
                "Nothing overdue. Keep due dates agreed with the customer on each initiative.",
                overdue, overdue.FirstOrDefault()?.Total,
                    i => new WorkItem(i.Account, $"{i.Title} — due {Dates.Iso(i.DueDate)}", $"/objectives/{i.ObjectiveId}", i.DueDate)),
            Section("overdueMilestones", "Milestones that slipped",
                "No milestone on your journeys is past its date.",
                slipped, slipped.FirstOrDefault()?.Total,
                    m => new WorkItem(m.Account, $"{m.Title} — due {Dates.Iso(m.DueDate)}", $"/plans/{m.PlanId}#journey", m.DueDate)),
            Section("targetDates", "Target dates in the next 30 days",
                "No target dates in the next 30 days.",
                dated, dated.FirstOrDefault()?.Total,
                    o => new WorkItem(o.Account, $"{o.Title} — target {Dates.Iso(o.TargetDate)}", $"/objectives/{o.Id}", o.TargetDate)),
            Section("awaitingConfirmation", "Delivered, waiting for the customer's confirmation",
                "No delivered outcome is waiting: when one is, ask the customer to confirm it in writing.",
                delivered, delivered.FirstOrDefault()?.Total,
                    o => new WorkItem(o.Account, o.OutcomeStageSince is { } since ? $"{o.Title} — delivered {Dates.Iso(since)}" : o.Title, $"/objectives/{o.Id}", o.OutcomeStageSince)),
            Section("reviewsDue", "Plans due for review",
                "No plan reviews due this week. Set a review cadence on your plans to be reminded.",
                reviews.Take(Shown), reviews.Count,
                    x => new WorkItem(x.p.Account, $"{x.p.Title} — review {(x.Due < today ? "was due" : "due")} {Dates.Iso(x.Due)}", $"/plans/{x.p.Id}", x.Due)),
            Section("renewals", "Renewals in the next 90 days",
                "No renewals in the next 90 days on accounts you work on.",
                renewals, renewals.FirstOrDefault()?.Total,
                    r => new WorkItem(r.Name, $"Renews {Dates.Iso(r.RenewalDate)}" + (r.Arr is { } arr ? $" — ARR {arr.ToString("N0", CultureInfo.InvariantCulture)}" : ""), $"/accounts/{r.Id}", r.RenewalDate)),
        ];
    }

    /// <summary>
    /// Then by a triage rule in the order the enum declares the rules, as .NET sorts them: the column holds the rule's
    /// name, whose alphabetical order is another.
    /// </summary>
    private static IOrderedQueryable<T> ThenByRule<T>(this IOrderedQueryable<T> query, Expression<Func<T, TriageRule>> rule)
    {
        Expression rank = Expression.Constant(int.MaxValue);
        foreach (var value in Enumerable.Reverse(Enum.GetValues<TriageRule>()))
        {
            rank = Expression.Condition(Expression.Equal(rule.Body, Expression.Constant(value)), Expression.Constant((int)value), rank);
        }

        return query.ThenBy(Expression.Lambda<Func<T, int>>(rank, rule.Parameters));
    }

    /// <summary>
    /// A section of the week: its <see cref="Shown"/> most urgent items, already picked and in order, and how many there
    /// are in all (none when nothing was picked).
    /// </summary>
    private static WorkSection Section<T>(string key, string title, string whenEmpty, IEnumerable<T> shown, int? total, Func<T, WorkItem> item, string? allUrl = null)
    {
        List<WorkItem> items = [.. shown.Take(Shown).Select(item)];
        return new(key, title, whenEmpty, items, items.Count == 0 ? 0 : total ?? items.Count, allUrl);
    }
}
