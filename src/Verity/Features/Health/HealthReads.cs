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
/// What the account page shows anyway and one account's score is partly made of: its latest health check, each
/// feature's latest adoption figures, its latest support figures and all its objectives.
/// </summary>
public sealed record ShownHealth(HealthCheck? LatestCheck, IReadOnlyList<AdoptionLatest> LatestAdoption, SupportItem? LatestSupport, IReadOnlyList<Objective> Objectives);

/// <summary>The latest health check, as far as the score reads it.</summary>
public sealed record LatestCheck(DateOnly CheckedOn, int Adoption, Sentiment Sentiment);

/// <summary>
/// The rows one account's score is made of, however they were read (many accounts at once, or beside the account page),
/// and the one place they become <see cref="HealthFacts"/>.
/// </summary>
public sealed record HealthRows(
    DateTime OpenedAt,
    LatestCheck? LatestCheck,
    IReadOnlyList<AdoptionItem> LatestAdoption,
    SupportItem? LatestSupport,
    IReadOnlyList<ObjectiveHealth?> OpenObjectiveHealth,
    int ObjectivesEver,
    int VerifiedLast12Months,
    DateTime? LastCustomerContact)
{
    public HealthResult Score(HealthSettings settings, DateOnly today)
    {
        var check = LatestCheck;
        var health = OpenObjectiveHealth.OfType<ObjectiveHealth>().ToList();
        var quietSince = DateOnly.FromDateTime(LastCustomerContact ?? OpenedAt);
        // Each feature's latest figures, summed: without a licensed user there is no percentage to take.
        var licensed = LatestAdoption.Sum(f => (long)f.LicensedUsers);
        var active = LatestAdoption.Sum(f => (long)f.ActiveUsers);
        var figures = licensed > 0;
        var tickets = LatestSupport;
        var facts = new HealthFacts(
            AdoptionPercent: figures ? Math.Round(100.0 * active / licensed, 1, MidpointRounding.AwayFromZero) : check?.Adoption,
            AdoptionSource: figures
                ? $"adoption figures, {LatestAdoption.Count} feature{(LatestAdoption.Count == 1 ? "" : "s")}, latest {LatestAdoption.Max(f => f.At):yyyy-MM-dd}"
                : check is null ? null : $"health check of {check.CheckedOn:yyyy-MM-dd}",
            Sentiment: check?.Sentiment,
            SentimentOn: check?.CheckedOn,
            OpenObjectivesWithHealth: health.Count,
            OnTrack: health.Count(h => h == ObjectiveHealth.OnTrack),
            Watchpoint: health.Count(h => h == ObjectiveHealth.Watchpoint),
            ObjectivesEver: ObjectivesEver,
            VerifiedLast12Months: VerifiedLast12Months,
            DaysSinceCustomerContact: Math.Max(0, today.DayNumber - quietSince.DayNumber),
            EverContacted: LastCustomerContact is not null,
            // Without support figures the measure is unknown and carries no weight.
            OpenCriticalTickets: tickets?.Critical,
            SupportSource: tickets is null ? null : $"support figures of {tickets.At:yyyy-MM-dd}");
        return HealthScoring.Compute(facts, settings);
    }
}

