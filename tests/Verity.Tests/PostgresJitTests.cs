using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>
/// Verity's PostgreSQL sessions run without just-in-time compilation: with it, a whole book's figures spent 1–2 s
/// compiling queries that run in 50 ms (bench/README.md). An operator's own <c>jit</c> setting in the connection string wins.
/// </summary>
[Collection(PostgresCollection.Postgres)]
public sealed class PostgresJitTests(PostgresApp app) : ApiTests(app)
{
    [Fact]
    public async Task Verity_sessions_run_without_jit_compilation()
    {
        await using var db = App.SystemDb();
        var jit = await db.Database.SqlQueryRaw<string>("""SELECT current_setting('jit') AS "Value" """).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("off", jit);
    }

    [Fact]
    public void An_operators_own_jit_setting_is_kept()
    {
        var setting = DatabaseSetting.Parse("postgres:Host=db.example;Database=verity;Options=-c jit=on -c work_mem=64MB");
        Assert.Equal("-c jit=on -c work_mem=64MB", new Npgsql.NpgsqlConnectionStringBuilder(setting.ConnectionString).Options);

        var other = DatabaseSetting.Parse("postgres:Host=db.example;Database=verity;Options=-c work_mem=64MB");
        Assert.Equal("-c work_mem=64MB -c jit=off", new Npgsql.NpgsqlConnectionStringBuilder(other.ConnectionString).Options);
    }
}
