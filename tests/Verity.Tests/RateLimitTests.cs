using System.Net;
using Microsoft.AspNetCore.Hosting;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>A flood is slowed down, not answered: 429 with Retry-After per token, per address, and for sign-in.</summary>
public sealed class RateLimitTests(RateLimitTests.LimitedApp app) : IClassFixture<RateLimitTests.LimitedApp>
{
    private const int PerMinute = 40;
    private const int SignInPerMinute = 5;

    [Fact]
    public async Task A_token_gets_its_budget_a_minute_and_then_429_with_retry_after()
    {
        var user = await app.SignInAsync(UserRole.CustomerSuccessManager);
        var other = await app.SignInAsync(UserRole.CustomerSuccessManager);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute + 5; i++)
        {
            statuses.Add((await user.GetAsync("accounts")).StatusCode);
        }

        Assert.Equal(PerMinute, statuses.Count(s => s == HttpStatusCode.OK));
        var refused = await user.GetAsync("accounts");
        await refused.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);

        // Another token has a budget of its own.
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("accounts")).StatusCode);
    }

    [Fact]
    public async Task Bad_tokens_share_their_address_budget_and_sign_in_is_limited_per_address()
    {
        var browser = app.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < SignInPerMinute + 2; i++)
        {
            answers.Add((await VerityApp.PostSignInAsync(browser, $"guess-{i}@test.verity", "wrong password")).StatusCode);
        }

        Assert.Equal(SignInPerMinute, answers.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        var guesser = app.Anonymous();
        guesser.Http.DefaultRequestHeaders.Authorization = new("Bearer", "vrt_guess");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < PerMinute + 10; i++)
        {
            statuses.Add((await guesser.GetAsync("accounts")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Unauthorized) <= PerMinute);
    }

    [Fact]
    public async Task Behind_a_proxy_each_forwarded_address_has_its_own_sign_in_budget()
    {
        // The test server's connection has no address of its own, so it stands where a proxy on this machine would.
        HttpClient From(string address)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return client;
        }

        var guesser = From("203.0.113.7");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < SignInPerMinute + 1; i++)
        {
            answers.Add((await VerityApp.PostSignInAsync(guesser, $"forwarded-{i}@test.verity", "wrong password")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        var neighbour = await VerityApp.PostSignInAsync(From("203.0.113.8"), "neighbour@test.verity", "wrong password");
        Assert.Equal(HttpStatusCode.BadRequest, neighbour.StatusCode);
    }

    public sealed class LimitedApp : SqliteAppBase
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("RateLimit:PerMinute", PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("RateLimit:SignInPerMinute", SignInPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
