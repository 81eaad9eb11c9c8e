using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>A POST retried with the same Idempotency-Key and body answers the first response and creates nothing new.</summary>
public abstract class IdempotencyTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task A_retried_post_returns_the_first_response_and_creates_nothing_new()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var key = Ids.New();
        var name = $"Retried {key[^8..]}";
        var first = await Post(manager, key, new { name });
        var created = await first.ExpectJsonAsync(HttpStatusCode.Created);
        var second = await Post(manager, key, new { name });
        var replayed = await second.ExpectJsonAsync(HttpStatusCode.Created);

        Assert.Equal(created.Id(), replayed.Id());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        await using var db = App.SystemDb();
        Assert.Equal(1, await db.Accounts.CountAsync(a => a.Name == name, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_and_a_failed_request_frees_its_key()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var key = Ids.New();
        await (await Post(manager, key, new { name = "" })).ExpectFieldErrorAsync("name");
        var retried = await Post(manager, key, new { name = $"Fixed {key[^8..]}" });
        await retried.ExpectJsonAsync(HttpStatusCode.Created);

        var reused = await Post(manager, key, new { name = "Something else" });
        await reused.ExpectFieldErrorAsync("Idempotency-Key");
    }

    [Fact]
    public async Task Keys_belong_to_their_user()
    {
        var one = await App.SignInAsync(UserRole.Manager);
        var two = await App.SignInAsync(UserRole.Manager);
        var key = Ids.New();
        var a = await (await Post(one, key, new { name = "Same key, first user" })).ExpectJsonAsync(HttpStatusCode.Created);
        var b = await (await Post(two, key, new { name = "Same key, first user" })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.NotEqual(a.Id(), b.Id());
    }

    private static Task<HttpResponseMessage> Post(ApiClient client, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.Http.SendAsync(request);
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteIdempotencyTests(SqliteApp app) : IdempotencyTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresIdempotencyTests(PostgresApp app) : IdempotencyTests(app);
