using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Objectives;

namespace Verity.Features.Meetings;

/// <summary>
/// Draws meetings' agendas from the plan as it stands now, for one meeting or a page of them, in a fixed number of
/// queries however many there are: the account's open plans, the objectives (each meeting's own, or every open one),
/// their metrics, initiatives and findings, the last business reviews and the history since.
/// </summary>
public static class MeetingAgendas
{
    /// <summary>How many changes one agenda lists, newest first.</summary>
    public const int ChangesShown = 12;

    /// <summary>Without a business review to count from, changes of this many days.</summary>
    public const int DefaultDays = 90;

    public static async Task<MeetingAgenda> ReadAsync(VerityDb db, Meeting meeting, DateTime now, CancellationToken cancellationToken) =>
        (await ReadAsync(db, meeting.AccountId, [meeting], now, cancellationToken))[meeting.Id];

    /// <summary>The agendas of meetings of one account, by meeting id.</summary>
    public static async Task<Dictionary<string, MeetingAgenda>> ReadAsync(
        VerityDb db, string accountId, IReadOnlyList<Meeting> meetings, DateTime now, CancellationToken cancellationToken)
    {
        if (meetings.Count == 0)
        {
            return [];
        }

        var today = DateOnly.FromDateTime(now);
        var plans = await db.Plans.AsNoTracking()
            .Where(p => p.AccountId == accountId && p.Status != PlanStatus.Archived)
            .Select(p => new { p.Id, p.Title })
            .ToDictionaryAsync(p => p.Id, p => p.Title, cancellationToken);
        var openPlanIds = plans.Keys.ToList();

        // Every open objective when some meeting is about all of them; the ones meetings name, whatever their state.
        var linked = meetings.SelectMany(m => m.ObjectiveIds).Distinct().ToList();
        var anyAboutAll = meetings.Any(m => m.ObjectiveIds.Count == 0);
        var objectives = await ObjectiveReads.CompleteAsync(db, await ObjectiveReads.Query(db)
            .Where(o => o.AccountId == accountId
                && ((anyAboutAll && openPlanIds.Contains(o.PlanId) && (o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress))
                    || linked.Contains(o.Id)))
            .OrderBy(o => o.Priority).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken), today, cancellationToken);
        var objectiveIds = objectives.Select(o => o.Id).ToList();

        var findings = (await db.Findings.AsNoTracking()
                .Where(f => f.AccountId == accountId && f.Status == FindingStatus.Open && objectiveIds.Contains(f.ObjectiveId))
                .OrderBy(f => f.FirstSeenAt).ThenBy(f => f.Id)
                .Select(f => new { f.Id, f.ObjectiveId, f.Rule, f.Message, f.Suggestion })
                .ToListAsync(cancellationToken))
            .ToLookup(f => f.ObjectiveId);

        // The last two business reviews held, so a held review's own agenda counts from the one before it.
        var reviews = await db.Meetings.AsNoTracking()
            .Where(m => m.AccountId == accountId && m.Kind == MeetingKind.BusinessReview && m.HeldOn != null)
            .OrderByDescending(m => m.HeldOn).ThenByDescending(m => m.ScheduledFor)
            .Take(2)
            .Select(m => new { m.Id, m.HeldOn, m.ScheduledFor })
            .ToListAsync(cancellationToken);
        // Reviews logged on the timeline by hand count when no review meeting was held.
        var logged = await db.Activities.AsNoTracking()
            .Where(a => a.AccountId == accountId && a.Type == ActivityType.BusinessReview)
            .OrderByDescending(a => a.OccurredAt)
            .Take(2)
            .Select(a => new { a.Id, a.OccurredAt })
            .ToListAsync(cancellationToken);
        var since = meetings.ToDictionary(m => m.Id, m =>
            reviews.FirstOrDefault(r => r.Id != m.Id) is { } review ? Meeting.HeldAtOf(review.HeldOn!.Value, review.ScheduledFor)
            : logged.FirstOrDefault(a => a.Id != m.ActivityId)?.OccurredAt);
        var earliest = since.Values.Select(s => s ?? now.AddDays(-DefaultDays)).Min();

