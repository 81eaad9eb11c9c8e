using System.Net;
using Microsoft.EntityFrameworkCore;
using Verity.Data;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void The_sqlite_migrations_cover_the_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no SQLite migration covers: run dotnet ef migrations add (see README).");
    }

    [Fact]
    public void The_postgres_migrations_cover_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The model has changes no PostgreSQL migration covers: run dotnet ef migrations add (see README).");
    }
}

public abstract class HostTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task Health_answers_200_when_the_database_is_up()
    {
        var response = await App.Anonymous().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        var document = await (await App.Anonymous().GetAsync("/openapi/v1.json")).ExpectJsonAsync(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/api/v1/accounts", "/api/v1/plans/{id}", "/api/v1/objectives/{id}", "/api/v1/metrics/{id}/measurements", "/api/v1/audit" })
        {
            Assert.Contains(path, paths);
        }
    }

    [Fact]
    public async Task The_docs_page_and_its_script_are_served_by_verity_itself()
    {
        var client = App.Anonymous().Http;
        var page = await client.GetStringAsync("/docs/", TestContext.Current.CancellationToken);
        Assert.Contains("scalar.js", page);
        Assert.DoesNotContain("cdn.", page);
        var script = await client.GetAsync("/docs/scalar.js", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteHostTests(SqliteApp app) : HostTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresHostTests(PostgresApp app) : HostTests(app);
