using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Http;

namespace Verity.Features.Health;

/// <summary>
/// Adoption figures per feature, use cases and support counts: what the customer uses of what they bought. Vendor-side
/// only, like health checks; a PUT replaces the account's whole set, checking every row before anything is written.
/// </summary>
public static class AdoptionEndpoints
{
    private const string Refusal = "Adoption, use cases and support figures are the team's own view; customers do not see them.";

    /// <summary>The most rows one PUT takes: years of daily figures for dozens of features.</summary>
    public const int MaxRows = 20_000;

    public static void MapAdoption(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("").WithTags("Health");
        group.MapGet("/accounts/{accountId}/adoption", GetAdoption)
            .WithSummary("Get adoption figures")
            .WithDescription("Licensed and active users per feature over time (between `from` and `to`), with each feature's latest utilisation. Vendor side only.");
        group.MapPut("/accounts/{accountId}/adoption", PutAdoption).Accepts<List<AdoptionInput>>("application/json")
            .WithSummary("Record adoption figures")
            .WithDescription("Adds or replaces the figures sent, one per feature and date. The account's team and managers, directors and admins may.");
        group.MapGet("/accounts/{accountId}/use-cases", GetUseCases)
            .WithSummary("Get the account's use cases")
            .WithDescription("The account's use cases and how far each has got (`notStarted`, `piloting`, `production`). Vendor side only.");
        group.MapPut("/accounts/{accountId}/use-cases", PutUseCases).Accepts<List<UseCaseInput>>("application/json")
            .WithSummary("Replace the account's use cases")
            .WithDescription("Replaces the account's list of use cases and their stages with the list sent. The account's team and managers, directors and admins may.");
        group.MapGet("/accounts/{accountId}/support", GetSupport)
            .WithSummary("Get support figures")
            .WithDescription("Support tickets over time: open, closed, critical and enhancement requests. Vendor side only.");
        group.MapPut("/accounts/{accountId}/support", PutSupport).Accepts<List<SupportInput>>("application/json")
            .WithSummary("Record support figures")
            .WithDescription("Adds or replaces the support figures sent, one per date. The account's team and managers, directors and admins may.");
    }

    // ---- adoption ----

    private static async Task<Ok<AdoptionResponse>> GetAdoption(
        string accountId, VerityDb db, Actor actor, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        await db.Accounts.AsNoTracking().GetAsync(accountId, cancellationToken);
        return TypedResults.Ok(await ReadAdoptionAsync(db, accountId, from, to, cancellationToken));
    }

    /// <summary>The account's figures between <paramref name="from"/> and <paramref name="to"/> (inclusive), and each feature's latest among them.</summary>
    public static async Task<AdoptionResponse> ReadAdoptionAsync(
        VerityDb db, string accountId, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        if (from is { } f && to is { } t && f > t)
        {
            throw new BadInputException("from", "Must not be after to.");
        }

        var query = db.AdoptionFigures.AsNoTracking().Where(a => a.AccountId == accountId);
        if (from is { } start)
        {
            query = query.Where(a => a.At >= start);
        }

        if (to is { } end)
        {
            query = query.Where(a => a.At <= end);
        }

        var rows = await query.OrderBy(a => a.Feature).ThenBy(a => a.At)
            .Select(a => new AdoptionItem(a.Feature, a.At, a.LicensedUsers, a.ActiveUsers))
            .ToListAsync(cancellationToken);
        return Summarise(rows, rows);
    }

    /// <summary>Only each feature's latest row (the account page's table), however long the history.</summary>
    public static async Task<AdoptionResponse> ReadLatestAdoptionAsync(VerityDb db, string accountId, CancellationToken cancellationToken)
    {
        var rows = await db.AdoptionFigures.AsNoTracking()
            .Where(a => a.AccountId == accountId
                && a.At == db.AdoptionFigures.Where(x => x.AccountId == a.AccountId && x.Feature == a.Feature).Max(x => x.At))
            .OrderBy(a => a.Feature)
            .Select(a => new AdoptionItem(a.Feature, a.At, a.LicensedUsers, a.ActiveUsers))
            .ToListAsync(cancellationToken);
        return Summarise([], rows);
    }

    /// <summary>
    /// Each feature's latest row and every row between <paramref name="from"/> and <paramref name="to"/>, in one read
    /// (the account page shows both, and the latest rows mostly lie in the range): the same answers as
    /// <see cref="ReadLatestAdoptionAsync"/> and <see cref="ReadAdoptionAsync"/>'s items.
    /// </summary>
    public static async Task<(AdoptionResponse Latest, IReadOnlyList<AdoptionItem> Between)> ReadLatestAndBetweenAsync(
        VerityDb db, string accountId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var rows = await db.AdoptionFigures.AsNoTracking()
            .Where(a => a.AccountId == accountId
                && ((a.At >= from && a.At <= to)
                    || a.At == db.AdoptionFigures.Where(x => x.AccountId == a.AccountId && x.Feature == a.Feature).Max(x => x.At)))
            .OrderBy(a => a.Feature).ThenBy(a => a.At)
            .Select(a => new AdoptionItem(a.Feature, a.At, a.LicensedUsers, a.ActiveUsers))
            .ToListAsync(cancellationToken);
        return (Summarise([], rows), rows.Where(r => r.At >= from && r.At <= to).ToList());
    }

