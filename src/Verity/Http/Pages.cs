using System.Linq.Expressions;
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
        where TEntity : Entity
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

    /// <summary>
    /// The same pages over records that are not <see cref="Entity"/> (users, tokens): rows are read whole,
    /// by their <paramref name="id"/>, and turned into responses by <paramref name="respond"/>.
    /// </summary>
    public static async Task<Page<TOut>> PageAsync<TRow, TOut>(
        this IQueryable<TRow> query,
        int? limit,
        string? cursor,
        Expression<Func<TRow, string>> id,
        Func<TRow, TOut> respond,
        CancellationToken cancellationToken)
    {
        var take = Take(limit);
        if (CheckCursor(cursor) is { } after)
        {
            // string.Compare(id, after) > 0, with `after` as a query parameter.
            var compare = Expression.Call(
                typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!,
                id.Body,
                Expression.Property(Expression.Constant(new CursorValue(after)), nameof(CursorValue.After)));
            query = query.Where(Expression.Lambda<Func<TRow, bool>>(Expression.GreaterThan(compare, Expression.Constant(0)), id.Parameters));
        }

        var rows = await query.OrderBy(id).Take(take + 1).ToListAsync(cancellationToken);
        var next = rows.Count > take ? id.Compile()(rows[take - 1]) : null;
        return new Page<TOut>(rows.Take(take).Select(respond).ToList(), next);
    }

    private sealed record CursorValue(string After);

    private static string? CheckCursor(string? cursor) =>
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
