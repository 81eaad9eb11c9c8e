using Microsoft.AspNetCore.DataProtection;
using Npgsql;
using Verity.Data;

namespace Verity.Access;

/// <summary>
/// The keys that protect sign-in cookies and antiforgery tokens live in the database, under one application name, so
/// every node that shares the database reads what another node wrote, and a restart keeps everyone signed in.
/// </summary>
public static class SharedKeys
{
    public const string ApplicationName = "Verity";

    /// <summary>Any number that no other advisory lock of this installation uses.</summary>
    private const long LockId = 0x5665726974794b;

    public static IServiceCollection AddSharedKeys(this IServiceCollection services)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<VerityDb>();
        return services;
    }

    /// <summary>
    /// Makes sure a key exists before the node answers anyone. On an empty database several nodes starting at once
    /// would each make a key of their own and, until their key rings refresh, refuse each other's cookies; on
    /// PostgreSQL they take turns (an advisory lock), so the first makes the key and the others load it.
    /// </summary>
    public static async Task EnsureKeyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<DatabaseSetting>();
        var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Verity.Startup");
        if (database.Provider != DatabaseProvider.Postgres)
        {
            protector.Protect("ready");
            return;
        }

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockId})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            protector.Protect("ready");
        }
        finally
        {
            await using var give = new NpgsqlCommand($"SELECT pg_advisory_unlock({LockId})", connection);
            await give.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
