using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Verity.Features.Webhooks;

/// <summary>Settings under <c>Webhooks</c>.</summary>
public sealed class WebhookSettings
{
    /// <summary>Lets receivers on private, loopback and link-local addresses be reached (a receiver on the same network, tests).</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How often the sender looks for due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a receiver has to answer one delivery.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The pauses after each failed attempt, comma-separated (<c>00:00:05,00:05:00</c>); unset, the Standard Webhooks
    /// schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. After the last, the delivery has failed.
    /// </summary>
    public string? RetryDelays { get; set; }

    public static readonly IReadOnlyList<TimeSpan> StandardRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    public IReadOnlyList<TimeSpan> Retries => string.IsNullOrWhiteSpace(RetryDelays)
        ? StandardRetryDelays
        : RetryDelays.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => TimeSpan.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToList();
}

/// <summary>
/// Where webhooks may go: never into the network Verity runs in (its database, cloud metadata at 169.254.169.254,
/// admin consoles on localhost) unless <c>Webhooks:AllowPrivateNetworks</c> says so. Checked when a URL is given and
/// again on every connection, after DNS, so a name that later resolves elsewhere is refused too.
/// </summary>
public sealed class WebhookNetwork(IOptionsMonitor<WebhookSettings> settings)
{
    public const string HttpClientName = "webhooks";

    public bool AllowPrivate => settings.CurrentValue.AllowPrivateNetworks;

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        var b = address.GetAddressBytes();
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => b[0] == 10 || b[0] == 0 || (b[0] == 172 && (b[1] & 0xF0) == 16) || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && (b[1] & 0xC0) == 64) || b[0] >= 224,
            AddressFamily.InterNetworkV6 => (b[0] & 0xFE) == 0xFC || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast,
            _ => true,
        };
    }

    /// <summary>Why the URL may not receive webhooks, or null when it may.</summary>
    public async Task<string?> RefusalAsync(string? url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.Host.Length == 0)
        {
            return "Must be an absolute http or https URL.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not carry a user name or password.";
        }

        if (AllowPrivate)
        {
            return null;
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(uri.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                addresses = await Dns.GetHostAddressesAsync(uri.DnsSafeHost, timeout.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // A name that does not resolve yet may later; every connection is checked again.
                return null;
            }
        }

        return addresses.Any(IsPrivate)
            ? "Points at a private, loopback or link-local address; Verity sends webhooks there only when Webhooks:AllowPrivateNetworks is true."
            : null;
    }

    /// <summary>Connects only to public addresses (unless allowed): the check happens on the address really dialled.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = AllowPrivate ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"Refused to connect to {host}: it resolves only to private, loopback or link-local addresses (Webhooks:AllowPrivateNetworks is off).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
