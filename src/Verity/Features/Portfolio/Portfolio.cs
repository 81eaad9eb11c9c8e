using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Http;

namespace Verity.Features.Portfolio;

/// <summary>The portfolio's <c>team</c> filter: every account the caller sees, or only those of their own team.</summary>
public enum PortfolioTeam
{
    All,
    Mine,
}

/// <summary>Which accounts the portfolio covers: the caller's whole view, narrowed by owner, segment, or their own team.</summary>
public sealed record PortfolioFilter(string? OwnerId, Segment? Segment, bool MyTeam)
{
    public static PortfolioFilter Parse(string? ownerId, string? segment, string? team) => new(
        string.IsNullOrWhiteSpace(ownerId) ? null : ownerId.Trim(),
        Query.Enum<Segment>("segment", segment),
        team switch
        {
            null or "" or "all" => false,
            "mine" => true,
            _ => throw new BadInputException("team", "Must be mine or all."),
        });

    /// <summary>The same filter as a query string, for the page's links and its CSV download.</summary>
    public string ToQuery() => string.Join("&", new[]
    {
        OwnerId is null ? null : "ownerId=" + Uri.EscapeDataString(OwnerId),
        Segment is null ? null : "segment=" + Json.Camel(Segment.Value.ToString()),
        MyTeam ? "team=mine" : null,
    }.OfType<string>());
}

public sealed record PortfolioQuarter(string Quarter, DateOnly From, DateOnly To, int Verified);

public sealed record PortfolioRenewal(string AccountId, string Account, DateOnly RenewalDate, decimal? Arr, HealthGrade? Grade, int VerifiedOutcomes);

public sealed record PortfolioAttention(string AccountId, string Account, HealthGrade? Grade, int OpenFindings, int OverdueInitiatives, IReadOnlyList<string> Reasons);

/// <summary>Renewals and growth deals closed in the last 12 months, for accounts with or without a verified outcome in the 12 months before the close.</summary>
public sealed record OutcomeCohort(int Renewals, int RenewalsWon, double? RenewalWinRate, int ExpansionDeals, decimal ExpansionArr);

public sealed record OutcomesAndRenewals(OutcomeCohort WithVerifiedOutcome, OutcomeCohort WithoutVerifiedOutcome);

public sealed record PortfolioResponse(
    DateOnly AsOf,
    int Accounts,
    decimal Arr,
    IReadOnlyDictionary<string, int> HealthMix,
    DateOnly? HealthAsOf,
    IReadOnlyDictionary<string, int> ObjectivesByStatus,
    IReadOnlyDictionary<string, int> ObjectivesByStage,
    IReadOnlyList<PortfolioQuarter> VerifiedPerQuarter,
    int RenewalsCount,
    decimal RenewalsArr,
    IReadOnlyList<PortfolioRenewal> Renewals,
    IReadOnlyDictionary<string, int> Compliance,
    IReadOnlyList<PortfolioAttention> Attention,
    OutcomesAndRenewals OutcomesAndRenewals,
    DateTime ComputedAt);

/// <summary>
/// The manager's view of a book of business. Every figure is an aggregate the database computes over the accounts in
/// view (a fixed number of commands however many accounts there are); health is each account's latest daily snapshot,
/// so the portfolio and the trend agree, and the page says which day it is from. A whole book's figures take a second
/// to add up at 10,000 accounts, so they are kept (<see cref="BookFigures"/>) until the book changes, and the answer
/// says when they were computed (<c>computedAt</c>).
/// </summary>
public static class PortfolioReport
{
    public const int RenewalDays = 90;
    public const int ListedRenewals = 50;
    public const int ListedAttention = 10;
    public const int Quarters = 8;

    /// <summary>Health mix key for accounts without a snapshot yet.</summary>
    public const string Unscored = "unscored";

    private const string Refusal = "The portfolio is the success team's view of its accounts.";

