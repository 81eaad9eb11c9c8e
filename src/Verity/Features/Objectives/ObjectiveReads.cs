using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Objectives;

namespace Verity.Features.Objectives;

/// <summary>
/// Reads objectives with everything a reader needs in a fixed number of queries, however many there are:
/// objectives with their confirmations, metrics with their latest measurement, initiatives with their
/// tasks, and the latest activity of each. SMART findings and health are computed from what was read.
/// </summary>
public static class ObjectiveReads
{
    /// <summary>Objectives as <see cref="CompleteAsync"/> expects them: untracked, with their confirmations.</summary>
    public static IQueryable<Objective> Query(VerityDb db) => db.Objectives.AsNoTracking().Include(o => o.Confirmations);

    public static async Task<IReadOnlyList<ObjectiveResponse>> ForPlanAsync(VerityDb db, string planId, DateOnly today, CancellationToken cancellationToken)
    {
        var objectives = await Query(db)
            .Where(o => o.PlanId == planId)
            .OrderBy(o => o.Priority).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken);
        return await CompleteAsync(db, objectives, today, cancellationToken);
    }

    public static async Task<ObjectiveResponse> OneAsync(VerityDb db, Objective objective, DateOnly today, CancellationToken cancellationToken) =>
        (await CompleteAsync(db, [objective], today, cancellationToken))[0];

    public static async Task<IReadOnlyList<ObjectiveResponse>> CompleteAsync(
        VerityDb db, IReadOnlyList<Objective> objectives, DateOnly today, CancellationToken cancellationToken)
    {
        if (objectives.Count == 0)
        {
            return [];
        }

        var ids = objectives.Select(o => o.Id).ToList();
        var metrics = (await MetricsAsync(db, db.Metrics.Where(m => ids.Contains(m.ObjectiveId)), cancellationToken))
            .ToLookup(m => m.ObjectiveId);
        var initiatives = (await db.Initiatives.AsNoTracking()
                .Include(i => i.Tasks)
                .Where(i => ids.Contains(i.ObjectiveId))
                .OrderBy(i => i.DueDate == null).ThenBy(i => i.DueDate).ThenBy(i => i.Id)
                .ToListAsync(cancellationToken))
            .ToLookup(i => i.ObjectiveId);
        var lastActivity = await LastActivityAsync(db, ids, cancellationToken);
        var healthShared = await HealthSharedAsync(db, objectives, cancellationToken);

        return objectives.Select(o =>
        {
            var own = metrics[o.Id].ToList();
            var smart = SmartChecker.Check(
                SmartInput.Of(o, own.Select(m => new SmartMetric(m.Name, m.Direction, m.Baseline?.Value, m.Target?.Value, m.Unit)).ToList()),
                today);
            var (suggested, signals) = HealthSuggestion.Suggest(o, own.Select(m => m.Track).ToList(), lastActivity.GetValueOrDefault(o.Id), today);
            var response = ObjectiveResponse.From(o, own, initiatives[o.Id].Select(InitiativeResponse.From).ToList(), smart, suggested, signals);
            if (db.Actor.IsCustomer)
            {
                // The SMART coaching is the team's; the customer sees whether it is SMART, not how to fix it.
                response = response with { Smart = response.Smart with { Findings = [] } };
            }

            return healthShared.Contains(o.PlanId)
                ? response
                : response with { Health = null, HealthSource = null, HealthReasons = [], HealthSetBy = null, HealthSetAt = null };
        }).ToList();
    }

    /// <summary>
    /// Each objective's health as <see cref="CompleteAsync"/> gives it (set by hand, else suggested; null where a customer
    /// may not see it), reading only what the suggestion needs: metrics with their latest measurement and the latest activity.
    /// </summary>
    public static async Task<List<(Objective Objective, ObjectiveHealth? Health)>> HealthAsync(
        VerityDb db, IReadOnlyList<Objective> objectives, DateOnly today, CancellationToken cancellationToken)
    {
        if (objectives.Count == 0)
        {
            return [];
        }

        var ids = objectives.Select(o => o.Id).ToList();
        var tracks = (await MetricsAsync(db, db.Metrics.Where(m => ids.Contains(m.ObjectiveId)), cancellationToken))
            .ToLookup(m => m.ObjectiveId, m => m.Track);
        var lastActivity = await LastActivityAsync(db, ids, cancellationToken);
        var healthShared = await HealthSharedAsync(db, objectives, cancellationToken);
        return objectives.Select(o => (o, healthShared.Contains(o.PlanId)
                ? o.HealthOverride ?? HealthSuggestion.Suggest(o, tracks[o.Id].ToList(), lastActivity.GetValueOrDefault(o.Id), today).Health
                : null))
            .ToList();
    }

    /// <summary>
    /// Health reads every activity of the objective, internal ones too, so it is the same whoever looks; only the
    /// latest date leaves this query, for objectives the caller already sees.
    /// </summary>
    private static Task<Dictionary<string, DateTime>> LastActivityAsync(VerityDb db, List<string> ids, CancellationToken cancellationToken) =>
        db.Activities.AsNoTracking().IgnoreQueryFilters()
            .Where(a => a.ObjectiveId != null && ids.Contains(a.ObjectiveId))
            .GroupBy(a => a.ObjectiveId!)
            .Select(g => new { ObjectiveId = g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToDictionaryAsync(x => x.ObjectiveId, x => x.Last, cancellationToken);

    /// <summary>The plans whose objectives' health the caller sees: a customer only where the team shares it.</summary>
    private static async Task<HashSet<string>> HealthSharedAsync(VerityDb db, IReadOnlyList<Objective> objectives, CancellationToken cancellationToken)
    {
        var planIds = objectives.Select(o => o.PlanId).Distinct().ToList();
        return db.Actor.IsCustomer
            ? (await db.Plans.Where(p => planIds.Contains(p.Id) && p.ShareHealthWithCustomer).Select(p => p.Id).ToListAsync(cancellationToken)).ToHashSet()
            : planIds.ToHashSet();
    }

    /// <summary>Metrics with their latest measurement in one query, and progress toward the target.</summary>
    public static async Task<List<MetricResponse>> MetricsAsync(VerityDb db, IQueryable<Metric> query, CancellationToken cancellationToken)
    {
        var rows = await query.AsNoTracking()
            .OrderBy(m => m.Id)
            .Select(m => new
            {
                Metric = m,

                // Two scalar subqueries rather than one row: SQLite cannot join laterally.
                LatestValue = db.Measurements
                    .Where(x => x.MetricId == m.Id)
                    .OrderByDescending(x => x.At).ThenByDescending(x => x.Id)
                    .Select(x => (double?)x.Value)
                    .FirstOrDefault(),
                LatestAt = db.Measurements
                    .Where(x => x.MetricId == m.Id)
                    .OrderByDescending(x => x.At).ThenByDescending(x => x.Id)
                    .Select(x => (DateOnly?)x.At)
                    .FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return rows.Select(r => ToResponse(r.Metric, r.LatestValue is { } v ? new MetricValue(v, r.LatestAt) : null)).ToList();
    }

    public static MetricResponse ToResponse(Metric m, MetricValue? latest)
    {
        var track = new MetricTrack(m.Name, m.Direction, m.BaselineValue, m.BaselineAt, m.TargetValue, m.TargetBy, latest?.Value, latest?.At);
        return new MetricResponse(
            m.Id,
            m.ObjectiveId,
            m.Name,
            m.Unit,
            m.Direction,
            m.BaselineValue is { } b ? new MetricValue(b, m.BaselineAt) : null,
            m.TargetValue is { } t ? new MetricTarget(t, m.TargetBy) : null,
            latest,
            track.Progress,
            track.ProgressNote);
    }
}
