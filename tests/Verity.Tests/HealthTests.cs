using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Verity.Domain.Accounts;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Health checks and the health score over HTTP: the numbers follow from the facts, and customers never see them.</summary>
public abstract class HealthTests(VerityApp app) : ApiTests(app)
{
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");

    [Fact]
    public async Task Health_checks_are_recorded_listed_and_noted_on_the_internal_timeline()
    {
        var s = await Scenario.CreateAsync(App);
        var created = await (await s.Csm.PostAsync($"accounts/{s.AccountId}/health-checks", new
        {
            checkedOn = Today, adoption = 62, sentiment = "positive", barriers = "One P2 ticket open.", overall = "green", notes = "Rollout to team 3 next.",
        })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(62, created["adoption"]!.GetValue<int>());
        Assert.Equal("positive", created.Str("sentiment"));
        Assert.Equal("green", created.Str("overall"));
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/health-checks", new { adoption = 40, sentiment = "neutral", overall = "yellow" });

        var first = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/health-checks?limit=1");
        Assert.Single(first["items"]!.AsArray());
        var second = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/health-checks?limit=1&cursor={first.Str("nextCursor")}");
        Assert.Equal(Today, second["items"]![0].Str("checkedOn"));
        Assert.Equal("yellow", second["items"]![0].Str("overall"));

        var timeline = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/activities?type=healthCheck");
        var notes = timeline["items"]!.AsArray().Select(a => a!).ToList();
        Assert.Equal(2, notes.Count);
        Assert.All(notes, a => Assert.Equal("internal", a.Str("visibility")));
        Assert.Contains(notes, a => a.Str("summary").Contains("adoption 62%", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_health_check_is_refused_naming_the_field()
    {
        var s = await Scenario.CreateAsync(App);
        var path = $"accounts/{s.AccountId}/health-checks";
        await (await s.Csm.PostAsync(path, new { adoption = 101, sentiment = "positive", overall = "green" })).ExpectFieldErrorAsync("adoption");
        await (await s.Csm.PostAsync(path, new { adoption = -1, sentiment = "positive", overall = "green" })).ExpectFieldErrorAsync("adoption");
        await (await s.Csm.PostAsync(path, new { sentiment = "positive", overall = "green" })).ExpectFieldErrorAsync("adoption");
        await (await s.Csm.PostAsync(path, new { adoption = 50, sentiment = "great", overall = "green" })).ExpectFieldErrorAsync("sentiment");
        await (await s.Csm.PostAsync(path, new { adoption = 50, sentiment = "neutral" })).ExpectFieldErrorAsync("overall");
        await (await s.Csm.PostAsync(path, new { adoption = 50, sentiment = "neutral", overall = "amber" })).ExpectFieldErrorAsync("overall");
        await (await s.Csm.PostAsync(path, new { adoption = 50, sentiment = "neutral", overall = "red", checkedOn = "1800-01-01" })).ExpectFieldErrorAsync("checkedOn");
        Assert.Empty((await s.Csm.GetJsonAsync(path))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_score_is_the_weighted_mean_of_the_measures_that_have_data()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Scored " + Ids.New()[^6..] });

        // A fresh account: only engagement is known (opened today), so the score is engagement's.
        var fresh = await manager.GetJsonAsync($"accounts/{account.Id()}/health");
        Assert.Equal(100, fresh["score"]!.GetValue<int>());
        Assert.Equal("green", fresh.Str("grade"));
        Assert.Equal(["adoption", "sentiment", "objectives", "outcomes", "engagement", "support"], Measures(fresh).Select(m => m.Str("key")));
        Assert.Null(Measure(fresh, "support")["score"]);
        Assert.Equal(0, Measure(fresh, "support")["weight"]!.GetValue<double>());
        Assert.Contains("left out", Measure(fresh, "support").Str("label"));

        // Adoption 60% → 75 (full marks at 80%), neutral → 50, engagement 100; weights 25, 20, 10 of 55.
        await manager.CreateAsync($"accounts/{account.Id()}/health-checks", new { adoption = 60, sentiment = "neutral", overall = "yellow" });
        var scored = await manager.GetJsonAsync($"accounts/{account.Id()}/health");
        Assert.Equal(75, Measure(scored, "adoption")["score"]!.GetValue<int>());
        Assert.Equal(50, Measure(scored, "sentiment")["score"]!.GetValue<int>());
        Assert.Equal(100, Measure(scored, "engagement")["score"]!.GetValue<int>());
        Assert.Equal((int)Math.Round((75 * 25 + 50 * 20 + 100 * 10) / 55.0), scored["score"]!.GetValue<int>());
        Assert.Equal(1.0, Measures(scored).Sum(m => m["weight"]!.GetValue<double>()), 3);
        Assert.Equal(scored["score"]!.GetValue<int>(), Measures(scored).Sum(m => m["contribution"]!.GetValue<double>()), 0);

        // The latest check counts: 20% and negative make it red.
        await manager.CreateAsync($"accounts/{account.Id()}/health-checks", new { adoption = 20, sentiment = "negative", overall = "red" });
        var worse = await manager.GetJsonAsync($"accounts/{account.Id()}/health");
        Assert.Equal((int)Math.Round((25 * 25 + 0 * 20 + 100 * 10) / 55.0, MidpointRounding.AwayFromZero), worse["score"]!.GetValue<int>());
        Assert.Equal("red", worse.Str("grade"));
    }

    [Fact]
    public async Task Objectives_and_verified_outcomes_count_toward_the_score()
    {
        var s = await Scenario.CreateAsync(App);
        (await s.Csm.PostAsync($"objectives/{s.ObjectiveId}/transitions", new { to = "workInProgress" })).EnsureSuccessStatusCode();
        var health = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/health");
        var objective = await s.Csm.GetJsonAsync($"objectives/{s.ObjectiveId}");
        var expected = objective.Str("health") switch
        {
            "onTrack" => 100,
            "watchpoint" => 50,
            _ => 0,
        };
        Assert.Equal(expected, Measure(health, "objectives")["score"]!.GetValue<int>());
        Assert.Equal(0, Measure(health, "outcomes")["score"]!.GetValue<int>());
        Assert.Equal("0 verified", Measure(health, "outcomes").Str("value"));
    }

    [Fact]
    public async Task The_trend_compares_with_the_snapshot_of_30_days_ago_and_a_read_keeps_one_snapshot_a_day()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Trending " + Ids.New()[^6..] });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Null((await manager.GetJsonAsync($"accounts/{account.Id()}/health"))["trend"]);

        await using (var db = App.SystemDb())
        {
            db.HealthSnapshots.Add(new HealthSnapshot { AccountId = account.Id(), TakenOn = today.AddDays(-45), Score = 20, Grade = HealthGrade.Red });
            db.HealthSnapshots.Add(new HealthSnapshot { AccountId = account.Id(), TakenOn = today.AddDays(-31), Score = 40, Grade = HealthGrade.Yellow });
            db.HealthSnapshots.Add(new HealthSnapshot { AccountId = account.Id(), TakenOn = today.AddDays(-10), Score = 90, Grade = HealthGrade.Green });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var health = await manager.GetJsonAsync($"accounts/{account.Id()}/health");
        Assert.Equal(health["score"]!.GetValue<int>() - 40, health["trend"]!.GetValue<int>());
        Assert.Equal(today.AddDays(-31).ToString("yyyy-MM-dd"), health.Str("trendFrom"));
        await manager.GetJsonAsync($"accounts/{account.Id()}/health");

        await using var check = App.SystemDb();
        var todays = await check.HealthSnapshots.Where(x => x.AccountId == account.Id() && x.TakenOn == today).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(health["score"]!.GetValue<int>(), Assert.Single(todays).Score);
    }

    [Fact]
    public async Task The_daily_job_snapshots_every_open_account_once()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Nightly " + Ids.New()[^6..] });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await Features.Health.HealthReads.SnapshotAllAsync(App.Services, today, TestContext.Current.CancellationToken);
        Assert.Equal(0, await Features.Health.HealthReads.SnapshotAllAsync(App.Services, today, TestContext.Current.CancellationToken));
        await using var db = App.SystemDb();
        Assert.Equal(1, await db.HealthSnapshots.CountAsync(x => x.AccountId == account.Id() && x.TakenOn == today, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Customers_see_neither_health_checks_nor_the_score()
    {
        var s = await Scenario.CreateAsync(App);
        await s.Csm.CreateAsync($"accounts/{s.AccountId}/health-checks", new { adoption = 50, sentiment = "negative", overall = "red" });
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"accounts/{s.AccountId}/health")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"accounts/{s.AccountId}/health-checks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PostAsync($"accounts/{s.AccountId}/health-checks", new { adoption = 100, sentiment = "positive", overall = "green" })).StatusCode);
        var timeline = await customer.GetJsonAsync($"accounts/{s.AccountId}/activities");
        Assert.DoesNotContain("Health check", timeline.ToJsonString(), StringComparison.Ordinal);
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"accounts/{s.AccountId}/health")).StatusCode);
    }

    private static List<JsonNode> Measures(JsonObject health) => health["measures"]!.AsArray().Select(m => m!).ToList();

    private static JsonNode Measure(JsonObject health, string key) => Measures(health).Single(m => m.Str("key") == key);
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteHealthTests(SqliteApp app) : HealthTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresHealthTests(PostgresApp app) : HealthTests(app);

/// <summary>Weights that make no score stop Verity at start, naming the setting.</summary>
public sealed class HealthSettingsTests
{
    [Theory]
    [InlineData("Health:Weights:adoption", "-1", "Health:Weights:adoption")]
    [InlineData("Health:Weights:support", "NaN", "Health:Weights:support")]
    [InlineData("Health:YellowFrom", "90", "Health:YellowFrom")]
    public void Settings_that_make_no_score_are_refused_naming_the_setting(string key, string value, string named)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
        Features.Health.HealthSettingsValidation.Register(services);
        using var provider = services.BuildServiceProvider();
        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HealthSettings>>().Value);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_weights_zero_is_refused()
    {
        var settings = new Dictionary<string, string?>();
        foreach (var key in new[] { "adoption", "sentiment", "objectives", "outcomes", "engagement", "support" })
        {
            settings[$"Health:Weights:{key}"] = "0";
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        Features.Health.HealthSettingsValidation.Register(services);
        using var provider = services.BuildServiceProvider();
        Assert.Contains("Health:Weights", Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HealthSettings>>().Value).Message, StringComparison.Ordinal);
    }
}
