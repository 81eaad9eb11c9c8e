using Verity.Data;

namespace Verity.Features.Webhooks;

/// <summary>
/// The events a subscription may ask for (API.md), and the one way to raise one: in the caller's context, so the
/// event and its deliveries are written by the same save as the change — both happen, or neither.
/// </summary>
public static class WebhookEvents
{
    public static readonly IReadOnlyList<string> Types =
    [
        "account.created", "account.updated",
        "plan.created", "plan.updated", "plan.accepted",
        "objective.created", "objective.updated", "objective.deleted", "objective.statusChanged", "objective.outcomeStageChanged",
        "confirmation.recorded", "measurement.recorded", "initiative.updated", "comment.created",
        "finding.opened", "finding.resolved",
        "opportunity.cspStatusChanged",
    ];

    /// <summary>
    /// Queues an event for every enabled subscription to <paramref name="type"/>. <paramref name="data"/> is the
    /// record exactly as its GET returns it. Nothing is saved here: the caller's next SaveChanges writes the event and
    /// its deliveries together with the change (and leaves them out when nobody subscribes to the type).
    /// </summary>
    public static void Raise(VerityDb db, string type, object data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Add(db, type, data);
    }

    /// <summary>
    /// As <see cref="Raise(VerityDb, string, object)"/>, with the record read when the save runs, after versions and
    /// times are stamped, so <c>data</c> carries what a GET right after the save would.
    /// </summary>
    internal static void Raise(VerityDb db, string type, Func<CancellationToken, Task<object>> read) => Add(db, type, read);

    private static void Add(VerityDb db, string type, object data)
    {
        if (!Types.Contains(type))
        {
            throw new ArgumentException($"'{type}' is not a webhook event; the events are: {string.Join(", ", Types)}.", nameof(type));
        }

        db.WebhookEvents.Add(new WebhookEvent { Type = type, Data = data });
    }
}
