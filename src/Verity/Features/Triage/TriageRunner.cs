using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Webhooks;
using Verity.Http;

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

    /// <summary>The lease a run holds, so two runs (a leader's, the CLI's, the schedule's) never overlap.</summary>
    public const string Running = "triage:running";

    public async Task<TriageRun> RunAsync(string? period, CancellationToken cancellationToken)
    {
        if (!await Jobs.Scheduling.TryClaimAsync(services, Running, clock.GetUtcNow().UtcDateTime, cancellationToken))
        {
            throw new ConflictException("A triage run is in progress already; its findings will be there when it ends.");
        }

        try
        {
            return await RunAloneAsync(period, cancellationToken);
        }
        finally
        {
            await using var db = services.CreateSystemContext();
            await db.JobPeriods.Where(p => p.Key == Running).ExecuteDeleteAsync(CancellationToken.None);
        }
    }

    private async Task<TriageRun> RunAloneAsync(string? period, CancellationToken cancellationToken)
    {
        // The book's kept figures (portfolio, accounts list) are dropped once, when the run has written everything,
        // rather than after each batch: a run over 200,000 objectives would otherwise make every manager's next view
        // wait for a whole-book computation a hundred times over.
        var wrote = false;
        VerityDb Quiet(VerityDb db)
        {
            db.Book = null;
            wrote = true;
            return db;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(now);
        var run = new TriageRun { StartedAt = now, Period = period };

        await using (var db = services.CreateSystemContext())
        {
            db.TriageRuns.Add(run);
            await db.SaveChangesAsync(cancellationToken);
        }

        // Only what tells whether a finding changed: its stamp (facts and words) and owner. Rows are read in full only
        // for the few that do.
        var activeRead = QueryAsync(db => db.Findings.AsNoTracking()
            .Where(f => f.Status != FindingStatus.Resolved)
            .Select(f => new Active(f.Id, f.ObjectiveId, f.Rule, f.Fingerprint, f.OwnerId, f.Status, f.FirstSeenAt))
            .ToListAsync(cancellationToken));
        var work = await ReadAsync(today, cancellationToken);
        var active = (await activeRead).GroupBy(f => f.ObjectiveId).ToDictionary(g => g.Key, g => g.ToList());

        run.ObjectivesChecked = work.Count;
        var checkedIds = work.Select(w => w.ObjectiveId).ToHashSet();

        // Findings of objectives no longer open (closed, or their plan archived) have nothing left to say.
        var orphans = active.Where(a => !checkedIds.Contains(a.Key)).SelectMany(a => a.Value)
            .Select(f => new Change(f.Id, null, true)).ToList();

        foreach (var chunk in work.Chunk(Batch))
        {
            // The rules and the comparison are CPU work: spread over the cores; the counts are added up after.
            var plans = chunk.AsParallel().AsOrdered().Select(item => Compare(item, active.GetValueOrDefault(item.ObjectiveId) ?? [], today)).ToList();
            run.Opened += plans.Sum(p => p.Opened);
            run.StillOpen += plans.Sum(p => p.StillOpen);
            run.Resolved += plans.Sum(p => p.Changes.Count(c => c.Resolve));
            if (plans.All(p => p.IsEmpty))
            {
                continue;
            }

            await using var db = Quiet(services.CreateSystemContext());
            var loaded = await LoadAsync(db, plans.SelectMany(p => p.Changes).Select(c => c.FindingId), cancellationToken);
            foreach (var (item, plan) in chunk.Zip(plans).Where(x => !x.Second.IsEmpty))
            {
                Write(db, item, plan, loaded, now);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        foreach (var chunk in orphans.Chunk(Batch))
        {
            await using var db = Quiet(services.CreateSystemContext());
            foreach (var finding in (await LoadAsync(db, chunk.Select(c => c.FindingId), cancellationToken)).Values)
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
            if (wrote)
            {
                await db.BookChangedAsync(cancellationToken);
            }
        }

        return run;
    }

    /// <summary>What the rules say now against what is open: new hits, changed findings, and findings that no longer hold.</summary>
    private Plan Compare(Work item, List<Active> existing, DateOnly today)
    {
        var hits = TriageRules.Evaluate(item.Facts, thresholds.Value, today);
        var added = new List<TriageHit>();
        var changes = new List<Change>();
        var stillOpen = 0;

        // One open finding per rule: should two ever exist (two writers at once), the oldest stays, the rest resolve.
        var byRule = new Dictionary<TriageRule, Active>();
        foreach (var finding in existing.OrderBy(f => f.FirstSeenAt).ThenBy(f => f.Id, StringComparer.Ordinal))
        {
            if (!byRule.TryAdd(finding.Rule, finding))
            {
                changes.Add(new Change(finding.Id, null, true));
            }
        }
        foreach (var hit in hits)
        {
            if (!byRule.Remove(hit.Rule, out var open))
            {
                added.Add(hit);
                continue;
            }

            if (open.Status == FindingStatus.Open)
            {
                stillOpen++;
            }

            if (open.Fingerprint != hit.Stamp || open.OwnerId != item.OwnerId)
            {
                changes.Add(new Change(open.Id, hit, false));
            }
        }

        // What is left no longer holds — except the customer's "out of date", which holds until someone re-validates.
        foreach (var gone in byRule.Values)
        {
            if (gone.Rule == TriageRule.CustomerSaysOutOfDate
                && !(item.Facts.LastValidatedAt is { } validated && validated >= DateOnly.FromDateTime(gone.FirstSeenAt)))
            {
                stillOpen += gone.Status == FindingStatus.Open ? 1 : 0;
                continue;
            }

            changes.Add(new Change(gone.Id, null, true));
        }

        return new Plan(added, changes, stillOpen);
    }

    private void Write(VerityDb db, Work item, Plan plan, IReadOnlyDictionary<string, Finding> loaded, DateTime now)
    {
        var lines = new List<string>();
        foreach (var hit in plan.Added)
        {
            var finding = new Finding
            {
                AccountId = item.AccountId,
                PlanId = item.PlanId,
                ObjectiveId = item.ObjectiveId,
                OwnerId = item.OwnerId,
                Rule = hit.Rule,
                Message = hit.Message,
                Suggestion = hit.Suggestion,
                Fingerprint = hit.Stamp,
                FirstSeenAt = now,
                LastSeenAt = now,
            };
            db.Findings.Add(finding);
            WebhookEvents.Raise(db, "finding.opened", FindingResponse.From(finding));
            lines.Add($"new: {hit.Message}");
        }

        foreach (var change in plan.Changes)
        {
            if (!loaded.TryGetValue(change.FindingId, out var finding))
            {
                continue;
            }

            if (change.Resolve)
            {
                Resolve(db, finding, now);
                lines.Add($"resolved: {Words(finding.Rule)}");
            }
            else if (finding.SeenAgain(change.Hit!, item.OwnerId, now))
            {
                WebhookEvents.Raise(db, "finding.opened", FindingResponse.From(finding));
                lines.Add($"reopened: {finding.Message}");
            }
        }

        if (lines.Count > 0)
        {
            db.Activities.Add(new Activity
            {
                AccountId = item.AccountId,
                PlanId = item.PlanId,
                ObjectiveId = item.ObjectiveId,
                Type = ActivityType.Triage,
                OccurredAt = now,
                Summary = "Weekly triage — " + string.Join(" · ", lines),
                Visibility = Visibility.Internal,
            });
        }
    }

    private static async Task<Dictionary<string, Finding>> LoadAsync(VerityDb db, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var list = ids.ToList();
        return list.Count == 0 ? [] : await db.Findings.Where(f => list.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
    }

    private static void Resolve(VerityDb db, Finding finding, DateTime now)
    {
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
        TriageRule.OverdueMilestone => "milestone slipped",
        TriageRule.CustomerSaysOutOfDate => "the customer says it is out of date",
    };

    /// <summary>
    /// Everything the rules read, for every open objective on a plan that is not archived: six set queries, run side
    /// by side on their own connections (readers do not block each other), then the rules' facts per objective.
    /// </summary>
    private async Task<List<Work>> ReadAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var objectivesRead = QueryAsync(db => db.Objectives.AsNoTracking()
            .Where(o => o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress)
            .Join(db.Plans.Where(p => p.Status != PlanStatus.Archived), o => o.PlanId, p => p.Id, (o, p) => new
            {
                o.Id, o.AccountId, o.PlanId, o.Priority, o.Kind, o.OutcomeStage, o.CreatedAt, o.OutcomeStageSince, o.OwnerId,
                PlanOwnerId = p.OwnerId, o.TargetDate, o.LastValidatedAt, o.Title, o.SuccessCriteria, o.BusinessImpact,
                p.LastReviewedAt, PlanCreatedAt = p.CreatedAt, p.ReviewCadenceDays,
            })
            .ToListAsync(cancellationToken));

        var lastActivityRead = QueryAsync(db => db.Activities.AsNoTracking()
            .Where(a => a.ObjectiveId != null && a.Type != ActivityType.Triage)
            .GroupBy(a => a.ObjectiveId!)
            .Select(g => new { g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken));

        var metricsRead = QueryAsync(db => db.Metrics.AsNoTracking()
            .Select(m => new { m.Id, m.ObjectiveId, m.Name, m.Direction, m.BaselineValue, m.TargetValue, m.Unit })
            .ToListAsync(cancellationToken));

        var lastMeasuredRead = QueryAsync(db => db.Measurements.AsNoTracking()
            .GroupBy(m => m.MetricId)
            .Select(g => new { g.Key, Last = g.Max(m => m.At) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, cancellationToken));

        var overdueRead = QueryAsync(db => db.Initiatives.AsNoTracking()
            .Where(i => i.Status != InitiativeStatus.Done && i.DueDate != null && i.DueDate < today)
            .OrderBy(i => i.DueDate).ThenBy(i => i.Id)
            .Select(i => new { i.ObjectiveId, i.Title })
            .ToListAsync(cancellationToken));

        var slippedRead = QueryAsync(db => db.Milestones.AsNoTracking()
            .Where(m => (m.Status == MilestoneStatus.Planned || m.Status == MilestoneStatus.InProgress) && m.DueDate != null && m.DueDate < today)
            .OrderBy(m => m.DueDate).ThenBy(m => m.Id)
            .Select(m => new { m.PlanId, m.ObjectiveId, m.Title, m.DueDate })
            .ToListAsync(cancellationToken));

        var confirmedRead = QueryAsync(db => db.Confirmations.AsNoTracking()
            .Where(c => c.VoidedAt == null)
            .Select(c => c.ObjectiveId)
            .Distinct()
            .ToListAsync(cancellationToken));

        await Task.WhenAll(objectivesRead, lastActivityRead, metricsRead, lastMeasuredRead, overdueRead, slippedRead, confirmedRead);
        var lastActivity = await lastActivityRead;
        var metrics = (await metricsRead).ToLookup(m => m.ObjectiveId);
        var lastMeasured = await lastMeasuredRead;
        var overdue = (await overdueRead).ToLookup(i => i.ObjectiveId, i => i.Title);
        var confirmed = (await confirmedRead).ToHashSet();

        // A slipped milestone lands on the objective it serves; one that serves none (or a closed one) on its plan's
        // first open objective, so every slipped step reaches someone's findings.
        var objectives = await objectivesRead;
        var open = objectives.Select(o => o.Id).ToHashSet();
        var firstOfPlan = objectives.GroupBy(o => o.PlanId).ToDictionary(g => g.Key, g => g.OrderBy(o => o.Priority).ThenBy(o => o.Id, StringComparer.Ordinal).First().Id);
        var slipped = (await slippedRead)
            .Select(m => (ObjectiveId: m.ObjectiveId is { } id && open.Contains(id) ? id : firstOfPlan.GetValueOrDefault(m.PlanId), Text: $"{m.Title} (due {Domain.Common.Dates.Iso(m.DueDate)})"))
            .Where(m => m.ObjectiveId is not null)
            .ToLookup(m => m.ObjectiveId!, m => m.Text);

        // The SMART check is the CPU-bound part: spread over the cores, in the objectives' order.
        return objectives.AsParallel().AsOrdered().Select(o =>
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
                o.ReviewCadenceDays, smart, confirmed.Contains(o.Id), slipped[o.Id].ToList());
            return new Work(o.Id, o.AccountId, o.PlanId, o.OwnerId ?? o.PlanOwnerId, facts);
        }).ToList();
    }

    /// <summary>One read on a connection of its own.</summary>
    private async Task<T> QueryAsync<T>(Func<VerityDb, Task<T>> query)
    {
        await using var db = services.CreateSystemContext();
        return await query(db);
    }

    private sealed record Work(string ObjectiveId, string AccountId, string PlanId, string? OwnerId, TriageFacts Facts);

    private sealed record Active(string Id, string ObjectiveId, TriageRule Rule, string Fingerprint, string? OwnerId, FindingStatus Status, DateTime FirstSeenAt);

    /// <summary>A finding to refresh with <see cref="Hit"/>, or to resolve.</summary>
    private sealed record Change(string FindingId, TriageHit? Hit, bool Resolve);

    private sealed record Plan(List<TriageHit> Added, List<Change> Changes, int StillOpen)
    {
        public int Opened => Added.Count;

        public bool IsEmpty => Added.Count == 0 && Changes.Count == 0;
    }
}
