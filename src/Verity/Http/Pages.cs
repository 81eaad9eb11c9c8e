using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;

namespace Verity.Http;

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Keyset pagination over ids, which sort in creation order.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static async Task<Page<TOut>> PageAsync<TEntity, TOut>(
        this IQueryable<TEntity> query,
        int? limit,
        string? cursor,
        Func<IQueryable<TEntity>, IQueryable<TOut>> project,
        CancellationToken cancellationToken)
        where TEntity : class, IHasId
        where TOut : IHasId
    {
        var take = Take(limit);

        if (CheckCursor(cursor) is { } after)
        {
            query = query.Where(e => string.Compare(e.Id, after) > 0);
        }

        var rows = await project(query.OrderBy(e => e.Id).Take(take + 1)).ToListAsync(cancellationToken);
        var hasMore = rows.Count > take;
        if (hasMore)
        {
            rows.RemoveAt(take);
        }

        return new Page<TOut>(rows, hasMore ? rows[^1].Id : null);
    }

    /// <summary>The cursor as given, when it is one this API hands out (an id); null when there is none.</summary>
    public static string? CheckCursor(string? cursor) =>
        cursor is null || (cursor.Length == 32 && cursor.All(char.IsAsciiHexDigitLower))
            ? cursor
            : throw new BadInputException("cursor", "Is not a cursor this API handed out.");

    /// <summary>How many items a list answers: 50 unless asked, never more than 500.</summary>
    public static int Take(int? limit) => limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw new BadInputException("limit", $"Must be between 1 and {MaxLimit}."),
        _ => limit.Value,
    };
}