    public static void MapPortfolio(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Portfolio");
        group.MapGet("/portfolio", Get)
            .WithSummary("Get the portfolio")
            .WithDescription("The book of business at a glance, filtered by `ownerId`, `segment` and `team=mine`: accounts, ARR, health mix, objectives, verified outcomes per quarter, renewals, compliance and what needs attention. Vendor side only.");
        group.MapGet("/portfolio.csv", Csv).Produces<Stream>(StatusCodes.Status200OK, "text/csv; charset=utf-8")
            .WithSummary("Download the portfolio as CSV")
            .WithDescription("The account rows behind the portfolio, with the same filters, as a CSV file for a spreadsheet. Vendor side only.");
    }

    private static async Task<Ok<PortfolioResponse>> Get(
        BookFigures figures, Actor actor, TimeProvider clock, IOptions<CspThresholds> thresholds,
        string? ownerId, [ValuesOf<Segment>] string? segment, [ValuesOf<PortfolioTeam>] string? team, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var filter = PortfolioFilter.Parse(ownerId, segment, team);
        return TypedResults.Ok(await KeptAsync(figures, actor, filter, thresholds.Value, Today(clock), cancellationToken));
    }

    private static async Task<FileContentHttpResult> Csv(
        BookFigures figures, Actor actor, TimeProvider clock, string? ownerId, [ValuesOf<Segment>] string? segment, [ValuesOf<PortfolioTeam>] string? team, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var filter = PortfolioFilter.Parse(ownerId, segment, team);
        var today = Today(clock);
        var csv = await figures.GetAsync(KeyOf("csv", actor, filter, today), actor, (db, ct) => CsvAsync(db, actor, filter, today, ct), cancellationToken);
        return TypedResults.File(csv.Value, "text/csv; charset=utf-8", $"portfolio-{today:yyyy-MM-dd}.csv");
    }

    /// <summary>The portfolio as kept for everyone who sees the same accounts, computed when the book changed or the figures aged out.</summary>
    public static async Task<PortfolioResponse> KeptAsync(
        BookFigures figures, Actor actor, PortfolioFilter filter, CspThresholds thresholds, DateOnly today, CancellationToken cancellationToken)
    {
        var kept = await figures.GetAsync(KeyOf("portfolio", actor, filter, today), actor,
            (db, ct) => ReadAsync(db, actor, filter, thresholds, today, ct), cancellationToken);
        return kept.Value with { ComputedAt = kept.ComputedAt };
    }

    /// <summary>Every input of the figures besides the caller's scope: the day, the filters, and who "my team" is. The owner goes last (it is free text).</summary>
    private static string KeyOf(string what, Actor actor, PortfolioFilter filter, DateOnly today) =>
        $"{what}|{today:yyyy-MM-dd}|{filter.Segment}|{(filter.MyTeam ? "team:" + actor.UserId : "all")}|{filter.OwnerId}";

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The open accounts in view: the access filter, then the portfolio's own filters.</summary>
    public static IQueryable<Account> Scope(VerityDb db, Actor actor, PortfolioFilter filter)
    {
        var accounts = db.Accounts.AsNoTracking().Where(a => a.ArchivedAt == null);
        if (filter.OwnerId is { } owner)
        {
            accounts = accounts.Where(a => a.Team.Any(t => t.UserId == owner));
        }

        if (filter.Segment is { } segment)
        {
            accounts = accounts.Where(a => a.Segment == segment);
        }

        if (filter.MyTeam)
        {
            var me = actor.UserId;
            accounts = accounts.Where(a => a.Team.Any(t => t.UserId == me));
        }

        return accounts;
    }

    /// <summary>
    /// The ids of the accounts in view, for an account-owned set to be narrowed to them as <c>AccountId IN (…)</c>: the
    /// list is read once and each row looked up in it (SQLite walks each listed account's rows off their AccountId
    /// index), where a correlated <c>EXISTS</c> probed the accounts table once per row (200,000 objectives on the
    /// 10,000-account book: 0.19 s of SQLite's time for the objectives by status alone, 0.10 s this way).
    /// </summary>
    private static IQueryable<string> InScope(IQueryable<Account> scope) => scope.Select(a => a.Id);

