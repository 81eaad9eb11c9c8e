using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Domain.Evidence;
using Verity.Domain.Objectives;
using Verity.Domain.Plans;
using Verity.Features.Accounts;
using Verity.Features.Comments;
using Verity.Features.Objectives;
using Verity.Features.Opportunities;
using Verity.Features.Plans;
using Verity.Http;

namespace Verity.Features.Webhooks;

/// <summary>
/// Raises the record events from what a save changes — so the API, the pages, the command line and the jobs all
/// raise them without one of them forgetting — and turns every queued event into its payload and one delivery per
/// subscription, in the same save. Runs after <see cref="HistoryInterceptor"/>, so payloads carry the new versions and times.
/// </summary>
public sealed class WebhookInterceptor(TimeProvider clock, IOptions<CspThresholds> thresholds) : SaveChangesInterceptor
{
    // PostgreSQL keeps instants to the microsecond, so that is what its GET returns; the payload says the same.
    private static readonly JsonSerializerOptions _microseconds = new(Json.Options) { Converters = { new MicrosecondInstants() } };

    private static readonly HashSet<string> _stamps = [nameof(Entity.Version), nameof(Entity.UpdatedAt), nameof(Entity.CreatedAt)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not VerityDb db)
        {
            return result;
        }

        RaiseRecordEvents(db);
        await RaiseCspChangesAsync(db, cancellationToken);
        var events = db.ChangeTracker.Entries<WebhookEvent>().Where(e => e.State == EntityState.Added && e.Entity.Payload.Length == 0).ToList();
        if (events.Count == 0)
        {
            return result;
        }

