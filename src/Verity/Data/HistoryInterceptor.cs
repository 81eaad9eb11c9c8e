using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Data;

/// <summary>
/// Stamps times, moves versions and writes the history of every change, in the same save — so the
/// audit row and the change commit or fail together.
/// </summary>
public sealed class HistoryInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    private static readonly HashSet<string> _notAudited = [nameof(Entity.Version), nameof(Entity.CreatedAt), nameof(Entity.UpdatedAt)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is not VerityDb db)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var entries = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Where(e => e.Entity is Entity or AccountTeamMember)
            .ToList();

        foreach (var entry in entries)
        {
            var changes = Changes(entry);
            if (entry.State == EntityState.Modified && changes.Count == 0)
            {
                continue;
            }

            if (entry.Entity is Entity entity)
            {
                Stamp(entry, entity, now);
            }

            db.AuditEntries.Add(new AuditEntry
            {
                At = now,
                ActorId = db.Actor.UserId,
                EntityType = entry.Entity is AccountTeamMember ? "AccountTeam" : entry.Metadata.ClrType.Name,
                EntityId = entry.Entity switch
                {
                    Entity e => e.Id,
                    AccountTeamMember m => m.AccountId,
                    _ => throw new InvalidOperationException("Unexpected audited type."),
                },
                AccountId = entry.Entity switch
                {
                    Account a => a.Id,
                    IAccountOwned owned => owned.AccountId,
                    AccountTeamMember m => m.AccountId,
                    _ => null,
                },
                Action = entry.State switch
                {
                    EntityState.Added => "insert",
                    EntityState.Deleted => "delete",
                    _ => "update",
                },
                Changes = changes,
            });
        }
    }

    private static void Stamp(EntityEntry entry, Entity entity, DateTime now)
    {
        switch (entry.State)
        {
            case EntityState.Added:
                entity.CreatedAt = now;
                entity.UpdatedAt = now;
                break;
            case EntityState.Modified:
                entity.UpdatedAt = now;
                entity.Version++;
                break;
            case EntityState.Detached:
            case EntityState.Unchanged:
            case EntityState.Deleted:
                break;
        }
    }

    private static List<AuditChange> Changes(EntityEntry entry)
    {
        var properties = entry.Properties.Where(p => !_notAudited.Contains(p.Metadata.Name));
        if (entry.Entity is AccountTeamMember member)
        {
            var role = entry.Property(nameof(AccountTeamMember.Role));
            return
            [
                new AuditChange(
                    $"team.{member.UserId}",
                    entry.State == EntityState.Added ? null : Format(role.OriginalValue),
                    entry.State == EntityState.Deleted ? null : Format(role.CurrentValue)),
            ];
        }

        return entry.State switch
        {
            EntityState.Added => properties.Where(p => p.CurrentValue is not null)
                .Select(p => new AuditChange(Json.Camel(p.Metadata.Name), null, Format(p.CurrentValue))).ToList(),
            EntityState.Deleted => properties
                .Select(p => new AuditChange(Json.Camel(p.Metadata.Name), Format(p.OriginalValue), null)).ToList(),
            _ => properties
                .Select(p => new AuditChange(Json.Camel(p.Metadata.Name), Format(p.OriginalValue), Format(p.CurrentValue)))
                .Where(c => c.Old != c.New).ToList(),
        };
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        Enum e => Json.Camel(e.ToString()),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list => JsonSerializer.Serialize(list, Json.Options),
        _ => value.ToString(),
    };
}
