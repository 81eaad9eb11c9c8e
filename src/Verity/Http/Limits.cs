using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Verity.Access;

namespace Verity.Http;

/// <summary>Settings under <c>RateLimit</c>.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests a minute per token, per signed-in browser, or per address for anyone else.</summary>
    public int PerMinute { get; set; } = 600;

    /// <summary>Sign-in attempts a minute per address.</summary>
    public int SignInPerMinute { get; set; } = 10;
}

/// <summary>How much one caller may ask of Verity: requests a minute, and the size of a JSON body.</summary>
public static class Limits
{
    public const long MaxJsonBody = 1024 * 1024;

    public static IServiceCollection AddVerityLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitSettings>().BindConfiguration("RateLimit");
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>
    /// A token or a signed-in browser has its own budget; anyone else — including a caller with a bad token —
    /// shares one with their address, so a flood of guesses is slowed down, not answered.
    /// </summary>
    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments("/healthz"))
        {
            return RateLimitPartition.GetNoLimiter("health");
        }

        var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitSettings>>().Value;
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "local";
        if (HttpMethods.IsPost(request.Method) && (request.Path.StartsWithSegments("/signin") || request.Path.StartsWithSegments("/portal/signin")))
        {
            return PerMinute("signin:" + address, limits.SignInPerMinute);
        }

        var caller = http.User.FindFirst(Sessions.TokenClaim)?.Value is { } token ? "token:" + token
            : http.User.FindFirst(Sessions.SessionClaim)?.Value is { } session ? "session:" + session
            : "address:" + address;
        return PerMinute(caller, limits.PerMinute);
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var detail = $"Too many requests. Try again in {seconds} seconds.";
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests.", Detail = detail },
            });
            return;
        }

        await http.Response.WriteAsync(detail, cancellationToken);
    }

    /// <summary>
    /// API bodies over 1 MB answer 413 before anything reads them, whatever their type; only uploads may be larger, each
    /// up to its own limit: an attachment, and a CSV import (through the API or the import page).
    /// </summary>
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var request = http.Request;
            var post = HttpMethods.IsPost(request.Method);
            var import = post && (request.Path.StartsWithSegments(Features.Imports.ImportEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase)
                || request.Path.Equals(Features.Imports.ImportsPage.Path, StringComparison.OrdinalIgnoreCase));
            if (request.Path.StartsWithSegments("/api") || import)
            {
                var upload = post && request.Path.Equals(Features.Evidence.AttachmentEndpoints.UploadPath, StringComparison.OrdinalIgnoreCase);
                var limit = import ? Features.Imports.ImportEndpoints.MaxUploadBody : upload ? Features.Evidence.AttachmentEndpoints.MaxUploadBody : MaxJsonBody;
                if (request.ContentLength > limit)
                {
                    throw new BadHttpRequestException(
                        import ? $"The file is larger than {Features.Imports.CsvImport.MaxFileSize / (1024 * 1024)} MB: split it into several files."
                            : upload ? $"The upload is larger than {Features.Evidence.AttachmentEndpoints.MaxFileSize / (1024 * 1024)} MB."
                            : $"The body is larger than {MaxJsonBody / 1024} KB.",
                        StatusCodes.Status413PayloadTooLarge);
                }

                if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                {
                    size.MaxRequestBodySize = limit;
                }
            }

            await next(http);
        });
}
