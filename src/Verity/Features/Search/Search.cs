using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Search;

/// <summary>
/// One row of the search index: the words a record is found by (lower case) and what a hit shows. The database keeps
/// it with triggers on the five searched tables — an FTS5 trigram table on SQLite, a table with a pg_trgm index on
/// PostgreSQL — so an insert through the API, the bulk loader or an import is searchable at once, and a search
/// never scans the records themselves.
/// </summary>
public sealed class SearchEntry : IAccountOwned
{
    public required string EntityId { get; init; }

    /// <summary><c>account</c>, <c>plan</c>, <c>objective</c>, <c>stakeholder</c> or <c>opportunity</c>.</summary>
    public required string Kind { get; init; }

    public required string AccountId { get; init; }

    public required string Title { get; init; }

    public required string Words { get; init; }
}

/// <summary>A hit: what it is, its title, where it sits (the account, the plan), and the page that shows it.</summary>
public sealed record SearchResult(string Kind, string Id, string Title, string Context, string Url);

public static class SearchEndpoints
{
    public const int MinimumLength = 2;

    /// <summary>The order hits come in, and the words a page groups them under.</summary>
    public static readonly IReadOnlyList<(string Kind, string Heading)> Kinds =
    [
        ("account", "Accounts"), ("plan", "Plans"), ("objective", "Objectives"), ("stakeholder", "Stakeholders"), ("opportunity", "Opportunities"),
    ];

    public static void MapSearch(this IEndpointRouteBuilder api) =>
        api.MapGet("/search", Get).WithTags("Search")
            .WithSummary("Search the book of business")
            .WithDescription("Finds accounts, plans, objectives, stakeholders and opportunities the caller may see by words (`q`) in their names and titles, each with a link. Vendor side only; customers find their plans in the portal.");

    private static async Task<Ok<Page<SearchResult>>> Get(
        VerityDb db, Actor actor, string? q, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureVendorSide("Search covers the success team's book of business; customers find their plans in the portal.");
        return TypedResults.Ok(await FindAsync(db, q, limit, cursor, cancellationToken));
    }

    /// <summary>
    /// The hits the caller may see, prefix matches first, then by kind and title. The index rows are filtered through
    /// the accounts set, so the same access filter that guards every page decides what a search reveals; archived
    /// accounts and what hangs off them stay out.
    /// </summary>
    public static async Task<Page<SearchResult>> FindAsync(VerityDb db, string? q, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var words = Normalise(q);
        if (words.Length < MinimumLength)
        {
            throw new BadInputException("q", $"Type at least {MinimumLength} letters to search.");
        }

        var take = Paging.Take(limit);
        var skip = 0;
        if (cursor is not null && (!int.TryParse(Encoding.UTF8.GetString(DecodeCursor(cursor)), NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            throw new BadInputException("cursor", "This cursor did not come from a search; start again without it.");
        }

        // LIKE without an ESCAPE clause is what SQLite's trigram index answers, so the wildcards are taken out instead.
        var pattern = "%" + words + "%";
        var prefix = words + "%";
        var hits = await db.SearchEntries.AsNoTracking()
            .Where(e => EF.Functions.Like(e.Words, pattern))
            .Where(e => db.Accounts.Any(a => a.Id == e.AccountId && a.ArchivedAt == null))
            .OrderByDescending(e => EF.Functions.Like(e.Words, prefix))
            .ThenBy(e => e.Kind == "account" ? 0 : e.Kind == "plan" ? 1 : e.Kind == "objective" ? 2 : e.Kind == "stakeholder" ? 3 : 4)
            .ThenBy(e => e.Title).ThenBy(e => e.EntityId)
            .Skip(skip).Take(take + 1)
            .Select(e => new { e.Kind, e.EntityId, e.Title, e.AccountId })
            .ToListAsync(cancellationToken);

        var page = hits.Take(take).ToList();
        var accountIds = page.Select(h => h.AccountId).Distinct().ToList();
        var accounts = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id))
            .Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, cancellationToken);
        var objectiveIds = page.Where(h => h.Kind == "objective").Select(h => h.EntityId).ToList();
        var objectivePlans = objectiveIds.Count == 0 ? [] : await db.Objectives.AsNoTracking().Where(o => objectiveIds.Contains(o.Id))
            .Join(db.Plans, o => o.PlanId, p => p.Id, (o, p) => new { o.Id, p.Title })
            .ToDictionaryAsync(x => x.Id, x => x.Title, cancellationToken);
        var stakeholderIds = page.Where(h => h.Kind == "stakeholder").Select(h => h.EntityId).ToList();
        var stakeholderTitles = stakeholderIds.Count == 0 ? [] : await db.Stakeholders.AsNoTracking().Where(s => stakeholderIds.Contains(s.Id))
            .Select(s => new { s.Id, s.Title }).ToDictionaryAsync(x => x.Id, x => x.Title, cancellationToken);

        var items = page.Select(h =>
        {
            var account = accounts.GetValueOrDefault(h.AccountId, "");
            return h.Kind switch
            {
                "account" => new SearchResult(h.Kind, h.EntityId, h.Title, "Account", $"/accounts/{h.EntityId}"),
                "plan" => new SearchResult(h.Kind, h.EntityId, h.Title, $"Plan · {account}", $"/plans/{h.EntityId}"),
                "objective" => new SearchResult(h.Kind, h.EntityId, h.Title,
                    objectivePlans.TryGetValue(h.EntityId, out var plan) ? $"Objective · {account} · {plan}" : $"Objective · {account}", $"/objectives/{h.EntityId}"),
                "stakeholder" => new SearchResult(h.Kind, h.EntityId, h.Title,
                    stakeholderTitles.GetValueOrDefault(h.EntityId) is { Length: > 0 } title ? $"Stakeholder · {title} · {account}" : $"Stakeholder · {account}",
                    $"/accounts/{h.AccountId}#stakeholders"),
                _ => new SearchResult(h.Kind, h.EntityId, h.Title, $"Opportunity · {account}", $"/accounts/{h.AccountId}#opportunities"),
            };
        }).ToList();
        var next = hits.Count > take ? Convert.ToBase64String(Encoding.UTF8.GetBytes((skip + take).ToString(CultureInfo.InvariantCulture))) : null;
        return new Page<SearchResult>(items, next);
    }

    /// <summary>
    /// Narrows accounts to those whose name, industry or CRM id holds the words, through the index: the accounts list
    /// (page and API) filters by it instead of reading every name.
    /// </summary>
    public static IQueryable<Domain.Accounts.Account> Matching(this IQueryable<Domain.Accounts.Account> accounts, VerityDb db, string? q)
    {
        var words = Normalise(q);
        if (words.Length == 0)
        {
            return accounts;
        }

        var pattern = "%" + words + "%";
        var ids = db.SearchEntries.Where(e => e.Kind == "account" && EF.Functions.Like(e.Words, pattern)).Select(e => e.EntityId);
        return accounts.Where(a => ids.Contains(a.Id));
    }

    /// <summary>Lower case, single spaces, no LIKE wildcards: the form the index keeps its words in.</summary>
    public static string Normalise(string? q) =>
        string.Join(' ', (q ?? "").Replace('%', ' ').Replace('_', ' ').ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static byte[] DecodeCursor(string cursor)
    {
        try
        {
            return Convert.FromBase64String(cursor);
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
