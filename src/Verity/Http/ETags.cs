using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;

namespace Verity.Http;

/// <summary>Optimistic concurrency: the ETag is the record's version; If-Match must name the current one.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    public static void Set(HttpResponse response, int version) => response.Headers.ETag = For(version);

    /// <summary>
    /// Refuses the write when If-Match names another version, and makes the database refuse it too
    /// when another writer gets in between this read and the save.
    /// </summary>
    public static void Check(HttpRequest request, DbContext db, Entity entity) => Check(request.Headers.IfMatch.ToString(), db, entity);

    /// <summary>The same check for a version a page carried in its form.</summary>
    public static void Check(string? ifMatch, DbContext db, Entity entity)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }

        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(t => t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t);
        if (!tags.Contains(For(entity.Version)))
        {
            throw new PreconditionFailedException();
        }

        db.Entry(entity).Property(e => e.Version).OriginalValue = entity.Version;
    }

    /// <summary>
    /// A record whose parts changed (a plan's sections, an initiative's tasks, an account's team) has
    /// changed as a whole, so its version moves even when none of its own fields did.
    /// </summary>
    public static void MoveWithParts(DbContext db, Entity entity)
    {
        if (db.Entry(entity).State == EntityState.Unchanged && db.ChangeTracker.HasChanges())
        {
            entity.Version++;
        }
    }
}
