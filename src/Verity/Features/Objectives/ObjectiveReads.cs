using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Domain.Objectives;

namespace Verity.Features.Objectives;

/// <summary>
/// Reads objectives with their metrics and initiatives in a fixed number of queries, however many
/// there are: objectives, metrics with their latest measurement, initiatives with their tasks.
/// </summary>
public static class ObjectiveReads
{
    public static async Task<IReadOnlyList<ObjectiveResponse>> ForPlanAsync(VerityDb db, string planId, CancellationToken cancellationToken)
    {
        var objectives = await db.Objectives.AsNoTracking()
            .Where(o => o.PlanId == planId)
            .OrderBy(o => o.Priority).ThenBy(o => o.Id)
            .ToListAsync(cancellationToken);
        return await CompleteAsync(db, objectives, cancellationToken);
    }

    public static async Task<IReadOnlyList<ObjectiveResponse>> CompleteAsync(
        VerityDb db, IReadOnlyList<Objective> objectives, CancellationToken cancellationToken)
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
        return objectives
            .Select(o => ObjectiveResponse.From(o, metrics[o.Id].ToList(), initiatives[o.Id].Select(InitiativeResponse.From).ToList()))
            .ToList();
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
        string? note = (latest, m.BaselineValue, m.TargetValue) switch
        {
            (_, null, _) => "No baseline yet: progress cannot be computed.",
            (_, _, null) => "No target yet: progress cannot be computed.",
            (null, _, _) => "No measurement yet: progress is 0.",
            _ => null,
        };
        return new MetricResponse(
            m.Id,
            m.ObjectiveId,
            m.Name,
            m.Unit,
            m.Direction,
            m.BaselineValue is { } b ? new MetricValue(b, m.BaselineAt) : null,
            m.TargetValue is { } t ? new MetricTarget(t, m.TargetBy) : null,
            latest,
            m.Progress(latest?.Value),
            note);
    }
}