    private static AdoptionResponse Summarise(List<AdoptionItem> items, List<AdoptionItem> rows)
    {
        var latest = rows.GroupBy(r => r.Feature, StringComparer.Ordinal)
            .Select(g => g.MaxBy(r => r.At)!)
            .Select(r => new AdoptionLatest(r.Feature, r.At, r.LicensedUsers, r.ActiveUsers, AdoptionFigure.Utilisation(r.LicensedUsers, r.ActiveUsers)))
            .ToList();
        var licensed = latest.Sum(l => (long)l.LicensedUsers);
        var active = latest.Sum(l => (long)l.ActiveUsers);
        return new AdoptionResponse(items, latest, licensed > 0 ? Math.Round(100.0 * active / licensed, 1, MidpointRounding.AwayFromZero) : null);
    }

    private static async Task<Ok<AdoptionResponse>> PutAdoption(
        string accountId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        var rows = CheckCount(await Json.ReadListAsync<AdoptionInput>(request));
        var seen = new Dictionary<(string, DateOnly), int>();
        var figures = new List<AdoptionFigure>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var feature = row.Feature!.Trim();
            if (feature.Length == 0)
            {
                throw new BadInputException($"[{i}].feature", "Is required.");
            }

            if (row.ActiveUsers > row.LicensedUsers)
            {
                throw new BadInputException($"[{i}].activeUsers", $"Must not be more than licensedUsers ({row.LicensedUsers}).");
            }

            if (!seen.TryAdd((feature.ToUpperInvariant(), row.At!.Value), i))
            {
                throw new BadInputException($"[{i}].at", $"Row {seen[(feature.ToUpperInvariant(), row.At.Value)]} already gives {feature} on {row.At:yyyy-MM-dd}; give each feature once a day.");
            }

            figures.Add(new AdoptionFigure
            {
                AccountId = account.Id, Feature = feature, At = row.At.Value, LicensedUsers = row.LicensedUsers!.Value, ActiveUsers = row.ActiveUsers!.Value,
            });
        }

