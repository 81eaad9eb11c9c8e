using Verity.Domain.Common;

namespace Verity.Features.Webhooks;

public enum DeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// <summary>A receiver that asked for some of Verity's events: where they go, and the secret they are signed with.</summary>
public sealed class WebhookSubscription : IHasId
{
    public string Id { get; init; } = Ids.New();

    public required string Url { get; set; }

    /// <summary>The event types, space-separated (<c>objective.statusChanged plan.accepted</c>).</summary>
    public required string EventTypes { get; set; }

    public string? Description { get; set; }

    /// <summary><c>whsec_</c> and the base64 of the key: shown once, when the subscription is made.</summary>
    public required string Secret { get; init; }

    public bool Enabled { get; set; } = true;

    /// <summary>Why Verity disabled it by itself (a 410 from the receiver); null when an admin did, or it is enabled.</summary>
    public string? DisabledReason { get; set; }

    public int Version { get; set; } = 1;

    public DateTime CreatedAt { get; init; }

    public IReadOnlyList<string> Events => EventTypes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// Something that happened, as its receivers get it: the id is the <c>webhook-id</c> header, the same on every
/// attempt, and the payload is the exact body that is signed and sent.
/// </summary>
public sealed class WebhookEvent : IHasId
{
    public string Id { get; init; } = "msg_" + Ids.New();

    public required string Type { get; init; }

    public DateTime Timestamp { get; set; }

    /// <summary><c>{ "type", "timestamp", "data" }</c>, written when the change is saved.</summary>
    public string Payload { get; set; } = "";

    /// <summary>What becomes <c>data</c>: the record, or how to read it once the save has stamped it.</summary>
    internal object? Data { get; set; }
}

/// <summary>One event on its way to one subscription: attempts, the last answer, and when to try again.</summary>
public sealed class WebhookDelivery : IHasId
{
    public string Id { get; init; } = Ids.New();

    public required string SubscriptionId { get; init; }

    public required string EventId { get; init; }

    public required string Type { get; init; }

    /// <summary>How many attempts were made.</summary>
    public int Attempt { get; set; }

    public DeliveryStatus Status { get; set; }

    public int? ResponseStatus { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTime? DeliveredAt { get; set; }

    /// <summary>A sender that took the delivery holds it until then, so two nodes never send it at once.</summary>
    public DateTime? ClaimedUntil { get; set; }
}
