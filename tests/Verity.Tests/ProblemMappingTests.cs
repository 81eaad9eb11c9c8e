using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Verity.Http;

namespace Verity.Tests;

/// <summary>
/// What each database failure means to a client, for the failures the HTTP tests cannot bring about on demand
/// (a locked SQLite file, a server shutting down); the outage and race tests cover the rest end to end.
/// </summary>
public sealed class ProblemMappingTests
{
    public static TheoryData<string, Exception, int?> Failures => new()
    {
        { "SQLite busy", new SqliteException("database is locked", 5), 503 },
        { "SQLite unable to open", new SqliteException("unable to open database file", 14), 503 },
        { "SQLite busy on save", new DbUpdateException("save", new SqliteException("database is locked", 5)), 503 },
        { "SQLite unique", new DbUpdateException("save", new SqliteException("UNIQUE constraint failed", 19, 2067)), 409 },
        { "SQLite not null", new DbUpdateException("save", new SqliteException("NOT NULL constraint failed", 19, 1299)), null },
        { "PostgreSQL unique", new DbUpdateException("save", Postgres(PostgresErrorCodes.UniqueViolation)), 409 },
        { "PostgreSQL shutting down", Postgres(PostgresErrorCodes.AdminShutdown), 503 },
        { "PostgreSQL cannot connect now", Postgres(PostgresErrorCodes.CannotConnectNow), 503 },
        { "PostgreSQL connection failure", Postgres(PostgresErrorCodes.ConnectionFailure), 503 },
        { "PostgreSQL too many connections", Postgres(PostgresErrorCodes.TooManyConnections), 503 },
        { "PostgreSQL syntax error", Postgres(PostgresErrorCodes.SyntaxError), null },
        { "Npgsql refused", new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), 503 },
        { "Npgsql on a query", new InvalidOperationException("query", new NpgsqlException("Exception while reading from stream", new IOException("reset"))), 503 },
        { "a fault of ours", new InvalidOperationException("bug"), null },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Database_failures_become_503_409_or_stay_faults(string what, Exception failure, int? status)
    {
        Assert.True(ProblemExceptionHandler.Describe(failure)?.Status == status, what);
    }

    private static PostgresException Postgres(string sqlState) => new("failure", "FATAL", "FATAL", sqlState);
}
