using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Verity.Access;

namespace Verity.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where the data lives: <c>sqlite:PATH</c> (the default) or <c>postgres:CONNSTRING</c>.</summary>
public sealed record DatabaseSetting(DatabaseProvider Provider, string ConnectionString)
{
    public const string DefaultSqlitePath = "verity.db";

    public static DatabaseSetting Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            value = "sqlite:" + DefaultSqlitePath;
        }

        var (scheme, rest) = value.IndexOf(':') is var colon and > 0
            ? (value[..colon].ToLowerInvariant(), value[(colon + 1)..])
            : ("", value);
        return scheme switch
        {
            "sqlite" => new DatabaseSetting(DatabaseProvider.Sqlite, SqliteConnectionString(rest)),
            "postgres" or "postgresql" => new DatabaseSetting(DatabaseProvider.Postgres, PostgresConnectionString(rest)),
            _ => throw new ArgumentException(
                $"The database '{value}' is not understood: use sqlite:PATH or postgres:CONNSTRING."),
        };
    }

    private static string SqliteConnectionString(string pathOrConnectionString)
    {
        var builder = pathOrConnectionString.Contains('=')
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        builder.DefaultTimeout = 30;
        builder.Pooling = true;
        return builder.ToString();
    }

    /// <summary>
    /// PostgreSQL's just-in-time compilation off for Verity's sessions (unless the connection string sets <c>jit</c> itself):
    /// it starts for any query the planner costs above <c>jit_above_cost</c>, which a whole book's figures are (the
    /// access filters' subplans inflate the estimates), and then spends 1–2 s compiling a query that runs in 50 ms
    /// (the portfolio's compliance counts at 10,000 accounts, bench/README.md). Verity's queries are short; none gains.
    /// Parallel query off too, for the same reason: the access filters' estimates made PostgreSQL launch two workers for
    /// counts of a few thousand rows (a CSM's open findings), 5–10 ms to start them for 1–2 ms of work, on every request.
    /// Without, a CSM's week went from 62 to 108 pages a second on the 10,000-account book, and a whole book's figures
    /// computed no slower (bench/README.md). Both sent once per physical connection, in the start-up packet.
    /// <para>
    /// And statements prepared on the server once a connection has run them twice (unless the connection string says
    /// otherwise): PostgreSQL then parses and plans a statement once per connection instead of for every request. A
    /// page runs 20–40 short statements and planning them was a third of their time: with it, the account page went from
    /// 84 to 104 requests a second and the objective API from 313 to 434 on the 10,000-account book (bench/README.md).
    /// </para>
    /// </summary>
    private static string PostgresConnectionString(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = $"{builder.Options} -c jit=off".Trim();
        }

        if (builder.Options.Contains("max_parallel_workers_per_gather", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = $"{builder.Options} -c max_parallel_workers_per_gather=0";
        }

        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    public void Configure(DbContextOptionsBuilder options, TimeProvider clock)
    {
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(ConnectionString);
                options.AddInterceptors(new SqlitePragmas());
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(ConnectionString);
                break;
        }

        options.AddInterceptors(new HistoryInterceptor(clock), new BookInterceptor());
        options.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
    }
}

public static class DatabaseServices
{
    /// <summary>
    /// A pooled context per request (or command), handed out with the caller's <see cref="Actor"/> set,
    /// so every query is filtered to what that caller may see. The provider is read from configuration
    /// (<c>Database</c>) when first needed, so a test host or a command-line option can still set it.
    /// </summary>
    public static IServiceCollection AddVerityDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp => DatabaseSetting.Parse(sp.GetRequiredService<IConfiguration>()["Database"]));
        services.AddPooledDbContextFactory<SqliteVerityDb>(Configure);
        services.AddPooledDbContextFactory<PostgresVerityDb>(Configure);
        services.AddScoped<VerityDb>(sp => sp.GetRequiredService<DatabaseSetting>().Provider switch
        {
            DatabaseProvider.Sqlite => Lease<SqliteVerityDb>(sp),
            DatabaseProvider.Postgres => Lease<PostgresVerityDb>(sp),
        });
        services.AddScoped(sp => sp.GetService<IHttpContextAccessor>()?.HttpContext?.User is { } user
            ? Actor.From(user)
            : Actor.System);
        return services;

        static void Configure(IServiceProvider sp, DbContextOptionsBuilder options)
        {
            sp.GetRequiredService<DatabaseSetting>().Configure(options, sp.GetRequiredService<TimeProvider>());

            // Interceptors registered as services join the built-in ones (tests count SQL commands this way).
            options.AddInterceptors(sp.GetServices<IInterceptor>());

            // After the history interceptor: webhook payloads carry the versions and times it stamps.
            options.AddInterceptors(new Features.Webhooks.WebhookInterceptor(
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Domain.Accounts.CspThresholds>>()));
        }
    }

    private static TDb Lease<TDb>(IServiceProvider services)
        where TDb : VerityDb
    {
        var db = services.GetRequiredService<IDbContextFactory<TDb>>().CreateDbContext();
        db.Actor = services.GetRequiredService<Actor>();
        db.Book = services.GetService<BookStamp>();
        db.BookChangePending = false;
        return db;
    }

    /// <summary>A context for the command line and jobs, which act for the whole installation.</summary>
    public static VerityDb CreateSystemContext(this IServiceProvider services) => services.CreateContext(Actor.System);

    /// <summary>A context of its own for this actor, outside any request's (figures computed once for many requests).</summary>
    public static VerityDb CreateContext(this IServiceProvider services, Actor actor)
    {
        var setting = services.GetRequiredService<DatabaseSetting>();
        VerityDb db = setting.Provider switch
        {
            DatabaseProvider.Sqlite => services.GetRequiredService<IDbContextFactory<SqliteVerityDb>>().CreateDbContext(),
            DatabaseProvider.Postgres => services.GetRequiredService<IDbContextFactory<PostgresVerityDb>>().CreateDbContext(),
        };
        db.Actor = actor;
        db.Book = services.GetService<BookStamp>();
        db.BookChangePending = false;
        return db;
    }

    public static async Task MigrateAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var db = services.CreateSystemContext();
        // Asking first costs one read of the history table; migrating when nothing is pending would also take the
        // migration lock and compare the model with the last migration's (a few hundred milliseconds of every start).
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        // WAL lets readers and a writer work side by side; it is a property of the file, so set it once here.
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}

/// <summary>
/// Every SQLite connection waits out a competing writer and enforces foreign keys. Both are set on the connection
/// itself through SQLite's C interface when it is opened — no statement to prepare and run, so a pooled connection
/// that EF opens for each command costs a microsecond, not the ~20 µs of a <c>PRAGMA busy_timeout; PRAGMA foreign_keys</c>
/// command each time.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const int BusyTimeoutMilliseconds = 30_000;

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, ConnectionEndEventData eventData) => Set(connection);

    public override Task ConnectionOpenedAsync(
        System.Data.Common.DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Set(connection);
        return Task.CompletedTask;
    }

    private static void Set(System.Data.Common.DbConnection connection)
    {
        var handle = ((SqliteConnection)connection).Handle;
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_busy_timeout(handle, BusyTimeoutMilliseconds), handle);
        SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_db_config(handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_FKEY, 1, out _), handle);
    }
}

/// <summary>Lets <c>dotnet ef migrations add</c> build each provider's model without a running app.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteVerityDb>
{
    public SqliteVerityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteVerityDb>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresVerityDb>
{
    public PostgresVerityDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresVerityDb>().UseNpgsql("Host=localhost;Database=verity_design").Options);
}