        var recordIds = objectiveIds.Concat(objectives.Select(o => o.PlanId)).Distinct().ToList();
        var history = await db.AuditEntries.AsNoTracking()
            .Where(e => recordIds.Contains(e.EntityId) && e.At > earliest && e.Action == "update")
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(20 * ChangesShown)
            .ToListAsync(cancellationToken);
        var titles = objectives.ToDictionary(o => o.Id, o => o.Title);
        foreach (var (id, title) in plans)
        {
            titles.TryAdd(id, title);
        }

        var open = objectives.Where(o => o.Status is ObjectiveStatus.New or ObjectiveStatus.WorkInProgress && plans.ContainsKey(o.PlanId)).ToList();
        return meetings.ToDictionary(m => m.Id, m =>
        {
            var about = m.ObjectiveIds.Count == 0
                ? open
                : m.ObjectiveIds.Select(id => objectives.FirstOrDefault(o => o.Id == id)).OfType<ObjectiveResponse>().ToList();
            var aboutIds = about.Select(o => o.Id).ToHashSet();
            var records = aboutIds.Concat(about.Select(o => o.PlanId)).ToHashSet();
            var cutoff = since[m.Id] ?? now.AddDays(-DefaultDays);
            return new MeetingAgenda(
                about.Select(o => new AgendaObjective(o.Id, o.PlanId, o.Title, o.Status, o.OutcomeStage, o.Health,
                    o.Metrics.Count > 0 ? o.Metrics[0].Progress : null, o.Metrics.Count > 0 ? o.Metrics[0].ProgressNote : null, o.TargetDate, o.OwnerId)).ToList(),
                about.SelectMany(o => findings[o.Id].Select(f => new AgendaFinding(f.Id, f.ObjectiveId, o.Title, f.Rule, f.Message, f.Suggestion))).ToList(),
                cutoff,
                since[m.Id] is not null,
                history
                    .Where(e => records.Contains(e.EntityId) && e.At > cutoff)
                    .SelectMany(e => e.Changes
                        .Where(c => Documents.PlanDocument.ChangesWorthShowing.Contains(c.Field))
                        .Select(c => new AgendaChange(e.At, e.EntityId, titles.GetValueOrDefault(e.EntityId, "—"), c.Field, c.Old, c.New)))
                    .Take(ChangesShown)
                    .ToList(),
                about.SelectMany(o => o.Initiatives
                        .Where(i => i.Status != InitiativeStatus.Done && i.DueDate is { } due && due < today)
                        .Select(i => new AgendaInitiative(i.Id, o.Id, o.Title, i.Title, i.Status, i.DueDate!.Value, i.OwnerId, i.OwnerStakeholderId)))
                    .OrderBy(i => i.DueDate)
                    .ToList());
        });
    }

    /// <summary>
    /// When the account's last business review was: the last review meeting held, else the last review logged on the
    /// timeline. The day is no secret of the team's, so a customer's business-review deck counts from it too.
    /// </summary>
    public static async Task<DateTime?> LastBusinessReviewAsync(VerityDb db, string accountId, CancellationToken cancellationToken)
    {
        var held = await db.Meetings.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.AccountId == accountId && m.Kind == MeetingKind.BusinessReview && m.HeldOn != null)
            .OrderByDescending(m => m.HeldOn).ThenByDescending(m => m.ScheduledFor)
            .Select(m => new { m.HeldOn, m.ScheduledFor })
            .FirstOrDefaultAsync(cancellationToken);
        if (held is not null)
        {
            return Meeting.HeldAtOf(held.HeldOn!.Value, held.ScheduledFor);
        }

        return await db.Activities.AsNoTracking()
            .Where(a => a.AccountId == accountId && a.Type == ActivityType.BusinessReview)
            .OrderByDescending(a => a.OccurredAt).Select(a => (DateTime?)a.OccurredAt).FirstOrDefaultAsync(cancellationToken);
    }
}
