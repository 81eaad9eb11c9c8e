using Microsoft.AspNetCore.Identity;
using Verity.Data;

namespace Verity;

public static class VerityServices
{
    /// <summary>What the web app and every command share: the clock, the database and the user store.</summary>
    public static IServiceCollection AddVerityCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<Domain.Accounts.CspThresholds>().BindConfiguration("Csp");
        services.AddVerityDatabase();
        services.AddOptions<Mail.MailSettings>().BindConfiguration("Mail");
        services.AddSingleton<Mail.Outbox>();
        services.AddOptions<Features.Webhooks.WebhookSettings>().BindConfiguration("Webhooks");
        services.AddSingleton<Features.Webhooks.WebhookNetwork>();
        services.AddMemoryCache();
        services.AddSingleton<Access.Sessions>();
        services.AddSingleton<BookStamp>();
        services.AddSingleton<Features.Portfolio.BookFigures>();
        services.AddScoped<Features.Portal.PortalAccess>();
        services.AddSingleton<Features.Evidence.AttachmentStore>();
        services.AddOptions<Domain.Objectives.TriageThresholds>().BindConfiguration("Triage");
        Features.Health.HealthSettingsValidation.Register(services);
        Documents.Brand.Register(services);
        services.AddSingleton<Features.Triage.TriageRunner>();
        services.AddSingleton<Features.Notifications.Digests>();
        services.AddSingleton<Features.Notifications.ReportLinks>();
        services.AddSingleton(sp => Features.Imports.ImportSettings.Read(sp.GetRequiredService<IConfiguration>()));
        services.AddIdentityCore<VerityUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
            })
            .AddEntityFrameworkStores<VerityDb>();
        return services;
    }

    /// <summary>
    /// Configuration, lowest precedence first: appsettings.json, <c>VERITY_*</c> environment variables
    /// (<c>VERITY_DATABASE</c>, <c>VERITY_URLS</c>), then what the command line says.
    /// </summary>
    public static void AddVerityConfiguration(this IConfigurationBuilder configuration, string? database, string? urls)
    {
        configuration.AddEnvironmentVariables("VERITY_");
        var overrides = new Dictionary<string, string?>();
        if (database is not null)
        {
            overrides["Database"] = database;
        }

        if (urls is not null)
        {
            overrides["Urls"] = urls;
        }

        configuration.AddInMemoryCollection(overrides);
    }
}