/// <summary>
/// Reads the facts behind the health score for many accounts at once, in a fixed number of queries however many
/// there are, or for one beside the account page, and keeps one snapshot a day per account for the trend.
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
            .Select(h => new { h.AccountId, Check = new LatestCheck(h.CheckedOn, h.Adoption, h.Sentiment) })
            .ToDictionaryAsync(h => h.AccountId, h => h.Check, cancellationToken);

        // Each feature's latest adoption figures: the adoption measure prefers them to a health check.
        var adoption = (await db.AdoptionFigures.AsNoTracking()
                .Where(f => ids.Contains(f.AccountId)
                    && f.At == db.AdoptionFigures.Where(x => x.AccountId == f.AccountId && x.Feature == f.Feature).Max(x => x.At))
                .Select(f => new { f.AccountId, Item = new AdoptionItem(f.Feature, f.At, f.LicensedUsers, f.ActiveUsers) })
                .ToListAsync(cancellationToken))
            .ToLookup(f => f.AccountId, f => f.Item);

        var support = await db.SupportFigures.AsNoTracking()
            .Where(s => ids.Contains(s.AccountId) && s.At == db.SupportFigures.Where(x => x.AccountId == s.AccountId).Max(x => x.At))
            .Select(s => new { s.AccountId, Item = new SupportItem(s.At, s.Open, s.Closed, s.Critical, s.EnhancementRequests) })
            .ToDictionaryAsync(s => s.AccountId, s => s.Item, cancellationToken);

        if (openObjectives is null)
        {
            var open = await db.Objectives.AsNoTracking()
                .Where(o => ids.Contains(o.AccountId) && o.Status == ObjectiveStatus.WorkInProgress)
                .ToListAsync(cancellationToken);
            openObjectives = (await ObjectiveReads.HealthAsync(db, open, today, cancellationToken)).Select(o => (o.Objective.AccountId, o.Health)).ToList();
        }

        var objectiveHealth = openObjectives.ToLookup(o => o.AccountId, o => o.Health);

        var since = VerifiedSince(today);
        var objectives = await db.Objectives.AsNoTracking()
            .Where(o => ids.Contains(o.AccountId))
            .GroupBy(o => o.AccountId)
            .Select(g => new
            {
                AccountId = g.Key,
                Count = g.Count(),
                // As HealthRows.Verified counts them in memory.
                Verified = g.Count(o => o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= since),
            })
            .ToDictionaryAsync(x => x.AccountId, cancellationToken);

        var lastContact = await LastCustomerContactAsync(db, ids, cancellationToken);

        return accounts.ToDictionary(a => a.Id, a =>
        {
            var counts = objectives.GetValueOrDefault(a.Id);
            return new HealthRows(
                a.CreatedAt,
                latestChecks.GetValueOrDefault(a.Id),
                adoption[a.Id].ToList(),
                support.GetValueOrDefault(a.Id),
                objectiveHealth[a.Id].ToList(),
                counts?.Count ?? 0,
                counts?.Verified ?? 0,
                lastContact.TryGetValue(a.Id, out var last) ? last : null).Score(settings, today);
        });
    }

    /// <summary>When each account last had a customer-visible activity (accounts without one are left out).</summary>
    public static Task<Dictionary<string, DateTime>> LastCustomerContactAsync(VerityDb db, IReadOnlyList<string> ids, CancellationToken cancellationToken) =>
        db.Activities.AsNoTracking()
            .Where(a => ids.Contains(a.AccountId) && a.Visibility == Visibility.Customer)
            .GroupBy(a => a.AccountId)
            .Select(g => new { AccountId = g.Key, Last = g.Max(a => a.OccurredAt) })
            .ToDictionaryAsync(x => x.AccountId, x => x.Last, cancellationToken);

    /// <summary>Outcomes verified on or after this day count toward the outcomes measure.</summary>
    public static DateOnly VerifiedSince(DateOnly today) => today.AddYears(-1);

    /// <summary>
    /// One account's score with its trend, as the API gives it: reads the rows the account page shows anyway (its latest
    /// health check, each feature's latest adoption, its latest support figures, its objectives) and scores them as the
    /// page does.
    /// </summary>
    public static async Task<HealthScoreResponse> ReadAsync(
        VerityDb db, Account account, HealthSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        var latestCheck = await db.HealthChecks.AsNoTracking().Where(h => h.AccountId == account.Id)
            .OrderByDescending(h => h.CheckedOn).ThenByDescending(h => h.Id).FirstOrDefaultAsync(cancellationToken);
        var adoption = (await AdoptionEndpoints.ReadLatestAdoptionAsync(db, account.Id, cancellationToken)).Latest;
        var support = await db.SupportFigures.AsNoTracking().Where(s => s.AccountId == account.Id).OrderByDescending(s => s.At)
            .Select(s => new SupportItem(s.At, s.Open, s.Closed, s.Critical, s.EnhancementRequests)).FirstOrDefaultAsync(cancellationToken);
        var objectives = await db.Objectives.AsNoTracking().Where(o => o.AccountId == account.Id).ToListAsync(cancellationToken);
        return await ReadAsync(db, account, new ShownHealth(latestCheck, adoption, support, objectives), settings, today, cancellationToken);
    }

    /// <summary>
    /// One account's score with its trend from the rows the caller has read already (the account page shows them);
    /// reads only what it does not show: the open objectives' health signals, the last customer contact and the
    /// snapshots. The first read of the day keeps a snapshot, so the trend has history even where the daily job does
    /// not run.
    /// </summary>
    public static async Task<HealthScoreResponse> ReadAsync(
        VerityDb db, Account account, ShownHealth shown, HealthSettings settings, DateOnly today, CancellationToken cancellationToken)
    {
        var open = shown.Objectives.Where(o => o.AccountId == account.Id && o.Status == ObjectiveStatus.WorkInProgress).ToList();
        var objectiveHealth = (await ObjectiveReads.HealthAsync(db, open, today, cancellationToken)).Select(o => o.Health).ToList();
        var lastContact = await LastCustomerContactAsync(db, [account.Id], cancellationToken);
        var since = VerifiedSince(today);
        var rows = new HealthRows(
            account.CreatedAt,
            shown.LatestCheck is { } check ? new LatestCheck(check.CheckedOn, check.Adoption, check.Sentiment) : null,
            shown.LatestAdoption.Select(a => new AdoptionItem(a.Feature, a.At, a.LicensedUsers, a.ActiveUsers)).ToList(),
            shown.LatestSupport,
            objectiveHealth,
            shown.Objectives.Count,
            shown.Objectives.Count(o => o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= since),
            lastContact.TryGetValue(account.Id, out var last) ? last : null);
        var result = rows.Score(settings, today);

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
