using Microsoft.AspNetCore.Identity;
using Verity.Data;

namespace Verity;

public static class VerityServices
{
    /// <summary>What the web app and every command share: the clock, the database and the user store.</summary>
    public static IServiceCollection AddVerityCore(this IServiceCollection services, DatabaseSetting database)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddVerityDatabase(database);
        services.AddIdentityCore<VerityUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
            })
            .AddEntityFrameworkStores<VerityDb>();
        return services;
    }

    /// <summary>The database setting: an explicit choice, else configuration (<c>Database</c>, <c>VERITY_DATABASE</c>), else SQLite.</summary>
    public static DatabaseSetting ResolveDatabase(string? explicitChoice, IConfiguration configuration) =>
        DatabaseSetting.Parse(explicitChoice ?? configuration["Database"] ?? configuration["VERITY_DATABASE"]);
}
