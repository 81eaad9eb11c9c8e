namespace Verity.Tests.Infrastructure;

[CollectionDefinition(Sqlite)]
public sealed class SqliteCollection : ICollectionFixture<SqliteApp>
{
    public const string Sqlite = "sqlite";
}

[CollectionDefinition(Postgres)]
public sealed class PostgresCollection : ICollectionFixture<PostgresApp>
{
    public const string Postgres = "postgres";
}

/// <summary>
/// Tests written once and run against each database. Without PostgreSQL they are skipped with the
/// reason, except under CI=true, where a missing database is a failure.
/// </summary>
public abstract class ApiTests
{
    protected ApiTests(VerityApp app)
    {
        App = app;
        if (app.Unavailable is { } reason)
        {
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), reason);
            Assert.Skip(reason);
        }
    }

    protected VerityApp App { get; }

    /// <summary>The run's real SMTP server.</summary>
    protected static SmtpSink Smtp => SmtpSink.Required;
}
