using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Search over HTTP: every searched kind is found by words in its name, only where the caller may look, and the index follows every change.</summary>
public abstract class SearchTests(VerityApp app) : ApiTests(app)
{
    /// <summary>A word no other test's data holds, so a search finds exactly this test's records.</summary>
    private static string Marker() => "Zephyr" + Ids.New()[^6..];

    [Fact]
    public async Task Each_kind_is_found_by_words_in_its_name_with_where_it_sits_and_its_page()
    {
        var marker = Marker();
        var s = await Scenario.CreateAsync(App, $"{marker} Logistics");
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { title = $"{marker} — Mutual Success Plan" });
        await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = $"Cut {marker} release time in half" });
        var stakeholder = await s.Csm.CreateAsync($"accounts/{s.AccountId}/stakeholders",
            new { name = "Dana Okafor", title = "Head of Platform", email = $"dana@{marker.ToLowerInvariant()}.example", side = "customer", role = "technicalChampion" });
        await s.Csm.PatchAsync($"opportunities/{s.OpportunityId}", new { name = $"{marker} expansion" });

        var hits = Items(await s.Csm.GetJsonAsync($"search?q={marker.ToUpperInvariant()}"));
        // Names that start with the words first (by kind), then those that only contain them.
        Assert.Equal(["account", "plan", "opportunity", "objective", "stakeholder"], hits.Select(h => h.Str("kind")));
        var account = hits.Single(h => h.Str("kind") == "account");
        Assert.Equal(s.AccountId, account.Str("id"));
        Assert.Equal($"/accounts/{s.AccountId}", account.Str("url"));
        var objective = hits.Single(h => h.Str("kind") == "objective");
        Assert.Equal($"/objectives/{s.ObjectiveId}", objective.Str("url"));
        Assert.Contains($"{marker} — Mutual Success Plan", objective.Str("context"), StringComparison.Ordinal);
        var person = hits.Single(h => h.Str("kind") == "stakeholder");
        Assert.Equal(stakeholder.Id(), person.Str("id"));
        Assert.Equal("Dana Okafor", person.Str("title"));
        Assert.Contains("Head of Platform", person.Str("context"), StringComparison.Ordinal);
        Assert.Equal(s.OpportunityId, hits.Single(h => h.Str("kind") == "opportunity").Str("id"));

        // Part of a word is enough, and a stakeholder is found by their email too.
        Assert.Contains(Items(await s.Csm.GetJsonAsync($"search?q=dana@{marker[..^2].ToLowerInvariant()}")), h => h.Str("id") == stakeholder.Id());
    }

    [Fact]
    public async Task Nobody_finds_what_they_may_not_see()
    {
        var marker = Marker();
        var s = await Scenario.CreateAsync(App, $"{marker} Health");
        var outsider = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.Empty(Items(await outsider.GetJsonAsync($"search?q={marker}")));
        var director = await App.SignInAsync(UserRole.Director);
        Assert.Contains(Items(await director.GetJsonAsync($"search?q={marker}")), h => h.Str("id") == s.AccountId);

        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"search?q={marker}")).StatusCode);

        // An archived account and everything in it leave the results.
        (await s.Manager.DeleteAsync($"accounts/{s.AccountId}")).EnsureSuccessStatusCode();
        Assert.Empty(Items(await director.GetJsonAsync($"search?q={marker}")));
    }

    [Fact]
    public async Task The_index_follows_renames_and_deletions()
    {
        var marker = Marker();
        var s = await Scenario.CreateAsync(App);
        await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = $"Adopt {marker} everywhere" });
        Assert.Single(Items(await s.Csm.GetJsonAsync($"search?q={marker}")));

        var renamed = Marker();
        await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = $"Adopt {renamed} everywhere" });
        Assert.Empty(Items(await s.Csm.GetJsonAsync($"search?q={marker}")));
        Assert.Equal($"Adopt {renamed} everywhere", Assert.Single(Items(await s.Csm.GetJsonAsync($"search?q={renamed}"))).Str("title"));

        (await s.Csm.DeleteAsync($"objectives/{s.ObjectiveId}")).EnsureSuccessStatusCode();
        Assert.Empty(Items(await s.Csm.GetJsonAsync($"search?q={renamed}")));
    }

    [Fact]
    public async Task Results_page_and_bad_searches_name_the_field()
    {
        var marker = Marker();
        var s = await Scenario.CreateAsync(App);
        for (var i = 0; i < 3; i++)
        {
            await s.Csm.CreateAsync($"accounts/{s.AccountId}/stakeholders", new { name = $"{marker} contact {i}", side = "customer", role = "other" });
        }

        var first = await s.Csm.GetJsonAsync($"search?q={marker}&limit=2");
        Assert.Equal(2, Items(first).Count);
        var second = await s.Csm.GetJsonAsync($"search?q={marker}&limit=2&cursor={Uri.EscapeDataString(first.Str("nextCursor"))}");
        Assert.Single(Items(second));
        Assert.Null(second["nextCursor"]);
        Assert.Equal(3, Items(first).Concat(Items(second)).Select(h => h.Str("id")).Distinct().Count());

        await (await s.Csm.GetAsync("search")).ExpectFieldErrorAsync("q");
        await (await s.Csm.GetAsync("search?q=%20a%20")).ExpectFieldErrorAsync("q");
        await (await s.Csm.GetAsync("search?q=%25%25%25")).ExpectFieldErrorAsync("q");
        await (await s.Csm.GetAsync($"search?q={marker}&cursor=not-a-cursor")).ExpectFieldErrorAsync("cursor");
        await (await s.Csm.GetAsync($"search?q={marker}&limit=0")).ExpectFieldErrorAsync("limit");
    }

    private static List<JsonNode> Items(JsonObject page) => page["items"]!.AsArray().Select(i => i!).ToList();
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteSearchTests(SqliteApp app) : SearchTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresSearchTests(PostgresApp app) : SearchTests(app);
