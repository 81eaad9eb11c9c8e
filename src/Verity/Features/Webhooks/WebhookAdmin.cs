using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Domain.Common;
using Verity.Http;

namespace Verity.Features.Webhooks;

public sealed record WebhookInput
{
    [Mandatory, StringLength(2000)]
    public string? Url { get; init; }

    [Mandatory]
    public List<string>? Events { get; init; }

    [StringLength(500)]
    public string? Description { get; init; }

    public bool Enabled { get; init; } = true;

    public static WebhookInput From(WebhookSubscription s) => new() { Url = s.Url, Events = [.. s.Events], Description = s.Description, Enabled = s.Enabled };
}

public sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason, DateTime CreatedAt) : IHasId
{
    public static WebhookResponse From(WebhookSubscription s) => new(s.Id, s.Url, s.Events, s.Description, s.Enabled, s.DisabledReason, s.CreatedAt);
}

/// <summary>A new subscription: the only time its secret is shown.</summary>
public sealed record NewWebhookResponse(
    string Id, string Url, IReadOnlyList<string> Events, string? Description, bool Enabled, string? DisabledReason, DateTime CreatedAt, string Secret)
{
    public static NewWebhookResponse From(WebhookSubscription s) => new(s.Id, s.Url, s.Events, s.Description, s.Enabled, s.DisabledReason, s.CreatedAt, s.Secret);
}

public sealed record DeliveryResponse(
    string Id, string EventId, string Type, int Attempt, DeliveryStatus Status, int? ResponseStatus, DateTime? NextAttemptAt,
    string? LastError, DateTime? DeliveredAt) : IHasId
{
    public static DeliveryResponse From(WebhookDelivery d) => new(
        d.Id, d.EventId, d.Type, d.Attempt, d.Status, d.ResponseStatus, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastError, d.DeliveredAt);
}

/// <summary>Subscribing, changing, removing and redelivering: the admin API and the webhooks page share these.</summary>
public static class WebhookAdmin
{
    public static async Task<WebhookSubscription> CreateAsync(
        VerityDb db, Actor actor, WebhookNetwork network, TimeProvider clock, WebhookInput input, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var events = await CheckAsync(network, input, cancellationToken);
        var subscription = new WebhookSubscription
        {
            Url = input.Url!.Trim(),
            EventTypes = string.Join(' ', events),
            Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim(),
            Secret = WebhookSignature.NewSecret(),
            Enabled = input.Enabled,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(cancellationToken);
        return subscription;
    }

    public static async Task<WebhookSubscription> ChangeAsync(
        VerityDb db, Actor actor, WebhookNetwork network, string id, string? ifMatch, Func<WebhookInput, Task<WebhookInput>> change,
        CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var subscription = await FindAsync(db, id, cancellationToken);
        CheckVersion(db, subscription, ifMatch);
        var input = await change(WebhookInput.From(subscription));
        var events = await CheckAsync(network, input, cancellationToken);
        subscription.Url = input.Url!.Trim();
        subscription.EventTypes = string.Join(' ', events);
        subscription.Description = string.IsNullOrWhiteSpace(input.Description) ? null : input.Description.Trim();
        if (input.Enabled != subscription.Enabled)
        {
            subscription.Enabled = input.Enabled;
            subscription.DisabledReason = null;
        }

        if (db.Entry(subscription).State == EntityState.Modified || db.ChangeTracker.HasChanges())
        {
            subscription.Version++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return subscription;
    }

    public static async Task DeleteAsync(VerityDb db, Actor actor, string id, string? ifMatch, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var subscription = await FindAsync(db, id, cancellationToken);
        CheckVersion(db, subscription, ifMatch);
        db.WebhookSubscriptions.Remove(subscription);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sends the same event again, with the same <c>webhook-id</c>, as soon as the sender gets to it.</summary>
    public static async Task<WebhookDelivery> RedeliverAsync(VerityDb db, Actor actor, TimeProvider clock, string id, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var delivery = await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw new NotFoundException("The delivery");
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == delivery.SubscriptionId && s.Enabled, cancellationToken))
        {
            throw new ConflictException("The webhook is disabled: enable it first, then redeliver.");
        }

        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempt = 0;
        delivery.NextAttemptAt = clock.GetUtcNow().UtcDateTime;
        delivery.ClaimedUntil = null;
        delivery.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
        return delivery;
    }

    public static string ETagOf(WebhookSubscription subscription) => ETags.For(subscription.Version);

    private static async Task<WebhookSubscription> FindAsync(VerityDb db, string id, CancellationToken cancellationToken) =>
        await db.WebhookSubscriptions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken) ?? throw new NotFoundException("The webhook");

    private static void CheckVersion(VerityDb db, WebhookSubscription subscription, string? ifMatch)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
        {
            return;
        }

        var tags = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => t.StartsWith("W/", StringComparison.Ordinal) ? t[2..] : t);
        if (!tags.Contains(ETagOf(subscription)))
        {
            throw new PreconditionFailedException();
        }

        db.Entry(subscription).Property(s => s.Version).OriginalValue = subscription.Version;
    }

    /// <summary>The URL may receive webhooks and the events are known ones: the events, each once, in the catalogue's order.</summary>
    private static async Task<List<string>> CheckAsync(WebhookNetwork network, WebhookInput input, CancellationToken cancellationToken)
    {
        Json.Validate(input);
        var errors = new Dictionary<string, string[]>();
        if (await network.RefusalAsync(input.Url?.Trim(), cancellationToken) is { } refusal)
        {
            errors["url"] = [refusal];
        }

        var events = input.Events ?? [];
        var unknown = events.Where(e => !WebhookEvents.Types.Contains(e)).ToList();
        if (events.Count == 0)
        {
            errors["events"] = [$"Name at least one event: {string.Join(", ", WebhookEvents.Types)}."];
        }
        else if (unknown.Count > 0)
        {
            errors["events"] = [$"Unknown event {string.Join(", ", unknown.Select(u => $"'{u}'"))}. Must be among: {string.Join(", ", WebhookEvents.Types)}."];
        }

        if (errors.Count > 0)
        {
            throw new BadInputException(errors);
        }

        return WebhookEvents.Types.Where(events.Contains).ToList();
    }
}
