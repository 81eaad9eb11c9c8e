using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Adoption figures, use cases and support counts over HTTP: a PUT replaces the set or changes nothing, and the score follows.</summary>
public abstract class AdoptionTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task Adoption_figures_round_trip_with_each_features_latest_utilisation()
    {
        var s = await Scenario.CreateAsync(App);
        var path = $"accounts/{s.AccountId}/adoption";
        Assert.Empty((await s.Csm.GetJsonAsync(path))["items"]!.AsArray());

        var put = await (await s.Csm.PutAsync(path, new object[]
        {
            new { feature = "Pipelines", at = "2026-09-01", licensedUsers = 200, activeUsers = 80 },
            new { feature = "Pipelines", at = "2026-10-01", licensedUsers = 200, activeUsers = 150 },
            new { feature = "Templates", at = "2026-10-01", licensedUsers = 100, activeUsers = 30 },
            new { feature = "Templates", at = "2026-08-01", licensedUsers = 100, activeUsers = 10 },
        })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, put["items"]!.AsArray().Count);

        var all = await s.Csm.GetJsonAsync(path);
        Assert.Equal(4, all["items"]!.AsArray().Count);
        var latest = all["latest"]!.AsArray().Select(l => l!).ToList();
        Assert.Equal(["Pipelines", "Templates"], latest.Select(l => l.Str("feature")));
        Assert.Equal("2026-10-01", latest[0].Str("at"));
        Assert.Equal(75.0, latest[0]["utilisation"]!.GetValue<double>());
        Assert.Equal(30.0, latest[1]["utilisation"]!.GetValue<double>());
        Assert.Equal(150, latest[0]["activeUsers"]!.GetValue<int>());
        Assert.Equal(200, latest[0]["licensedUsers"]!.GetValue<int>());
        // (150 + 30) ÷ (200 + 100)
        Assert.Equal(60.0, all["utilisation"]!.GetValue<double>());

        // A window: September only — Pipelines' September row is its latest there; Templates has none.
        var september = await s.Csm.GetJsonAsync($"{path}?from=2026-09-01&to=2026-09-30");
        var only = Assert.Single(september["items"]!.AsArray())!;
        Assert.Equal("2026-09-01", only.Str("at"));
        Assert.Equal(40.0, Assert.Single(september["latest"]!.AsArray())!["utilisation"]!.GetValue<double>());

        // A PUT replaces the set.
        await (await s.Csm.PutAsync(path, new[] { new { feature = "Runners", at = "2026-11-01", licensedUsers = 10, activeUsers = 10 } }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        var replaced = await s.Csm.GetJsonAsync(path);
        Assert.Equal("Runners", Assert.Single(replaced["items"]!.AsArray())!.Str("feature"));
        Assert.Equal(100.0, replaced["utilisation"]!.GetValue<double>());
    }

    [Fact]
    public async Task Use_cases_and_support_counts_round_trip()
    {
        var s = await Scenario.CreateAsync(App);
        var useCases = await (await s.Csm.PutAsync($"accounts/{s.AccountId}/use-cases", new[]
        {
            new { name = "Release automation", stage = "production" },
            new { name = "Compliance evidence", stage = "notStarted" },
            new { name = "Hotfix lane", stage = "piloting" },
        })).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, useCases["items"]!.AsArray().Count);
        var read = (await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/use-cases"))["items"]!.AsArray().Select(u => u!).ToList();
        Assert.Equal(["Release automation", "Compliance evidence", "Hotfix lane"], read.Select(u => u.Str("name")));
        Assert.Equal(["production", "notStarted", "piloting"], read.Select(u => u.Str("stage")));

        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/support", new[]
        {
            new { at = "2026-10-01", open = 5, closed = 20, critical = 2, enhancementRequests = 4 },
            new { at = "2026-11-01", open = 3, closed = 25, critical = 1, enhancementRequests = 6 },
        })).ExpectJsonAsync(HttpStatusCode.OK);
        var support = await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/support");
        Assert.Equal(2, support["items"]!.AsArray().Count);
        Assert.Equal("2026-11-01", support["latest"].Str("at"));
        Assert.Equal(1, support["latest"]!["critical"]!.GetValue<int>());
        Assert.Equal(6, support["latest"]!["enhancementRequests"]!.GetValue<int>());

        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/use-cases", Array.Empty<object>())).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Empty((await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/use-cases"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_bad_row_is_refused_naming_its_index_and_field_and_nothing_is_written()
    {
        var s = await Scenario.CreateAsync(App);
        var path = $"accounts/{s.AccountId}/adoption";
        var good = new { feature = "Pipelines", at = "2026-10-01", licensedUsers = 200, activeUsers = 150 };
        await (await s.Csm.PutAsync(path, new[] { good })).ExpectJsonAsync(HttpStatusCode.OK);

        async Task Refused(object bad, string field)
        {
            await (await s.Csm.PutAsync(path, new[] { new { feature = "Templates", at = "2026-09-01", licensedUsers = 5, activeUsers = 1 }, good, bad }))
                .ExpectFieldErrorAsync(field);
        }

        await Refused(new { feature = "Runners", at = "2026-10-01", licensedUsers = 10, activeUsers = 11 }, "[2].activeUsers");
        await Refused(new { feature = "Runners", at = "2026-10-01", licensedUsers = -1, activeUsers = 0 }, "[2].licensedUsers");
        await Refused(new { feature = "Runners", at = "2026-10-01", licensedUsers = 10, activeUsers = -2 }, "[2].activeUsers");
        await Refused(new { feature = "Runners", at = "1800-10-01", licensedUsers = 10, activeUsers = 2 }, "[2].at");
        await Refused(new { feature = "Runners", at = "2026-13-01", licensedUsers = 10, activeUsers = 2 }, "[2].at");
        await Refused(new { feature = "  ", at = "2026-10-01", licensedUsers = 10, activeUsers = 2 }, "[2].feature");
        await Refused(new { at = "2026-10-01", licensedUsers = 10, activeUsers = 2 }, "[2].feature");
        await Refused(new { feature = "pipelines", at = "2026-10-01", licensedUsers = 10, activeUsers = 2 }, "[2].at");
        await Refused(new { feature = "Runners", at = "2026-10-01", licensedUsers = 10, activeUsers = 2, extra = 1 }, "[2].extra");
        await (await s.Csm.PutAsync(path, new { feature = "Runners" })).ExpectFieldErrorAsync("body");

        // Still only the first PUT's row.
        var kept = await s.Csm.GetJsonAsync(path);
        Assert.Equal("Pipelines", Assert.Single(kept["items"]!.AsArray())!.Str("feature"));

        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/use-cases", new[]
        {
            new { name = "Release automation", stage = "production" }, new { name = "Release Automation", stage = "piloting" },
        })).ExpectFieldErrorAsync("[1].name");
        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/use-cases", new[] { new { name = "Release automation", stage = "live" } }))
            .ExpectFieldErrorAsync("[0].stage");
        Assert.Empty((await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/use-cases"))["items"]!.AsArray());

        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/support", new[] { new { at = "2026-11-01", open = 1, closed = 0, critical = 2, enhancementRequests = 0 } }))
            .ExpectFieldErrorAsync("[0].critical");
        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/support", new[] { new { at = "2026-11-01", open = 1, closed = -1, critical = 0, enhancementRequests = 0 } }))
            .ExpectFieldErrorAsync("[0].closed");
        await (await s.Csm.PutAsync($"accounts/{s.AccountId}/support", new[]
        {
            new { at = "2026-11-01", open = 1, closed = 0, critical = 0, enhancementRequests = 0 },
            new { at = "2026-11-01", open = 2, closed = 0, critical = 0, enhancementRequests = 0 },
        })).ExpectFieldErrorAsync("[1].at");
        Assert.Empty((await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/support"))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_scores_adoption_and_support_measures_follow_the_figures()
    {
        var manager = await App.SignInAsync(UserRole.Manager);
        var account = await manager.CreateAsync("accounts", new { name = "Adopting " + Ids.New()[^6..] });
        var id = account.Id();

        // A health check says 20% (→ 25); without figures the adoption measure reads it.
        await manager.CreateAsync($"accounts/{id}/health-checks", new { adoption = 20, sentiment = "neutral", overall = "yellow" });
        var before = await manager.GetJsonAsync($"accounts/{id}/health");
        Assert.Equal(25, Measure(before, "adoption")["score"]!.GetValue<int>());
        Assert.Null(Measure(before, "support")["score"]);

        // Figures win over the check: the features' latest rows, (90 + 30) ÷ (100 + 100) = 60% → 75.
        (await manager.PutAsync($"accounts/{id}/adoption", new object[]
        {
            new { feature = "Pipelines", at = "2026-01-01", licensedUsers = 100, activeUsers = 5 },
            new { feature = "Pipelines", at = "2026-06-01", licensedUsers = 100, activeUsers = 90 },
            new { feature = "Templates", at = "2026-03-01", licensedUsers = 100, activeUsers = 30 },
        })).EnsureSuccessStatusCode();
        (await manager.PutAsync($"accounts/{id}/support", new[]
        {
            new { at = "2026-05-01", open = 9, closed = 0, critical = 0, enhancementRequests = 0 },
            new { at = "2026-06-01", open = 4, closed = 3, critical = 2, enhancementRequests = 1 },
        })).EnsureSuccessStatusCode();
        var after = await manager.GetJsonAsync($"accounts/{id}/health");
        Assert.Equal(75, Measure(after, "adoption")["score"]!.GetValue<int>());
        Assert.Contains("60% active (adoption figures, 2 features, latest 2026-06-01)", Measure(after, "adoption").Str("value"), StringComparison.Ordinal);
        Assert.Equal(30, Measure(after, "support")["score"]!.GetValue<int>());
        Assert.StartsWith("2 open critical", Measure(after, "support").Str("value"), StringComparison.Ordinal);
        // adoption 75×25, sentiment 50×20, engagement 100×10, support 30×10 of 65.
        Assert.Equal((int)Math.Round((75 * 25 + 50 * 20 + 100 * 10 + 30 * 10) / 65.0, MidpointRounding.AwayFromZero), after["score"]!.GetValue<int>());

        // No critical ticket open: full marks.
        (await manager.PutAsync($"accounts/{id}/support", new[] { new { at = "2026-07-01", open = 1, closed = 9, critical = 0, enhancementRequests = 0 } }))
            .EnsureSuccessStatusCode();
        Assert.Equal(100, Measure(await manager.GetJsonAsync($"accounts/{id}/health"), "support")["score"]!.GetValue<int>());

        // Figures cleared: back to the health check.
        (await manager.PutAsync($"accounts/{id}/adoption", Array.Empty<object>())).EnsureSuccessStatusCode();
        Assert.Equal(25, Measure(await manager.GetJsonAsync($"accounts/{id}/health"), "adoption")["score"]!.GetValue<int>());
    }

    [Fact]
    public async Task Puts_at_the_same_time_take_turns_and_one_whole_set_is_kept()
    {
        var s = await Scenario.CreateAsync(App);
        var path = $"accounts/{s.AccountId}/adoption";
        var puts = Enumerable.Range(1, 6).Select(n => s.Csm.PutAsync(path, new[]
        {
            new { feature = "Pipelines", at = "2026-10-01", licensedUsers = 100, activeUsers = n },
            new { feature = "Templates", at = "2026-10-01", licensedUsers = 100, activeUsers = n },
        })).ToList();
        foreach (var response in await Task.WhenAll(puts))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var kept = (await s.Csm.GetJsonAsync(path))["items"]!.AsArray().Select(i => i!["activeUsers"]!.GetValue<int>()).ToList();
        Assert.Equal(2, kept.Count);
        Assert.Equal(kept[0], kept[1]);
    }

    [Fact]
    public async Task Customers_and_outsiders_are_refused()
    {
        var s = await Scenario.CreateAsync(App);
        (await s.Csm.PutAsync($"accounts/{s.AccountId}/adoption", new[] { new { feature = "Pipelines", at = "2026-10-01", licensedUsers = 200, activeUsers = 150 } }))
            .EnsureSuccessStatusCode();
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        foreach (var part in new[] { "adoption", "use-cases", "support" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"accounts/{s.AccountId}/{part}")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await customer.PutAsync($"accounts/{s.AccountId}/{part}", Array.Empty<object>())).StatusCode);
        }

        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"accounts/{s.AccountId}/adoption")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PutAsync($"accounts/{s.AccountId}/adoption", Array.Empty<object>())).StatusCode);
        Assert.Single((await s.Csm.GetJsonAsync($"accounts/{s.AccountId}/adoption"))["items"]!.AsArray());
    }

    [Fact]
    public async Task The_account_page_shows_the_latest_figures_use_cases_and_support_counts_in_words()
    {
        var s = await Scenario.CreateAsync(App);
        var manager = await App.SignInAsync(UserRole.Manager, password: "correct horse battery staple");
        (await manager.PutAsync($"accounts/{s.AccountId}/adoption", new object[]
        {
            new { feature = "Pipelines", at = "2026-09-01", licensedUsers = 200, activeUsers = 80 },
            new { feature = "Pipelines", at = "2026-10-01", licensedUsers = 1200, activeUsers = 900 },
        })).EnsureSuccessStatusCode();
        (await manager.PutAsync($"accounts/{s.AccountId}/use-cases", new[]
        {
            new { name = "Release automation", stage = "production" }, new { name = "Compliance evidence", stage = "notStarted" },
        })).EnsureSuccessStatusCode();
        (await manager.PutAsync($"accounts/{s.AccountId}/support", new[] { new { at = "2026-11-01", open = 4, closed = 17, critical = 1, enhancementRequests = 2 } }))
            .EnsureSuccessStatusCode();

        var browser = await App.SignInToPagesAsync(manager.Email!, "correct horse battery staple");
        var html = System.Text.RegularExpressions.Regex.Replace(
            System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/accounts/{s.AccountId}", TestContext.Current.CancellationToken)), @"\s+", " ");
        Assert.Contains("Adoption by feature, latest figures", html, StringComparison.Ordinal);
        Assert.Contains("1,200", html, StringComparison.Ordinal);
        Assert.Contains("75%", html, StringComparison.Ordinal);
        Assert.Contains("In production", html, StringComparison.Ordinal);
        Assert.Contains("Not started", html, StringComparison.Ordinal);
        Assert.DoesNotContain("notStarted", html, StringComparison.Ordinal);
        Assert.Contains("4 open tickets (1 critical), 17 closed, 2 enhancement requests", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_page_draws_a_chart_per_feature_used_in_the_last_year()
    {
        var s = await Scenario.CreateAsync(App);
        var manager = await App.SignInAsync(UserRole.Manager, password: "correct horse battery staple");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        string Day(int monthsAgo) => today.AddMonths(-monthsAgo).ToString("yyyy-MM-dd");
        (await manager.PutAsync($"accounts/{s.AccountId}/adoption", new object[]
        {
            new { feature = "Pipelines", at = Day(2), licensedUsers = 400, activeUsers = 100 },
            new { feature = "Pipelines", at = Day(1), licensedUsers = 400, activeUsers = 300 },
            new { feature = "Templates", at = Day(3), licensedUsers = 50, activeUsers = 10 },
            new { feature = "Legacy runner", at = Day(30), licensedUsers = 90, activeUsers = 9 },
        })).EnsureSuccessStatusCode();

        var browser = await App.SignInToPagesAsync(manager.Email!, "correct horse battery staple");
        var html = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/accounts/{s.AccountId}", TestContext.Current.CancellationToken));
        var charts = System.Text.RegularExpressions.Regex.Matches(html, "<figure class=\"chart\" data-feature=\"([^\"]+)\"><svg[^>]*aria-label=\"([^\"]+)\"")
            .Select(m => (Feature: m.Groups[1].Value, Label: m.Groups[2].Value)).ToList();
        Assert.Equal(["Pipelines", "Templates"], charts.Select(c => c.Feature).Order());
        Assert.All(charts, c => Assert.Equal($"{c.Feature}: active and licensed users over time", c.Label));
        // The title gives the latest utilisation; a feature last counted 30 months ago keeps its table row but no chart.
        Assert.Contains("Pipelines — 75% active", html, StringComparison.Ordinal);
        Assert.Contains("Legacy runner", html, StringComparison.Ordinal);
    }

    private static JsonNode Measure(JsonObject health, string key) => health["measures"]!.AsArray().Select(m => m!).Single(m => m.Str("key") == key);
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteAdoptionTests(SqliteApp app) : AdoptionTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresAdoptionTests(PostgresApp app) : AdoptionTests(app);
