using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Verity.Http;

/// <summary>
/// Behind a reverse proxy every request comes from the proxy's address. The proxy says whom it is forwarding in
/// <c>X-Forwarded-For</c> (and whether they came over HTTPS in <c>X-Forwarded-Proto</c>); Verity believes it only
/// from a proxy it knows: one on this machine (loopback), or one listed under <c>Proxy:Addresses</c> (addresses or
/// networks, e.g. <c>10.0.0.5</c>, <c>10.0.0.0/24</c>). So the per-address limits count people, not the proxy, and the
/// sign-in cookie is marked Secure when the proxy took HTTPS.
/// </summary>
public static class Proxies
{
    public static IServiceCollection AddVerityProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var known = configuration.GetSection("Proxy:Addresses").Get<string[]>() ?? [];
        var networks = new List<System.Net.IPNetwork>();
        var addresses = new List<IPAddress>();
        foreach (var entry in known.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()))
        {
            if (entry.Contains('/') && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                throw new Jobs.InvalidSettingException(
                    $"The setting Proxy:Addresses has \"{entry}\", which is neither an address (10.0.0.5) nor a network (10.0.0.0/24).");
            }
        }

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            networks.ForEach(o.KnownIPNetworks.Add);
            addresses.ForEach(o.KnownProxies.Add);
        });
        return services;
    }
}
