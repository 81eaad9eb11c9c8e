using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Scalar.AspNetCore;
using Verity.Access;
using Verity.Data;
using Verity.Documents;
using Verity.Features.Accounts;
using Verity.Features.Activities;
using Verity.Features.Audit;
using Verity.Features.Comments;
using Verity.Features.Evidence;
using Verity.Features.Health;
using Verity.Features.Meetings;
using Verity.Features.Imports;
using Verity.Features.Notifications;
using Verity.Features.Objectives;
using Verity.Features.Opportunities;
using Verity.Features.Plans;
using Verity.Features.Portal;
using Verity.Features.Portfolio;
using Verity.Features.Search;
using Verity.Features.Templates;
using Verity.Features.Triage;
using Verity.Jobs;
using Verity.Features.Users;
using Verity.Features.Work;
using Verity.Features.Webhooks;
using Verity.Http;
using Verity.Mail;

namespace Verity;

/// <summary>The web host: the REST API under /api/v1, its OpenAPI document and docs page, and health.</summary>
public static class WebApp
{
    public static WebApplication Build(string[] args, string? database, string? urls)
    {
        // A published Verity carries its wwwroot beside the executable: use it wherever Verity is started from
        // (the content root is the working folder, so a started-elsewhere build would serve empty files).
        var published = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            WebRootPath = Directory.Exists(published) ? published : null,
        });

        // The settings shipped beside the executable (log levels among them) hold wherever Verity is started from;
        // an appsettings.json in the working folder still overrides them.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(AppContext.BaseDirectory),
        });
        builder.Configuration.AddVerityConfiguration(database, urls);

        // Serve wwwroot from a build in every environment (a published app carries its own manifest).
        builder.WebHost.UseStaticWebAssets();
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        if (builder.Configuration["Urls"] is { } listen)
        {
            builder.WebHost.UseUrls(listen);
        }

        var services = builder.Services;
        services.AddVerityCore();

        // A stage mapping that names no stage stops Verity at start, naming the setting, not at the first import.
        ImportSettings.Read(builder.Configuration);
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        services.AddVerityAuthentication();
        services.AddAuthorization();
        services.AddVerityLimits();
        services.AddVerityProxies(builder.Configuration);
        services.AddHostedService<Mail.MailSender>();
        services.AddHostedService<BookStampWatcher>();
        services.AddVerityJobs(builder.Configuration);
        services.AddHostedService<Jobs.WebhookSender>();
        services.AddHttpClient(WebhookNetwork.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookNetwork>().ConnectAsync,
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.AddRazorComponents();
        services.AddAntiforgery();
        services.AddOpenApi(ApiDocument.Configure);

        var app = builder.Build();
        // First: whom the proxy forwards is who is asking, for the limits, the logs and the cookie's Secure flag.
        app.UseForwardedHeaders();
        app.UseVeritySecurityHeaders();
        app.UseExceptionHandler();
        // The API answers problem details; pages answer a page.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/not-found"));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseJsonBodyLimit();
        app.UseCookieWriteProtection();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<Components.App>();
        app.MapSignOut();
        app.MapReportLinks();

        app.MapOpenApi("/openapi/{documentName}.json");
        // The reference for this API only: none of the hosted product's buttons ("Deploy", "Ask AI", "Generate SDK"/MCP), no telemetry.
        app.MapScalarApiReference("/docs", o => o.WithTitle("Verity API").WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .HideDeveloperTools().DisableAgent().DisableMcp().DisableTelemetry());
        // When the database last answered (Environment.TickCount64; 0: not yet), for this app alone.
        var healthyAt = new System.Runtime.CompilerServices.StrongBox<long>(0);
        app.MapGet("/healthz", (IServiceProvider services, HttpResponse response, CancellationToken cancellationToken) =>
            Health(healthyAt, services, response, cancellationToken)).ExcludeFromDescription();

        var api = app.MapGroup("/api/v1").RequireAuthorization();
        api.MapAccounts();
        api.MapStakeholders();
        api.MapOpportunities();
        api.MapPlans();
        api.MapClosePlans();
        api.MapExport();
        api.MapLifecycle();
        api.MapObjectives();
        api.MapMetrics();
        api.MapInitiatives();
        api.MapActivities();
        api.MapAudit();
        api.MapUsers();
        api.MapMail();
        api.MapPortal();
        api.MapComments();
        api.MapAttachments();
        api.MapCertificates();
        api.MapTriage();
        api.MapNotifications();
        api.MapWork();
        api.MapWebhooks();
        api.MapHealth();
        api.MapAdoption();
        api.MapSearch();
        api.MapPortfolio();
        api.MapMeetings();
        api.MapMilestones();
        api.MapTemplates();
        api.MapImports();
        return app;
    }

    /// <summary>
    /// Healthy when the database answered within the last second: a proxy or orchestrator asking many times a second
    /// costs one connection check a second, not one each. A failure is never kept: once the database is gone, the next
    /// check after that second asks it again and answers 503.
    /// </summary>
    private static async Task<IResult> Health(
        System.Runtime.CompilerServices.StrongBox<long> healthyAt, IServiceProvider services, HttpResponse response, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref healthyAt.Value) is var at and > 0 && Environment.TickCount64 - at < 1000)
        {
            return TypedResults.Ok(new { status = "healthy" });
        }

        await using var db = services.CreateSystemContext();
        if (await db.Database.CanConnectAsync(cancellationToken))
        {
            Volatile.Write(ref healthyAt.Value, Environment.TickCount64);
            return TypedResults.Ok(new { status = "healthy" });
        }

        response.Headers.RetryAfter = ProblemExceptionHandler.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem("The database is not reachable.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