        await ReplaceAsync(db, account.Id, db.AdoptionFigures.Where(a => a.AccountId == account.Id), figures, cancellationToken);
        return TypedResults.Ok(await ReadAdoptionAsync(db, account.Id, null, null, cancellationToken));
    }

    // ---- use cases ----

    private static async Task<Ok<UseCasesResponse>> GetUseCases(string accountId, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        await db.Accounts.AsNoTracking().GetAsync(accountId, cancellationToken);
        return TypedResults.Ok(await ReadUseCasesAsync(db, accountId, cancellationToken));
    }

    public static async Task<UseCasesResponse> ReadUseCasesAsync(VerityDb db, string accountId, CancellationToken cancellationToken) =>
        new(await db.UseCases.AsNoTracking().Where(u => u.AccountId == accountId).OrderBy(u => u.Position)
            .Select(u => new UseCaseItem(u.Name, u.Stage))
            .ToListAsync(cancellationToken));

    private static async Task<Ok<UseCasesResponse>> PutUseCases(
        string accountId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        var rows = CheckCount(await Json.ReadListAsync<UseCaseInput>(request));
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var useCases = new List<UseCase>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var name = rows[i].Name!.Trim();
            if (name.Length == 0)
            {
                throw new BadInputException($"[{i}].name", "Is required.");
            }

            if (!seen.TryAdd(name, i))
            {
                throw new BadInputException($"[{i}].name", $"Row {seen[name]} already names this use case; give each use case once.");
            }

            useCases.Add(new UseCase { AccountId = account.Id, Position = i, Name = name, Stage = rows[i].Stage!.Value });
        }

        await ReplaceAsync(db, account.Id, db.UseCases.Where(u => u.AccountId == account.Id), useCases, cancellationToken);
        return TypedResults.Ok(await ReadUseCasesAsync(db, account.Id, cancellationToken));
    }

    // ---- support ----

    private static async Task<Ok<SupportResponse>> GetSupport(string accountId, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        await db.Accounts.AsNoTracking().GetAsync(accountId, cancellationToken);
        return TypedResults.Ok(await ReadSupportAsync(db, accountId, cancellationToken));
    }

    public static async Task<SupportResponse> ReadSupportAsync(VerityDb db, string accountId, CancellationToken cancellationToken)
    {
        var rows = await db.SupportFigures.AsNoTracking().Where(s => s.AccountId == accountId).OrderBy(s => s.At)
            .Select(s => new SupportItem(s.At, s.Open, s.Closed, s.Critical, s.EnhancementRequests))
            .ToListAsync(cancellationToken);
        return new SupportResponse(rows, rows.Count == 0 ? null : rows[^1]);
    }

    private static async Task<Ok<SupportResponse>> PutSupport(
        string accountId, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide(Refusal);
        var account = await db.Accounts.GetAsync(accountId, cancellationToken);
        actor.EnsureCanWrite();
        var rows = CheckCount(await Json.ReadListAsync<SupportInput>(request));
        var seen = new Dictionary<DateOnly, int>();
        var figures = new List<SupportFigure>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Critical > row.Open)
            {
                throw new BadInputException($"[{i}].critical", $"Counts open critical tickets, so must not be more than open ({row.Open}).");
            }

            if (!seen.TryAdd(row.At!.Value, i))
            {
                throw new BadInputException($"[{i}].at", $"Row {seen[row.At.Value]} already gives the counts of {row.At:yyyy-MM-dd}; give each day once.");
            }

            figures.Add(new SupportFigure
            {
                AccountId = account.Id, At = row.At.Value, Open = row.Open!.Value, Closed = row.Closed!.Value, Critical = row.Critical!.Value,
                EnhancementRequests = row.EnhancementRequests!.Value,
            });
        }

        await ReplaceAsync(db, account.Id, db.SupportFigures.Where(s => s.AccountId == account.Id), figures, cancellationToken);
        return TypedResults.Ok(await ReadSupportAsync(db, account.Id, cancellationToken));
    }

    // ---- shared ----

    private static List<T> CheckCount<T>(List<T> rows) =>
        rows.Count > MaxRows ? throw new BadInputException("body", $"Give at most {MaxRows:N0} rows in one request.") : rows;

    /// <summary>
    /// Swaps the old set for the new one in one transaction: a reader sees either the old set or the new, never a mix.
    /// Two PUTs to one account take turns: the first holds the account's row (an update that changes nothing) until it
    /// commits, so the second deletes what the first wrote instead of clashing with it.
    /// </summary>
    private static async Task ReplaceAsync<T>(VerityDb db, string accountId, IQueryable<T> old, List<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(a => a.SetProperty(x => x.Version, x => x.Version), cancellationToken);
        await old.ExecuteDeleteAsync(cancellationToken);
        db.Set<T>().AddRange(rows);
        await db.SaveChangesAsync(cancellationToken);
        await db.BookChangedAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}

public sealed record AdoptionInput
{
    [Mandatory, Name]
    public string? Feature { get; init; }

    [Mandatory, PlausibleDate]
    public DateOnly? At { get; init; }

    [Mandatory, NonNegative]
    public int? LicensedUsers { get; init; }

    /// <summary>At most <see cref="LicensedUsers"/>.</summary>
    [Mandatory, NonNegative]
    public int? ActiveUsers { get; init; }
}

public sealed record UseCaseInput
{
    [Mandatory, Name]
    public string? Name { get; init; }

    [Mandatory]
    public UseCaseStage? Stage { get; init; }
}

public sealed record SupportInput
{
    [Mandatory, PlausibleDate]
    public DateOnly? At { get; init; }

    [Mandatory, NonNegative]
    public int? Open { get; init; }

    [Mandatory, NonNegative]
    public int? Closed { get; init; }

    /// <summary>Open critical tickets: at most <see cref="Open"/>.</summary>
    [Mandatory, NonNegative]
    public int? Critical { get; init; }

    [Mandatory, NonNegative]
    public int? EnhancementRequests { get; init; }
}

public sealed record AdoptionItem(string Feature, DateOnly At, int LicensedUsers, int ActiveUsers);

/// <summary>A feature's latest figures; <see cref="Utilisation"/> is active ÷ licensed in percent (null when nobody is licensed).</summary>
public sealed record AdoptionLatest(string Feature, DateOnly At, int LicensedUsers, int ActiveUsers, double? Utilisation);

/// <summary>
/// The figures asked for (by feature, then date), each feature's latest, and <see cref="Utilisation"/>: Σ active ÷ Σ
/// licensed over those latest rows, in percent — the figure the health score's adoption measure uses.
/// </summary>
public sealed record AdoptionResponse(IReadOnlyList<AdoptionItem> Items, IReadOnlyList<AdoptionLatest> Latest, double? Utilisation);

public sealed record UseCaseItem(string Name, UseCaseStage Stage);

public sealed record UseCasesResponse(IReadOnlyList<UseCaseItem> Items);

public sealed record SupportItem(DateOnly At, int Open, int Closed, int Critical, int EnhancementRequests);

/// <summary>The counts by date, oldest first, and the latest (what the health score's support measure reads).</summary>
public sealed record SupportResponse(IReadOnlyList<SupportItem> Items, SupportItem? Latest);
