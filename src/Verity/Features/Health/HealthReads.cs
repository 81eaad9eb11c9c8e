using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Objectives;
using Verity.Features.Objectives;

namespace Verity.Features.Health;

/// <summary>The score as the API and the account page give it: the measures, and the change over 30 days.</summary>
public sealed record HealthScoreResponse(
    string AccountId, int? Score, HealthGrade? Grade, int? Trend, DateOnly? TrendFrom, DateOnly ComputedOn, IReadOnlyList<HealthMeasureResponse> Measures);

public sealed record HealthMeasureResponse(string Key, string Label, string Value, int? Score, double Weight, double Contribution)
{
    public static HealthMeasureResponse From(HealthMeasure m) => new(m.Key, m.Label, m.Value, m.Score, m.Weight, m.Contribution);
}

/// <summary>
/// Reads the facts behind the health score for many accounts at once, in a fixed number of queries however many
/// there are, and keeps one snapshot a day per account for the trend.
/// </summary>
public static class HealthReads
{
    public const int TrendDays = 30;

    /// <summary>How far back a snapshot may lie and still stand for "30 days ago".</summary>
    public const int TrendWindowDays = 60;

    /// <summary>
    /// The score of each account. <paramref name="openObjectives"/> may carry the health of the open objectives already
    /// read (the accounts page reads them anyway); without it they are read here.
    /// </summary>
    public static async Task<Dictionary<string, HealthResult>> ScoreAsync(
        VerityDb db, IReadOnlyCollection<(string Id, DateTime CreatedAt)> accounts, IReadOnlyList<(string AccountId, ObjectiveHealth? Health)>? openObjectives,
        HealthSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        if (accounts.Count == 0)
        {
            return [];
        }

        var ids = accounts.Select(a => a.Id).ToList();
        var latestChecks = await db.HealthChecks.AsNoTracking()
            .Where(h => ids.Contains(h.AccountId)
                && h.Id == db.HealthChecks.Where(x => x.AccountId == h.AccountId)
                    .OrderByDescending(x => x.CheckedOn).ThenByDescending(x => x.Id).Select(x => x.Id).First())
            .Select(h => new { h.AccountId, h.CheckedOn, h.Adoption, h.Sentiment })
            .ToDictionaryAsync(h => h.AccountId, cancellationToken);

        // Each feature's latest adoption figures, summed per account: the adoption measure prefers them to a health check.
        var adoption = (await db.AdoptionFigures.AsNoTracking()
                .Where(f => ids.Contains(f.AccountId)
                    && f.At == db.AdoptionFigures.Where(x => x.AccountId == f.AccountId && x.Feature == f.Feature).Max(x => x.At))
                .Select(f => new { f.AccountId, f.At, f.LicensedUsers, f.ActiveUsers })
                .ToListAsync(cancellationToken))
            .GroupBy(f => f.AccountId)
            .Select(g => new
            {
                AccountId = g.Key,
                Licensed = g.Sum(f => (long)f.LicensedUsers),
                Active = g.Sum(f => (long)f.ActiveUsers),
                Features = g.Count(),
                Latest = g.Max(f => f.At),
            })
            .Where(a => a.Licensed > 0)
            .ToDictionary(a => a.AccountId);

        var support = await db.SupportFigures.AsNoTracking()
            .Where(s => ids.Contains(s.AccountId) && s.At == db.SupportFigures.Where(x => x.AccountId == s.AccountId).Max(x => x.At))
            .Select(s => new { s.AccountId, s.At, s.Critical })
            .ToDictionaryAsync(s => s.AccountId, cancellationToken);

        if (openObjectives is null)
        {
            var open = await db.Objectives.AsNoTracking()
                .Where(o => ids.Contains(o.AccountId) && o.Status == ObjectiveStatus.WorkInProgress)
                .ToListAsync(cancellationToken);
            openObjectives = (await ObjectiveReads.HealthAsync(db, open, today, cancellationToken)).Select(o => (o.Objective.AccountId, o.Health)).ToList();
        }

        var objectiveHealth = openObjectives.Where(o => o.Health is not null).ToLookup(o => o.AccountId, o => o.Health!.Value);

        var since = today.AddYears(-1);
        var objectives = await db.Objectives.AsNoTracking()
            .Where(o => ids.Contains(o.AccountId))
            .GroupBy(o => o.AccountId)
            .Select(g => new
            {
                AccountId = g.Key,
                Count = g.Count(),
                Verified = g.Count(o => o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= since),
            })
            .ToDictionaryAsync(x => x.AccountId, cancellationToken);

        var lastContact = await db.Activities.AsNoTracking()
            .Where(a => ids.Contains(a.AccountId) && a.Visibility == Visibility.Customer)
            .GroupBy(a => a.AccountId)
            .Select(g => new { AccountId = g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToDictionaryAsync(x => x.AccountId, x => x.Last, cancellationToken);

        return accounts.ToDictionary(a => a.Id, a =>
        {
            var check = latestChecks.GetValueOrDefault(a.Id);
            var health = objectiveHealth[a.Id].ToList();
            var counts = objectives.GetValueOrDefault(a.Id);
            var contacted = lastContact.TryGetValue(a.Id, out var last);
            var quietSince = DateOnly.FromDateTime(contacted ? last : a.CreatedAt);
            var figures = adoption.GetValueOrDefault(a.Id);
            var tickets = support.GetValueOrDefault(a.Id);
            var facts = new HealthFacts(
                AdoptionPercent: figures is not null ? Math.Round(100.0 * figures.Active / figures.Licensed, 1, MidpointRounding.AwayFromZero) : check?.Adoption,
                AdoptionSource: figures is not null
                    ? $"adoption figures, {figures.Features} feature{(figures.Features == 1 ? "" : "s")}, latest {figures.Latest:yyyy-MM-dd}"
                    : check is null ? null : $"health check of {check.CheckedOn:yyyy-MM-dd}",
                Sentiment: check?.Sentiment,
                SentimentOn: check?.CheckedOn,
                OpenObjectivesWithHealth: health.Count,
                OnTrack: health.Count(h => h == ObjectiveHealth.OnTrack),
                Watchpoint: health.Count(h => h == ObjectiveHealth.Watchpoint),
                ObjectivesEver: counts?.Count ?? 0,
                VerifiedLast12Months: counts?.Verified ?? 0,
                DaysSinceCustomerContact: Math.Max(0, today.DayNumber - quietSince.DayNumber),
                EverContacted: contacted,
                // Without support figures the measure is unknown and carries no weight.
                OpenCriticalTickets: tickets?.Critical,
                SupportSource: tickets is null ? null : $"support figures of {tickets.At:yyyy-MM-dd}");
            return HealthScoring.Compute(facts, settings);
        });
    }

    /// <summary>
    /// One account's score with its trend; the first read of the day keeps a snapshot, so the trend has history even
    /// where the daily job does not run.
    /// </summary>
    public static async Task<HealthScoreResponse> ReadAsync(
        VerityDb db, Account account, HealthSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        var result = (await ScoreAsync(db, [(account.Id, account.CreatedAt)], null, settings, today, cancellationToken))[account.Id];
        var from = today.AddDays(-TrendWindowDays);
        var snapshots = await db.HealthSnapshots.AsNoTracking()
            .Where(s => s.AccountId == account.Id && s.TakenOn >= from && s.TakenOn <= today)
            .Select(s => new { s.TakenOn, s.Score })
            .ToListAsync(cancellationToken);
        if (result.Score is { } score && result.Grade is { } grade && snapshots.All(s => s.TakenOn != today))
        {
            await SnapshotAsync(db, account.Id, today, score, grade, cancellationToken);
        }

        var then = snapshots.Where(s => s.TakenOn <= today.AddDays(-TrendDays)).MaxBy(s => s.TakenOn);
        return new HealthScoreResponse(
            account.Id,
            result.Score,
            result.Grade,
            result.Score is { } now && then is not null ? now - then.Score : null,
            then?.TakenOn,
            today,
            result.Measures.Select(HealthMeasureResponse.From).ToList());
    }

    /// <summary>Keeps the day's snapshot unless one is there already (another read or node got there first).</summary>
    /// <remarks>The portfolio's health mix reads the latest snapshots, so a new one moves the book's version.</remarks>
    public static async Task<int> SnapshotAsync(VerityDb db, string accountId, DateOnly day, int score, HealthGrade grade, CancellationToken cancellationToken)
    {
        var taken = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "HealthSnapshots" ("AccountId", "TakenOn", "Score", "Grade") VALUES ({accountId}, {day}, {score}, {grade.ToString()}) ON CONFLICT DO NOTHING""",
            cancellationToken);
        if (taken > 0)
        {
            await db.BookChangedAsync(cancellationToken);
        }

        return taken;
    }

    /// <summary>The daily snapshot of every open account, a batch at a time.</summary>
    public static async Task<int> SnapshotAllAsync(IServiceProvider services, DateOnly today, CancellationToken cancellationToken)
    {
        var settings = services.GetRequiredService<IOptions<HealthSettings>>().Value;
        var taken = 0;
        string? after = null;
        while (true)
        {
            await using var db = services.CreateSystemContext();
            var batch = await db.Accounts.AsNoTracking()
                .Where(a => a.ArchivedAt == null && (after == null || string.Compare(a.Id, after) > 0))
                .OrderBy(a => a.Id).Take(500)
                .Select(a => new { a.Id, a.CreatedAt })
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return taken;
            }

            var scores = await ScoreAsync(db, batch.Select(a => (a.Id, a.CreatedAt)).ToList(), null, settings, today, cancellationToken);
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                foreach (var (accountId, result) in scores)
                {
                    if (result is { Score: { } score, Grade: { } grade })
                    {
                        taken += await SnapshotAsync(db, accountId, today, score, grade, cancellationToken);
                    }
                }

                await transaction.CommitAsync(cancellationToken);
            }

            after = batch[^1].Id;
        }
    }
}

/// <summary>Refuses to start on weights or thresholds that make no score, naming the setting.</summary>
public sealed class HealthSettingsValidation : IValidateOptions<HealthSettings>
{
    /// <summary>Settings under <c>Health</c>, checked when the host starts (and on first use elsewhere).</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddOptions<HealthSettings>().BindConfiguration("Health").ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthSettings>, HealthSettingsValidation>();
    }

    public ValidateOptionsResult Validate(string? name, HealthSettings options) =>
        options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