    /// <summary>
    /// Open findings per account in view (accounts without any left out). Counted one account at a time off
    /// (AccountId, Status): grouped over the findings, SQLite walks every open finding of the book, the caller's or not.
    /// </summary>
    private static async Task<Dictionary<string, int>> OpenFindingsAsync(VerityDb db, IQueryable<Account> scope, CancellationToken cancellationToken) =>
        (await scope.Select(a => new { a.Id, Count = db.Findings.Count(f => f.AccountId == a.Id && f.Status == FindingStatus.Open) })
            .ToListAsync(cancellationToken))
        .Where(x => x.Count > 0)
        .ToDictionary(x => x.Id, x => x.Count);

    public static async Task<PortfolioResponse> ReadAsync(
        VerityDb db, Actor actor, PortfolioFilter filter, CspThresholds thresholds, DateOnly today, CancellationToken cancellationToken)
    {
        var scope = Scope(db, actor, filter);
        var inScope = InScope(scope);
        var totals = await scope.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Arr = g.Sum(a => a.Arr ?? 0m) })
            .FirstOrDefaultAsync(cancellationToken);
        var accounts = totals?.Count ?? 0;

        // Each account's latest snapshot, one primary-key probe per account (no grade: not scored yet).
        var grades = await scope
            .Select(a => new
            {
                Grade = db.HealthSnapshots.Where(s => s.AccountId == a.Id).OrderByDescending(s => s.TakenOn).Select(s => (HealthGrade?)s.Grade).FirstOrDefault(),
                TakenOn = db.HealthSnapshots.Where(s => s.AccountId == a.Id).Max(s => (DateOnly?)s.TakenOn),
            })
            .GroupBy(x => x.Grade)
            .Select(g => new { Grade = g.Key, Count = g.Count(), Latest = g.Max(x => x.TakenOn) })
            .ToListAsync(cancellationToken);
        var healthMix = Enum.GetValues<HealthGrade>().ToDictionary(Key, g => grades.Where(x => x.Grade == g).Sum(x => x.Count));
        healthMix[Unscored] = accounts - grades.Where(g => g.Grade is not null).Sum(g => g.Count);
        var scored = grades.Where(g => g.Grade is not null).ToList();

        var objectives = db.Objectives.AsNoTracking().Where(o => inScope.Contains(o.AccountId));
        // Both marginals from one pass over the index.
        var byStatusAndStage = await objectives.GroupBy(o => new { o.Status, o.OutcomeStage })
            .Select(g => new { g.Key.Status, g.Key.OutcomeStage, Count = g.Count() }).ToListAsync(cancellationToken);

        var quarters = QuartersEndingWith(today);
        var firstDay = quarters[0].From;
        var verified = await objectives
            .Where(o => o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= firstDay && o.OutcomeStageSince <= today)
            .GroupBy(o => new { o.OutcomeStageSince!.Value.Year, o.OutcomeStageSince.Value.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var perQuarter = quarters
            .Select(q => q with { Verified = verified.Where(v => InQuarter(q, v.Year, v.Month)).Sum(v => v.Count) })
            .ToList();

        var renewalEnd = today.AddDays(RenewalDays);
        var renewing = scope.Where(a => a.RenewalDate >= today && a.RenewalDate <= renewalEnd);
        var renewalTotals = await renewing.GroupBy(_ => 1)
            .Select(g => new { Count = g.Count(), Arr = g.Sum(a => a.Arr ?? 0m) })
            .FirstOrDefaultAsync(cancellationToken);
        var outcomesSince = today.AddYears(-1);
        var renewals = await renewing.OrderBy(a => a.RenewalDate).ThenBy(a => a.Id).Take(ListedRenewals)
            .Select(a => new
            {
                a.Id,
                a.Name,
                a.RenewalDate,
                a.Arr,
                Grade = db.HealthSnapshots.Where(s => s.AccountId == a.Id).OrderByDescending(s => s.TakenOn).Select(s => (HealthGrade?)s.Grade).FirstOrDefault(),
                Verified = db.Objectives.Count(o => o.AccountId == a.Id && o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= outcomesSince),
            })
            .ToListAsync(cancellationToken);

        var compliance = await ComplianceAsync(db, scope, thresholds, cancellationToken);
        var attention = await AttentionAsync(db, scope, today, cancellationToken);
        var outcomes = await OutcomesAndRenewalsAsync(db, scope, today, cancellationToken);

        return new PortfolioResponse(
            today,
            accounts,
            totals?.Arr ?? 0m,
            healthMix,
            scored.Count == 0 ? null : scored.Max(g => g.Latest),
            Enum.GetValues<ObjectiveStatus>().ToDictionary(Key, s => byStatusAndStage.Where(x => x.Status == s).Sum(x => x.Count)),
            Enum.GetValues<OutcomeStage>().ToDictionary(Key, s => byStatusAndStage.Where(x => x.OutcomeStage == s).Sum(x => x.Count)),
            perQuarter,
            renewalTotals?.Count ?? 0,
            renewalTotals?.Arr ?? 0m,
            renewals.Select(r => new PortfolioRenewal(r.Id, r.Name, r.RenewalDate!.Value, r.Arr, r.Grade, r.Verified)).ToList(),
            compliance,
            attention,
            outcomes,
            default);
    }

    /// <summary>The deals of the accounts in view by <see cref="CspStatus"/>, decided as <see cref="CspRequirement.Assess"/> decides, in two counts.</summary>
    private static async Task<Dictionary<string, int>> ComplianceAsync(VerityDb db, IQueryable<Account> scope, CspThresholds thresholds, CancellationToken cancellationToken)
    {
        var inScope = InScope(scope);
        var deals = db.Opportunities.AsNoTracking().Where(o => inScope.Contains(o.AccountId));
        var all = await deals.CountAsync(cancellationToken);
        var required = await deals.Where(Opportunities.CspCompliance.Required(db, thresholds))
            .Select(o => new
            {
                Excepted = o.CspExceptionApprovedAt != null,
                Linked = db.Plans.Any(p => p.Id == o.SuccessPlanId),
                Reviewed = db.Plans.Any(p => p.Id == o.SuccessPlanId && (p.Status == PlanStatus.SharedWithCustomer || p.Status == PlanStatus.CustomerAccepted)),
            })
            .GroupBy(x => new { x.Excepted, x.Linked, x.Reviewed })
            .Select(g => new { g.Key.Excepted, g.Key.Linked, g.Key.Reviewed, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var counts = Enum.GetValues<CspStatus>().ToDictionary(Key, _ => 0);
        counts[Key(CspStatus.NotRequired)] = all - required.Sum(r => r.Count);
        foreach (var r in required)
        {
            var status = r.Excepted ? CspStatus.Exception : !r.Linked ? CspStatus.Missing : r.Reviewed ? CspStatus.Compliant : CspStatus.InProgress;
            counts[Key(status)] += r.Count;
        }

        return counts;
    }

    /// <summary>
    /// The accounts to look at first: red health, then the most open findings and overdue initiatives. The candidates
    /// are the accounts with any of those, counted by the database; only the first few come back with their names.
    /// </summary>
    private static async Task<List<PortfolioAttention>> AttentionAsync(VerityDb db, IQueryable<Account> scope, DateOnly today, CancellationToken cancellationToken)
    {
        var inScope = InScope(scope);
        var findings = await OpenFindingsAsync(db, scope, cancellationToken);
        var overdue = await db.Initiatives.AsNoTracking()
            .Where(i => i.Status != InitiativeStatus.Done && i.DueDate < today && inScope.Contains(i.AccountId))
            .GroupBy(i => i.AccountId).Select(g => new { AccountId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.AccountId, x => x.Count, cancellationToken);
        var red = (await scope
                .Where(a => db.HealthSnapshots.Where(s => s.AccountId == a.Id).OrderByDescending(s => s.TakenOn).Select(s => (HealthGrade?)s.Grade).FirstOrDefault() == HealthGrade.Red)
                .Select(a => a.Id)
                .ToListAsync(cancellationToken))
            .ToHashSet();

        var ranked = findings.Keys.Union(overdue.Keys).Union(red)
            .Select(id => (Id: id, Red: red.Contains(id), Findings: findings.GetValueOrDefault(id), Overdue: overdue.GetValueOrDefault(id)))
            .OrderByDescending(x => x.Red).ThenByDescending(x => x.Findings + x.Overdue).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(ListedAttention)
            .ToList();
        var ids = ranked.Select(r => r.Id).ToList();
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id))
            .Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        return ranked.Where(r => names.ContainsKey(r.Id)).Select(r => new PortfolioAttention(
                r.Id,
                names[r.Id],
                r.Red ? HealthGrade.Red : null,
                r.Findings,
                r.Overdue,
                new[]
                {
                    r.Red ? "Health is red" : null,
                    r.Findings > 0 ? Count(r.Findings, "open finding") : null,
                    r.Overdue > 0 ? Count(r.Overdue, "overdue initiative") : null,
                }.OfType<string>().ToList()))
            .ToList();
    }

    /// <summary>
    /// Renewals closed in the last 12 months (won or lost) and growth deals won in them, split by whether the account
    /// had a verified outcome in the 12 months before the deal closed: does proving value pay?
    /// </summary>
    private static async Task<OutcomesAndRenewals> OutcomesAndRenewalsAsync(VerityDb db, IQueryable<Account> scope, DateOnly today, CancellationToken cancellationToken)
    {
        // A deal closed on its close date (from the CRM); without one, on the day it was last changed.
        var yearAgoDay = today.AddYears(-1);
        var yearAgo = yearAgoDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var inScope = InScope(scope);
        var closedDeals = db.Opportunities.AsNoTracking()
            .Where(o => inScope.Contains(o.AccountId) && (o.CloseDate != null ? o.CloseDate >= yearAgoDay : o.UpdatedAt >= yearAgo)
                && ((o.Type == OpportunityType.Renewal && (o.Stage == OpportunityStage.ClosedWon || o.Stage == OpportunityStage.ClosedLost))
                    || (o.Type == OpportunityType.Growth && o.Stage == OpportunityStage.ClosedWon)));
        var closed = await closedDeals
            .Select(o => new { o.AccountId, o.Type, Won = o.Stage == OpportunityStage.ClosedWon, o.NetArr, o.CloseDate, o.UpdatedAt })
            .ToListAsync(cancellationToken);
        var twoYearsAgo = today.AddYears(-2);

        // The accounts with such a deal as a subquery, not a list of ids: one SQL text, however many there are.
        var verifiedOn = (await db.Objectives.AsNoTracking()
                .Where(o => o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= twoYearsAgo && closedDeals.Select(d => d.AccountId).Contains(o.AccountId))
                .Select(o => new { o.AccountId, On = o.OutcomeStageSince!.Value })
                .ToListAsync(cancellationToken))
            .ToLookup(o => o.AccountId, o => o.On);

        var deals = closed.Select(c =>
        {
            var closedOn = c.CloseDate ?? DateOnly.FromDateTime(c.UpdatedAt);
            var proven = verifiedOn[c.AccountId].Any(on => on <= closedOn && on > closedOn.AddYears(-1));
            return (c.Type, c.Won, c.NetArr, Proven: proven);
        }).ToList();

        OutcomeCohort Cohort(bool proven)
        {
            var renewals = deals.Where(d => d.Proven == proven && d.Type == OpportunityType.Renewal).ToList();
            var growth = deals.Where(d => d.Proven == proven && d.Type == OpportunityType.Growth).ToList();
            var won = renewals.Count(r => r.Won);
            return new OutcomeCohort(renewals.Count, won, renewals.Count == 0 ? null : Math.Round((double)won / renewals.Count, 3),
                growth.Count, growth.Sum(g => g.NetArr));
        }

        return new OutcomesAndRenewals(Cohort(true), Cohort(false));
    }

    /// <summary>The last <see cref="Quarters"/> calendar quarters, oldest first, the current one last.</summary>
    public static List<PortfolioQuarter> QuartersEndingWith(DateOnly today)
    {
        var start = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1);
        return Enumerable.Range(0, Quarters).Reverse()
            .Select(back => start.AddMonths(-3 * back))
            .Select(from => new PortfolioQuarter($"{from.Year}-Q{((from.Month - 1) / 3) + 1}", from, from.AddMonths(3).AddDays(-1), 0))
            .ToList();
    }

    private static bool InQuarter(PortfolioQuarter q, int year, int month) =>
        new DateOnly(year, month, 1) is var first && first >= q.From && first <= q.To;

    private static string Count(int n, string what) => $"{n} {what}{(n == 1 ? "" : "s")}";

    private static string Key<T>(T value)
        where T : struct, Enum => Json.Camel(value.ToString());

    /// <summary>One row per account in view, with the figures the portfolio adds up; a handful of grouped queries however many rows.</summary>
    public static async Task<byte[]> CsvAsync(VerityDb db, Actor actor, PortfolioFilter filter, DateOnly today, CancellationToken cancellationToken)
    {
        var scope = Scope(db, actor, filter);
        var inScope = InScope(scope);
        var since = today.AddYears(-1);
        var accounts = await scope.OrderBy(a => a.Name).ThenBy(a => a.Id)
            .Select(a => new
            {
                a.Id, a.Name, a.ExternalId, a.Segment, a.Industry, a.Arr, a.RenewalDate,
                Owner = db.TeamMembers.Where(t => t.AccountId == a.Id && t.Role == TeamRole.CustomerSuccessManager)
                    .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => u.DisplayName).FirstOrDefault(),

                // The latest health snapshot, a primary-key probe each.
                Score = db.HealthSnapshots.Where(s => s.AccountId == a.Id).OrderByDescending(s => s.TakenOn).Select(s => (int?)s.Score).FirstOrDefault(),
                Grade = db.HealthSnapshots.Where(s => s.AccountId == a.Id).OrderByDescending(s => s.TakenOn).Select(s => (HealthGrade?)s.Grade).FirstOrDefault(),
                ScoredOn = db.HealthSnapshots.Where(s => s.AccountId == a.Id).Max(s => (DateOnly?)s.TakenOn),
            })
            .ToListAsync(cancellationToken);
        var objectives = await db.Objectives.AsNoTracking().Where(o => inScope.Contains(o.AccountId))
            .GroupBy(o => o.AccountId)
            .Select(g => new
            {
                AccountId = g.Key,
                Open = g.Count(o => o.Status == ObjectiveStatus.New || o.Status == ObjectiveStatus.WorkInProgress),
                Verified = g.Count(o => o.OutcomeStage == OutcomeStage.Verified && o.OutcomeStageSince >= since),
            })
            .ToDictionaryAsync(x => x.AccountId, cancellationToken);
        var findings = await OpenFindingsAsync(db, scope, cancellationToken);
        var overdue = await db.Initiatives.AsNoTracking()
            .Where(i => i.Status != InitiativeStatus.Done && i.DueDate < today && inScope.Contains(i.AccountId))
            .GroupBy(i => i.AccountId).Select(g => new { AccountId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.AccountId, x => x.Count, cancellationToken);

        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions(), false))
        {
            csv.WriteRecord(Columns);
            foreach (var a in accounts)
            {
                var counts = objectives.GetValueOrDefault(a.Id);
                string?[] cells =
                [
                    a.Id, a.Name, a.ExternalId, Words.Say(a.Segment), a.Industry, a.Owner,
                    a.Arr?.ToString("0.##", CultureInfo.InvariantCulture), a.RenewalDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    a.Grade is { } grade ? Words.Say(grade) : null, a.Score?.ToString(CultureInfo.InvariantCulture),
                    a.ScoredOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    (counts?.Open ?? 0).ToString(CultureInfo.InvariantCulture), (counts?.Verified ?? 0).ToString(CultureInfo.InvariantCulture),
                    findings.GetValueOrDefault(a.Id).ToString(CultureInfo.InvariantCulture), overdue.GetValueOrDefault(a.Id).ToString(CultureInfo.InvariantCulture),
                ];
                csv.WriteRecord(cells.Select(c => Documents.SpreadsheetArtifact.NoFormula(c ?? "")).ToArray());
            }
        }

        return buffer.ToArray();
    }

    public static readonly string[] Columns =
    [
        "Account id", "Account", "External id", "Segment", "Industry", "Customer success manager", "ARR", "Renewal date",
        "Health", "Health score", "Health as of", "Open objectives", "Verified outcomes (12 months)", "Open findings", "Overdue initiatives",
    ];
}