        // The payload is what an admin's GET returns, whoever made the change.
        var actor = db.Actor;
        db.Actor = Actor.System;
        try
        {
            var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Enabled).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var entry in events)
            {
                var e = entry.Entity;
                var receivers = subscriptions.Where(s => s.Events.Contains(e.Type)).ToList();
                if (receivers.Count == 0)
                {
                    entry.State = EntityState.Detached;
                    continue;
                }

                var data = e.Data is Func<CancellationToken, Task<object>> read ? await read(cancellationToken) : e.Data;
                e.Timestamp = now;
                e.Payload = JsonSerializer.Serialize(new { type = e.Type, timestamp = now, data }, db.Database.IsNpgsql() ? _microseconds : Json.Options);
                e.Data = null;
                foreach (var subscription in receivers)
                {
                    db.WebhookDeliveries.Add(new WebhookDelivery
                    {
                        SubscriptionId = subscription.Id, EventId = e.Id, Type = e.Type, Status = DeliveryStatus.Pending, NextAttemptAt = now,
                    });
                }
            }
        }
        finally
        {
            db.Actor = actor;
        }

        return result;
    }

    /// <summary>Created, updated, deleted and moved records, each with the body its GET returns.</summary>
    private void RaiseRecordEvents(VerityDb db)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            var added = entry.State == EntityState.Added;
            // A record whose parts changed (an initiative's tasks, an account's team) moved its version: that is a change too.
            var changed = entry.State == EntityState.Modified;
            switch (entry.Entity)
            {
                case Account account when added || changed:
                    WebhookEvents.Raise(db, added ? "account.created" : "account.updated", _ => Task.FromResult<object>(AccountResponse.From(account)));
                    break;
                case SuccessPlan plan when added || changed:
                    WebhookEvents.Raise(db, added ? "plan.created" : "plan.updated", ct => PlanAsync(db, plan, today, ct));
                    if (changed && Changed(entry).Contains(nameof(SuccessPlan.Status)) && plan.Status == PlanStatus.CustomerAccepted)
                    {
                        WebhookEvents.Raise(db, "plan.accepted", ct => PlanAsync(db, plan, today, ct));
                    }

                    break;
                case Objective objective:
                    if (added || changed || entry.State == EntityState.Deleted)
                    {
                        WebhookEvents.Raise(db, added ? "objective.created" : changed ? "objective.updated" : "objective.deleted",
                            ct => ObjectiveAsync(db, objective, today, ct));
                    }

                    if (changed && Changed(entry).Contains(nameof(Objective.Status)))
                    {
                        WebhookEvents.Raise(db, "objective.statusChanged", ct => ObjectiveAsync(db, objective, today, ct));
                    }

                    if (changed && Changed(entry).Contains(nameof(Objective.OutcomeStage)))
                    {
                        WebhookEvents.Raise(db, "objective.outcomeStageChanged", ct => ObjectiveAsync(db, objective, today, ct));
                    }

                    break;
                case Confirmation confirmation when added:
                    WebhookEvents.Raise(db, "confirmation.recorded", _ => Task.FromResult<object>(ConfirmationResponse.From(confirmation)));
                    break;
                case Measurement m when added:
                    WebhookEvents.Raise(db, "measurement.recorded", _ => Task.FromResult<object>(new MeasurementResponse(m.Id, m.MetricId, m.Value, m.At, m.Source)));
                    break;
                case Initiative initiative when changed:
                    WebhookEvents.Raise(db, "initiative.updated", async ct =>
                    {
                        await LoadAsync(db.Entry(initiative).Collection(i => i.Tasks), ct);
                        return InitiativeResponse.From(initiative);
                    });
                    break;
                case Comment comment when added:
                    WebhookEvents.Raise(db, "comment.created", async ct =>
                    {
                        var author = comment.AuthorId is null ? null
                            : await db.Users.Where(u => u.Id == comment.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
                        return new CommentResponse(comment.Id, comment.PlanId, comment.ObjectiveId, comment.Body, comment.AuthorId, author ?? "Someone", comment.Side, comment.CreatedAt);
                    });
                    break;
            }
        }
    }

    /// <summary>
    /// An opportunity's plan requirement is worked out, not stored: it moves when the opportunity, its account's focus
    /// flag or its plan's status changes. Each is assessed before and after the save; a different status is an event.
    /// </summary>
    private async Task RaiseCspChangesAsync(VerityDb db, CancellationToken cancellationToken)
    {
        var opportunities = db.ChangeTracker.Entries<Opportunity>().Where(e => e.State == EntityState.Modified).ToList();
        var plans = db.ChangeTracker.Entries<SuccessPlan>().Where(e => e.State is EntityState.Added or EntityState.Modified).ToDictionary(e => e.Entity.Id);
        var accounts = db.ChangeTracker.Entries<Account>().Where(e => e.State == EntityState.Modified).ToDictionary(e => e.Entity.Id);
        var movedPlans = plans.Values.Where(p => p.State == EntityState.Modified && Changed(p).Contains(nameof(SuccessPlan.Status))).Select(p => p.Entity.Id).ToList();
        var refocused = accounts.Values.Where(a => Changed(a).Contains(nameof(Account.IsFocusAccount))).Select(a => a.Entity.Id).ToList();
        if (opportunities.Count == 0 && movedPlans.Count == 0 && refocused.Count == 0)
        {
            return;
        }

        var actor = db.Actor;
        db.Actor = Actor.System;
        try
        {
            var tracked = opportunities.Select(e => e.Entity.Id).ToList();
            var others = movedPlans.Count == 0 && refocused.Count == 0 ? [] : await db.Opportunities.AsNoTracking()
                .Where(o => !tracked.Contains(o.Id) && ((o.SuccessPlanId != null && movedPlans.Contains(o.SuccessPlanId)) || refocused.Contains(o.AccountId)))
                .ToListAsync(cancellationToken);
            var pairs = opportunities.Select(e => (Before: (Opportunity)e.OriginalValues.ToObject(), After: e.Entity))
                .Concat(others.Select(o => (Before: o, After: o))).ToList();
            var accountIds = pairs.Select(p => p.After.AccountId).Distinct().ToList();
            var planIds = pairs.SelectMany(p => new[] { p.Before.SuccessPlanId, p.After.SuccessPlanId }).OfType<string>().Distinct().ToList();
            var focus = await db.Accounts.AsNoTracking().Where(a => accountIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.IsFocusAccount, cancellationToken);
            var statuses = await db.Plans.AsNoTracking().Where(p => planIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Status, cancellationToken);

            bool FocusBefore(string id) => accounts.TryGetValue(id, out var a) ? (bool)a.Property(nameof(Account.IsFocusAccount)).OriginalValue! : focus.GetValueOrDefault(id);
            bool FocusAfter(string id) => accounts.TryGetValue(id, out var a) ? a.Entity.IsFocusAccount : focus.GetValueOrDefault(id);
            PlanStatus? PlanBefore(string? id) => id is null ? null
                : plans.TryGetValue(id, out var p) ? p.State == EntityState.Added ? null : (PlanStatus)p.Property(nameof(SuccessPlan.Status)).OriginalValue!
                : statuses.TryGetValue(id, out var s) ? s : null;
            PlanStatus? PlanAfter(string? id) => id is null ? null
                : plans.TryGetValue(id, out var p) ? p.Entity.Status
                : statuses.TryGetValue(id, out var s) ? s : null;

            foreach (var (before, after) in pairs)
            {
                var was = CspRequirement.Assess(before, FocusBefore(before.AccountId), PlanBefore(before.SuccessPlanId), thresholds.Value).Status;
                var row = new OpportunityRow(after, FocusAfter(after.AccountId), PlanAfter(after.SuccessPlanId));
                if (CspRequirement.Assess(after, row.FocusAccount, row.PlanStatus, thresholds.Value).Status != was)
                {
                    WebhookEvents.Raise(db, "opportunity.cspStatusChanged", _ => Task.FromResult<object>(row.ToResponse(thresholds.Value)));
                }
            }
        }
        finally
        {
            db.Actor = actor;
        }
    }

    private static async Task<object> PlanAsync(VerityDb db, SuccessPlan plan, DateOnly today, CancellationToken cancellationToken)
    {
        await LoadAsync(db.Entry(plan).Collection(p => p.Sections), cancellationToken);
        return PlanResponse.From(plan, await ObjectiveReads.ForPlanAsync(db, plan.Id, today, cancellationToken));
    }

    private static async Task<object> ObjectiveAsync(VerityDb db, Objective objective, DateOnly today, CancellationToken cancellationToken)
    {
        await LoadAsync(db.Entry(objective).Collection(o => o.Confirmations), cancellationToken);
        return await ObjectiveReads.OneAsync(db, objective, today, cancellationToken);
    }

    /// <summary>The rest of a record that is not in memory; a new or deleted record has all it will have.</summary>
    private static async Task LoadAsync(CollectionEntry collection, CancellationToken cancellationToken)
    {
        if (!collection.IsLoaded && collection.EntityEntry.State is EntityState.Modified or EntityState.Unchanged)
        {
            await collection.LoadAsync(cancellationToken);
        }
    }

    /// <summary>The properties whose value really changed, leaving out the stamps every save moves.</summary>
    private static IEnumerable<string> Changed(EntityEntry entry) => entry.Properties
        .Where(p => p.IsModified && !_stamps.Contains(p.Metadata.Name)
            && !(p.Metadata.GetValueComparer()?.Equals(p.OriginalValue, p.CurrentValue) ?? Equals(p.OriginalValue, p.CurrentValue)))
        .Select(p => p.Metadata.Name);
}

/// <summary>Writes instants as PostgreSQL stores them: to the microsecond.</summary>
internal sealed class MicrosecondInstants : System.Text.Json.Serialization.JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTime();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(new DateTime(value.Ticks - (value.Ticks % 10), value.Kind));
}
