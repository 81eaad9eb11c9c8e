using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Verity's PostgreSQL sessions run without just-in-time compilation (with it, a whole book's figures spent 1–2 s
/// compiling queries that run in 50 ms) and without parallel workers (5–10 ms to start for a few ms of work) and keep the statements they run again prepared, so each is planned once per
/// connection (bench/README.md). An operator's own settings in the connection string win.
/// </summary>
[Collection(PostgresCollection.Postgres)]
public sealed class PostgresSettingsTests(PostgresApp app) : ApiTests(app)
{
    [Fact]
    public async Task Verity_sessions_run_without_jit_compilation_or_parallel_workers()
    {
        await using var db = App.SystemDb();
        var jit = await db.Database.SqlQueryRaw<string>("""SELECT current_setting('jit') AS "Value" """).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("off", jit);
        var workers = await db.Database.SqlQueryRaw<string>("""SELECT current_setting('max_parallel_workers_per_gather') AS "Value" """).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("0", workers);
    }

    [Fact]
    public void An_operators_own_jit_and_parallel_settings_are_kept()
    {
        var setting = DatabaseSetting.Parse("postgres:Host=db.example;Database=verity;Options=-c jit=on -c max_parallel_workers_per_gather=4 -c work_mem=64MB");
        Assert.Equal("-c jit=on -c max_parallel_workers_per_gather=4 -c work_mem=64MB", new Npgsql.NpgsqlConnectionStringBuilder(setting.ConnectionString).Options);

        var other = DatabaseSetting.Parse("postgres:Host=db.example;Database=verity;Options=-c work_mem=64MB");
        Assert.Equal("-c work_mem=64MB -c jit=off -c max_parallel_workers_per_gather=0", new Npgsql.NpgsqlConnectionStringBuilder(other.ConnectionString).Options);
    }

    [Fact]
    public async Task A_statement_run_again_on_a_connection_is_prepared_once_on_the_server()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = App.SystemDb();
        await db.Database.OpenConnectionAsync(ct);
        var query = db.Accounts.AsNoTracking().Where(a => a.Name.StartsWith("Prepared once")).Select(a => a.Id);
        for (var i = 0; i < 3; i++)
        {
            await query.ToListAsync(ct);
        }

        var prepared = await db.Database.SqlQueryRaw<string>("""SELECT statement AS "Value" FROM pg_prepared_statements""").ToListAsync(ct);
        Assert.Contains(prepared, s => s.Contains("Prepared once", StringComparison.Ordinal) || s.Contains("FROM \"Accounts\"", StringComparison.Ordinal));

        var own = DatabaseSetting.Parse("postgres:Host=db.example;Database=verity;Max Auto Prepare=0");
        Assert.Equal(0, new Npgsql.NpgsqlConnectionStringBuilder(own.ConnectionString).MaxAutoPrepare);
    }
}
