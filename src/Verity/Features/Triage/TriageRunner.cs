using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Webhooks;

namespace Verity.Features.Triage;

/// <summary>
/// The weekly triage: reads what the rules need of every open objective in a handful of set queries, compares
/// the rules' answer with the findings already open, and writes only the difference — new findings, findings
/// whose facts changed, findings whose condition cleared — in batches, so a large book never holds the
/// database for long. One internal <c>triage</c> activity per objective whose findings changed says what did.
/// </summary>
public sealed class TriageRunner(IServiceProvider services, TimeProvider clock, IOptions<TriageThresholds> thresholds)
{
    private const int Batch = 2_000;

    public async Task<TriageRun> RunAsync(string? period, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var run = new TriageRun { StartedAt = now, Period = period };

        List<Work> work;
        Dictionary<string, List<Active>> active;
        await using (var db = services.CreateSystemContext())
        {
            db.TriageRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            work = await ReadAsync(db, today, cancellationToken);
            active = (await db.Findings.AsNoTracking()
                    .Where(f => f.Status != FindingStatus.Resolved)
                    .Select(f => new Active(f.Id, f.AccountId, f.PlanId, f.ObjectiveId, f.Rule, f.Message, f.Suggestion, f.Fingerprint, f.OwnerId, f.Status,
                        f.FirstSeenAt, f.LastSeenAt, f.DismissedAt, f.DismissedBy, f.DismissReason))
                    .ToListAsync(cancellationToken))
                .GroupBy(f => f.ObjectiveId)
                .ToDictionary(g => g.Key, g => g.ToList());
        }

        run.ObjectivesChecked = work.Count;
        var checkedIds = work.Select(w => w.ObjectiveId).ToHashSet();

        // Findings of objectives no longer open (closed, or their plan archived) have nothing left to say.
        var orphans = active.Where(a => !checkedIds.Contains(a.Key)).SelectMany(a => a.Value).ToList();

        foreach (var chunk in work.Chunk(Batch))
        {
            await using var db = services.CreateSystemContext();
            foreach (var item in chunk)
            {
                Apply(db, item, active.GetValueOrDefault(item.ObjectiveId) ?? [], run, now);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var chunk in orphans.Chunk(Batch))
        {
            await using var db = services.CreateSystemContext();
            foreach (var finding in chunk)
            {
                Resolve(db, finding, now);
                run.Resolved++;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await using (var db = services.CreateSystemContext())
        {
            await db.Findings.Where(f => f.Status != FindingStatus.Resolved && f.LastSeenAt < now)
                .ExecuteUpdateAsync(s => s.SetProperty(f => f.LastSeenAt, now), cancellationToken);
            run.FinishedAt = clock.GetUtcNow().UtcDateTime;
            db.TriageRuns.Update(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        return run;
    }

    private void Apply(VerityDb db, Work item, List<Active> existing, TriageRun run, DateTime now)
    {
        var hits = TriageRules.Evaluate(item.Facts, thresholds.Value, DateOnly.FromDateTime(now));
        var changes = new List<string>();
        var byRule = existing.ToDictionary(f => f.Rule);

        foreach (var hit in hits)
        {
            if (byRule.Remove(hit.Rule, out var open))
            {
                var reopened = false;
                if (open.Message != hit.Message || open.Suggestion != hit.Suggestion || open.Fingerprint != hit.Fingerprint || open.OwnerId != item.OwnerId)
                {
                    // Only what changed is written; LastSeenAt moves for every held finding in one statement at the end.
                    var finding = Attach(db, open);
                    reopened = finding.SeenAgain(hit, item.OwnerId, now);
                    if (reopened)
                    {
                        WebhookEvents.Raise(db, "finding.opened", FindingResponse.From(finding));
                    }
                }

                if (reopened)
                {
                    changes.Add($"reopened: {hit.Message}");
                }

                if (open.Status == FindingStatus.Open || reopened)
                {
                    run.StillOpen++;
                }

                continue;
            }

            var added = new Finding
            {
                AccountId = item.AccountId,
                PlanId = item.PlanId,
                ObjectiveId = item.ObjectiveId,
                OwnerId = item.OwnerId,
                Rule = hit.Rule,
                Message = hit.Message,
                Suggestion = hit.Suggestion,
                Fingerprint = hit.Fingerprint,
                FirstSeenAt = now,
                LastSeenAt = now,
            };
            db.Findings.Add(added);
            WebhookEvents.Raise(db, "finding.opened", FindingResponse.From(added));
            run.Opened++;
            changes.Add($"new: {hit.Message}");
        }

        // What is left no longer holds — except the customer's "out of date", which holds until someone re-validates.
        foreach (var gone in byRule.Values)
        {
            if (gone.Rule == TriageRule.CustomerSaysOutOfDate && !ValidatedSince(item, gone))
            {
                run.StillOpen++;
                continue;
            }

            Resolve(db, gone, now);
            run.Resolved++;
            changes.Add($"resolved: {Words(gone.Rule)}");
        }

        if (changes.Count > 0)
        {
            db.Activities.Add(new Activity
            {
                AccountId = item.AccountId,
                PlanId = item.PlanId,
                ObjectiveId = item.ObjectiveId,
                Type = ActivityType.Triage,
                OccurredAt = now,
                Summary = "Weekly triage — " + string.Join(" · ", changes),
                Visibility = Visibility.Internal,
            });
        }
    }

    private static bool ValidatedSince(Work item, Active finding) =>
        item.Facts.LastValidatedAt is { } validated && validated >= DateOnly.FromDateTime(finding.FirstSeenAt);

    private static Finding Attach(VerityDb db, Active open)
    {
        // The row as read: only what changes after this is written.
        var finding = new Finding
        {
            Id = open.Id,
            AccountId = open.AccountId,
            PlanId = open.PlanId,
            ObjectiveId = open.ObjectiveId,
            Rule = open.Rule,
            Message = open.Message,
            Suggestion = open.Suggestion,
            Fingerprint = open.Fingerprint,
            OwnerId = open.OwnerId,
            Status = open.Status,
            FirstSeenAt = open.FirstSeenAt,
            LastSeenAt = open.LastSeenAt,
            DismissedAt = open.DismissedAt,
            DismissedBy = open.DismissedBy,
            DismissReason = open.DismissReason,
        };
        db.Findings.Attach(finding);
        return finding;
    }

    private static void Resolve(VerityDb db, Active open, DateTime now)
    {
        var finding = Attach(db, open);
        finding.Resolve(now);
        WebhookEvents.Raise(db, "finding.resolved", FindingResponse.From(finding));
    }

    /// <summary>A finding's heading on a page.</summary>
    public static string Title(TriageRule rule)
    {
        var words = Words(rule);
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static string Words(TriageRule rule) => rule switch
    {
        TriageRule.StaleValidation => "not validated recently",
        TriageRule.NoRecentActivity => "no recent activity",
        TriageRule.MissingMetric => "no metric",
        TriageRule.StaleMeasurement => "no recent measurement",
        TriageRule.OverdueInitiative => "overdue initiative",
        TriageRule.PastTargetDate => "past its target date",
        TriageRule.NotSmart => "not SMART",
        TriageRule.MissingOwner => "no owner",
        TriageRule.PlanReviewOverdue => "plan review overdue",
        TriageRule.DeliveredNotVerified => "delivered, not verified",
        TriageRule.CustomerSaysOutOfDate => "the customer says it is out of date",
    };

    /// <summary>Everything the rules read, for every open objective on a plan that is not archived.</summary>
    private static async Task<List<Work>> ReadAsync(VerityDb db, DateOnly today, CancellationToken cancellationToken)
    {
        var objectives = await db.Objectives.AsNoTracking()
            .Where(o => o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress)
            .Join(db.Plans.Where(p => p.Status != PlanStatus.Archived), o => o.PlanId, p => p.Id, (o, p) => new
            {
                o.Id, o.AccountId, o.PlanId, o.Kind, o.OutcomeStage, o.CreatedAt, o.OutcomeStageSince, o.OwnerId,
                PlanOwnerId = p.OwnerId, o.TargetDate, o.LastValidatedAt, o.Title, o.SuccessCriteria, o.BusinessImpact,
                p.LastReviewedAt, PlanCreatedAt = p.CreatedAt, p.ReviewCadenceDays,
            })
            .ToListAsync(cancellationToken);

        var lastActivity = await db.Activities.AsNoTracking()
            .Where(a => a.ObjectiveId != null && a.Type != ActivityType.Triage)
            .GroupBy(a => a.ObjectiveId!)
            .Select(g => new { g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken);

        var metrics = (await db.Metrics.AsNoTracking()
                .Select(m => new { m.Id, m.ObjectiveId, m.Name, m.Direction, m.BaselineValue, m.TargetValue, m.Unit })
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.ObjectiveId);

        var lastMeasured = await db.Measurements.AsNoTracking()
            .GroupBy(m => m.MetricId)
            .Select(g => new { g.Key, Last = g.Max(m => m.At) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken);

        var overdue = (await db.Initiatives.AsNoTracking()
                .Where(i => i.Status != InitiativeStatus.Done && i.DueDate != null && i.DueDate < today)
                .OrderBy(i => i.DueDate).ThenBy(i => i.Id)
                .Select(i => new { i.ObjectiveId, i.Title })
                .ToListAsync(cancellationToken))
            .ToLookup(i => i.ObjectiveId, i => i.Title);

        var confirmed = (await db.Confirmations.AsNoTracking()
                .Where(c => c.VoidedAt == null)
                .Select(c => c.ObjectiveId)
                .Distinct()
                .ToListAsync(cancellationToken))
            .ToHashSet();

        return objectives.Select(o =>
        {
            var own = metrics[o.Id].ToList();
            var measured = own.Select(m => lastMeasured.TryGetValue(m.Id, out var at) ? at : (DateOnly?)null).Max();
            var smart = SmartChecker.Check(
                new SmartInput(o.Title, o.Kind, o.SuccessCriteria, o.BusinessImpact, o.TargetDate,
                    own.Select(m => new SmartMetric(m.Name, m.Direction, m.BaselineValue, m.TargetValue, m.Unit)).ToList()),
                today);
            var facts = new TriageFacts(
                o.Id, o.Kind, o.OutcomeStage, DateOnly.FromDateTime(o.CreatedAt), o.OutcomeStageSince, o.OwnerId, o.TargetDate,
                o.LastValidatedAt,
                lastActivity.TryGetValue(o.Id, out var activity) ? DateOnly.FromDateTime(activity) : null,
                own.Count, measured, overdue[o.Id].ToList(), o.LastReviewedAt, DateOnly.FromDateTime(o.PlanCreatedAt),
                o.ReviewCadenceDays, smart, confirmed.Contains(o.Id));
            return new Work(o.Id, o.AccountId, o.PlanId, o.OwnerId ?? o.PlanOwnerId, facts);
        }).ToList();
    }

    private sealed record Work(string ObjectiveId, string AccountId, string PlanId, string? OwnerId, TriageFacts Facts);

    private sealed record Active(
        string Id, string AccountId, string PlanId, string ObjectiveId, TriageRule Rule, string Message, string? Suggestion, string Fingerprint,
        string? OwnerId, FindingStatus Status, DateTime FirstSeenAt, DateTime LastSeenAt, DateTime? DismissedAt, string? DismissedBy, string? DismissReason);
}
