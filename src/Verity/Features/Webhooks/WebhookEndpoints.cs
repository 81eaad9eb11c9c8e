using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Verity.Access;
using Verity.Data;
using Verity.Http;

namespace Verity.Features.Webhooks;

/// <summary>Webhook subscriptions and their delivery log: admins only.</summary>
public static class WebhookEndpoints
{
    public static void MapWebhooks(this IEndpointRouteBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapGet("/", List)
            .WithSummary("List webhooks")
            .WithDescription("The webhook subscriptions, with their events and whether they are enabled. Admins only.");
        webhooks.MapPost("/", Create).Accepts<WebhookInput>("application/json")
            .WithSummary("Subscribe a webhook")
            .WithDescription("Subscribes `url` to the `events` listed; the answer (201) carries the signing `secret` (`whsec_…`), shown only this once. Admins only.");
        webhooks.MapGet("/{id}", Get)
            .WithSummary("Get a webhook")
            .WithDescription("One subscription with its `ETag`; the secret is never shown again. Admins only.");
        webhooks.MapPatch("/{id}", Update).Accepts<WebhookInput>("application/json")
            .WithSummary("Change a webhook")
            .WithDescription("Changes `url`, `events`, `description` or `enabled` (a receiver's 410 disables it). Admins only; a stale `If-Match` answers 412.");
        webhooks.MapDelete("/{id}", Delete)
            .WithSummary("Remove a webhook")
            .WithDescription("Ends the subscription (204); no further deliveries are made. Admins only.");
        webhooks.MapGet("/{id}/deliveries", Deliveries)
            .WithSummary("List a webhook's deliveries")
            .WithDescription("Each delivery attempt with its event, status (`pending`, `delivered`, `failed`), the receiver's response status and the next retry. Admins only.");
        api.MapPost("/webhook-deliveries/{id}/redeliver", Redeliver).WithTags("Webhooks")
            .WithSummary("Deliver an event again")
            .WithDescription("Queues the same event again, with the same `webhook-id`, and answers 202 with the new delivery. Admins only; 409 while the webhook is disabled.");
    }

    private static async Task<Ok<Page<WebhookResponse>>> List(VerityDb db, Actor actor, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        return TypedResults.Ok(await db.WebhookSubscriptions.AsNoTracking()
            .PageAsync(limit, cursor, rows => rows.Select(s => WebhookResponse.From(s)), cancellationToken));
    }

    private static async Task<Created<NewWebhookResponse>> Create(
        HttpRequest request, VerityDb db, Actor actor, WebhookNetwork network, TimeProvider clock, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var subscription = await WebhookAdmin.CreateAsync(db, actor, network, clock, await Json.ReadAsync<WebhookInput>(request), cancellationToken);
        request.HttpContext.Response.Headers.ETag = WebhookAdmin.ETagOf(subscription);
        return TypedResults.Created($"/api/v1/webhooks/{subscription.Id}", NewWebhookResponse.From(subscription));
    }

    private static async Task<Ok<WebhookResponse>> Get(string id, VerityDb db, Actor actor, HttpResponse response, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var subscription = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken)
            ?? throw new NotFoundException("The webhook");
        response.Headers.ETag = WebhookAdmin.ETagOf(subscription);
        return TypedResults.Ok(WebhookResponse.From(subscription));
    }

    private static async Task<Ok<WebhookResponse>> Update(
        string id, HttpRequest request, VerityDb db, Actor actor, WebhookNetwork network, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        var subscription = await WebhookAdmin.ChangeAsync(
            db, actor, network, id, request.Headers.IfMatch.ToString(), current => Json.PatchAsync(request, current), cancellationToken);
        request.HttpContext.Response.Headers.ETag = WebhookAdmin.ETagOf(subscription);
        return TypedResults.Ok(WebhookResponse.From(subscription));
    }

    private static async Task<NoContent> Delete(string id, HttpRequest request, VerityDb db, Actor actor, CancellationToken cancellationToken)
    {
        await WebhookAdmin.DeleteAsync(db, actor, id, request.Headers.IfMatch.ToString(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<Page<DeliveryResponse>>> Deliveries(
        string id, VerityDb db, Actor actor, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        actor.EnsureAdmin("Only an admin manages webhooks.");
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, cancellationToken))
        {
            throw new NotFoundException("The webhook");
        }

        return TypedResults.Ok(await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id)
            .PageAsync(limit, cursor, rows => rows.Select(d => DeliveryResponse.From(d)), cancellationToken));
    }

    private static async Task<Accepted<DeliveryResponse>> Redeliver(string id, VerityDb db, Actor actor, TimeProvider clock, CancellationToken cancellationToken)
    {
        var delivery = await WebhookAdmin.RedeliverAsync(db, actor, clock, id, cancellationToken);
        return TypedResults.Accepted((string?)null, DeliveryResponse.From(delivery));
    }
}
