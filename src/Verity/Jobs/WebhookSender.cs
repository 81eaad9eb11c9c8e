using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verity.Data;
using Verity.Features.Webhooks;

namespace Verity.Jobs;

/// <summary>
/// Delivers webhook events: due deliveries are claimed (so two nodes never send one at once), each POSTed on its
/// own, signed as Standard Webhooks says, and retried on its schedule. No database transaction is held while a
/// receiver answers, and a slow receiver holds up only its own deliveries.
/// </summary>
public sealed class WebhookSender(
    IServiceProvider services, IHttpClientFactory http, IOptionsMonitor<WebhookSettings> settings, TimeProvider clock, ILogger<WebhookSender> log)
    : BackgroundService
{
    /// <summary>How many deliveries may be under way at once on this node.</summary>
    private const int Parallel = 16;

    private readonly SemaphoreSlim _slots = new(Parallel, Parallel);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StartDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be migrating or away; the next round tries again.
                log.LogWarning(e, "Webhook deliveries could not be read; trying again shortly.");
            }

            await Task.Delay(settings.CurrentValue.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Claims as many due deliveries as there are free slots and sends each on its own.</summary>
    private async Task StartDueAsync(CancellationToken stoppingToken)
    {
        var free = _slots.CurrentCount;
        if (free == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var claim = now + settings.CurrentValue.Timeout + TimeSpan.FromMinutes(1);
        await using var db = services.CreateSystemContext();
        var due = await db.WebhookDeliveries
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .Where(d => db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Enabled))
            .OrderBy(d => d.NextAttemptAt).Select(d => d.Id).Take(free).ToListAsync(stoppingToken);
        foreach (var id in due)
        {
            if (await db.WebhookDeliveries.Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
                    .ExecuteUpdateAsync(d => d.SetProperty(x => x.ClaimedUntil, claim), stoppingToken) != 1)
            {
                continue;
            }

            await _slots.WaitAsync(stoppingToken);
            _ = Task.Run(async () =>
            {
                try
                {
                    await DeliverAsync(id, stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning(e, "Webhook delivery {Id} could not be recorded; it is tried again when its claim runs out.", id);
                }
                finally
                {
                    _slots.Release();
                }
            }, CancellationToken.None);
        }
    }

    private async Task DeliverAsync(string id, CancellationToken stoppingToken)
    {
        WebhookDelivery delivery;
        WebhookEvent message;
        WebhookSubscription subscription;
        await using (var db = services.CreateSystemContext())
        {
            delivery = await db.WebhookDeliveries.AsNoTracking().FirstAsync(d => d.Id == id, stoppingToken);
            message = await db.WebhookEvents.AsNoTracking().FirstAsync(e => e.Id == delivery.EventId, stoppingToken);
            subscription = await db.WebhookSubscriptions.AsNoTracking().FirstAsync(s => s.Id == delivery.SubscriptionId, stoppingToken);
        }

        var (status, error) = await PostAsync(subscription, message, stoppingToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var attempt = delivery.Attempt + 1;
        var retries = settings.CurrentValue.Retries;
        var outcome = status is >= 200 and < 300 ? DeliveryStatus.Delivered
            : status == (int)HttpStatusCode.Gone || attempt > retries.Count ? DeliveryStatus.Failed
            : DeliveryStatus.Pending;
        var next = outcome == DeliveryStatus.Pending ? now + retries[attempt - 1] : now;

        await using (var db = services.CreateSystemContext())
        {
            // The delivery's outcome and, on a 410, the subscription's end are one change: nobody reads one without the other.
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await db.WebhookDeliveries.Where(d => d.Id == id).ExecuteUpdateAsync(d => d
                .SetProperty(x => x.Attempt, attempt)
                .SetProperty(x => x.Status, outcome)
                .SetProperty(x => x.ResponseStatus, status)
                .SetProperty(x => x.LastError, error)
                .SetProperty(x => x.NextAttemptAt, next)
                .SetProperty(x => x.DeliveredAt, outcome == DeliveryStatus.Delivered ? now : null)
                .SetProperty(x => x.ClaimedUntil, (DateTime?)null), CancellationToken.None);
            if (status == (int)HttpStatusCode.Gone)
            {
                var reason = $"The receiver answered 410 Gone on {now:yyyy-MM-dd HH:mm} UTC.";
                await db.WebhookSubscriptions.Where(s => s.Id == subscription.Id && s.Enabled).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Enabled, false)
                    .SetProperty(x => x.DisabledReason, reason)
                    .SetProperty(x => x.Version, x => x.Version + 1), CancellationToken.None);
                log.LogWarning("Webhook {Subscription} disabled: {Url} answered 410 Gone.", subscription.Id, subscription.Url);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }

        if (outcome == DeliveryStatus.Failed && status != (int)HttpStatusCode.Gone)
        {
            log.LogError("Gave up delivering {Type} event {Event} to {Url} after {Attempts} attempts: {Error}", message.Type, message.Id, subscription.Url, attempt, error);
        }
    }

    /// <summary>One attempt: the receiver's status (null when none came) and what went wrong.</summary>
    private async Task<(int? Status, string? Error)> PostAsync(WebhookSubscription subscription, WebhookEvent message, CancellationToken stoppingToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", message.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(subscription.Secret, message.Id, timestamp, message.Payload));
        request.Headers.UserAgent.ParseAdd("Verity-Webhooks/1");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(settings.CurrentValue.Timeout);
        try
        {
            using var response = await http.CreateClient(WebhookNetwork.HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return (status, status is >= 200 and < 300 ? null : $"The receiver answered {status} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return (null, $"The receiver did not answer within {settings.CurrentValue.Timeout.TotalSeconds:0} seconds.");
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }
}
