using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

/// <summary>Plan templates over HTTP: the built-in three, an admin's own, and what a plan made from one starts with.</summary>
public abstract class TemplateTests(VerityApp app) : ApiTests(app)
{
    [Fact]
    public async Task A_plan_from_the_impact_journey_starts_with_its_sections_journey_and_suggestions()
    {
        var s = await Scenario.CreateAsync(App);
        var templates = (await s.Csm.GetJsonAsync("templates"))["items"]!.AsArray();
        Assert.Equal(["mutual", "commercial", "impactJourney"], templates.Take(3).Select(t => t!.Str("key")));
        var journey = await s.Csm.GetJsonAsync("templates/impactJourney");
        Assert.True(journey["builtIn"]!.GetValue<bool>());
        Assert.Equal(["customerExpectations", "smartGoals", "keyMetrics", "changeManagement", "nextSteps"],
            journey["sections"]!.AsArray().Select(x => x!.Str("key")));
        Assert.Contains("Why us", journey["sections"]![0]!.Str("prompt"));
        Assert.Equal(3, journey["objectives"]!.AsArray().Count);

        var plan = await s.Csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Docs impact journey", template = "impactJourney" });
        Assert.Equal("impactJourney", plan.Str("template"));
        Assert.StartsWith("- Trying to achieve:", plan["sections"]!["customerExpectations"].Str("content"));
        var milestones = (await s.Csm.GetJsonAsync($"plans/{plan.Id()}/milestones"))["items"]!.AsArray();
        Assert.Equal(["days30", "days90", "months12", "months12", "months6"], milestones.Select(m => m!.Str("horizon")).Order(StringComparer.Ordinal));
        Assert.All(milestones, m => Assert.False(m!["outsideHorizon"]!.GetValue<bool>()));

        // Its sections are the template's: a mutual-plan key does not belong, one of its own does.
        await (await s.Csm.PatchAsync($"plans/{plan.Id()}", new { sections = new Dictionary<string, object> { ["economicsPricing"] = new { content = "x" } } }))
            .ExpectFieldErrorAsync("sections.economicsPricing");
        var written = await (await s.Csm.PatchAsync($"plans/{plan.Id()}", new { sections = new Dictionary<string, object> { ["smartGoals"] = new { content = "Cut search time to 2 minutes by June." } } }))
            .ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cut search time to 2 minutes by June.", written["sections"]!["smartGoals"].Str("content"));
        await (await s.Csm.PostAsync("plans", new { accountId = s.AccountId, title = "x", template = "nope" })).ExpectFieldErrorAsync("template");
    }

    [Fact]
    public async Task An_admin_adds_changes_and_removes_a_template_and_one_in_use_stays()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        var key = "onboarding" + Ids.New()[^6..];
        var created = await (await admin.PostAsync("templates", new
        {
            key, name = "Fast onboarding",
            sections = new[] { new { key = "goals", title = "Goals", prompt = "What does good look like in 30 days?", starter = "- Goal:" } },
            objectives = new[] { new { title = "Ten teams live by March", kind = "quantitative" } },
            milestones = new[] { new { horizon = "days30", title = "Ten teams live" } },
        })).ExpectJsonAsync(HttpStatusCode.Created);
        Assert.False(created["builtIn"]!.GetValue<bool>());
        var etag = (await admin.GetAsync($"templates/{key}")).Headers.ETag!.ToString();
        var renamed = await (await admin.PatchAsync($"templates/{key}", new { name = "Faster onboarding" }, ifMatch: etag)).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Faster onboarding", renamed.Str("name"));
        await (await admin.PatchAsync($"templates/{key}", new { name = "Stale" }, ifMatch: etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var s = await Scenario.CreateAsync(App);
        var plan = await s.Csm.CreateAsync("plans", new { accountId = s.AccountId, title = "Onboarding", template = key });
        Assert.Equal("- Goal:", plan["sections"]!["goals"].Str("content"));
        Assert.Contains("1 plan uses", (await (await admin.DeleteAsync($"templates/{key}")).ExpectProblemAsync(HttpStatusCode.Conflict)).Str("detail"));
        await (await admin.DeleteAsync("templates/mutual")).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PatchAsync("templates/impactJourney", new { name = "Mine now" })).ExpectProblemAsync(HttpStatusCode.Conflict);

        var unused = "spare" + Ids.New()[^6..];
        await admin.CreateAsync("templates", new { key = unused, name = "Spare", sections = new[] { new { key = "notes", title = "Notes" } } });
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"templates/{unused}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"templates/{unused}")).StatusCode);
    }

    [Fact]
    public async Task Bad_templates_name_the_field_and_only_admins_change_them()
    {
        var admin = await App.SignInAsync(UserRole.Admin);
        object Section(string key) => new { key, title = "T" };
        await (await admin.PostAsync("templates", new { key = "two words", name = "x", sections = new[] { Section("a") } })).ExpectFieldErrorAsync("key");
        await (await admin.PostAsync("templates", new { key = "dup" + Ids.New()[^6..], name = "x", sections = new[] { Section("goals"), Section("goals") } })).ExpectFieldErrorAsync("sections[1].key");
        await (await admin.PostAsync("templates", new { key = "bad" + Ids.New()[^6..], name = "x", sections = new[] { Section("not-an-id") } })).ExpectFieldErrorAsync("sections[0].key");
        await (await admin.PostAsync("templates", new { key = "mutual", name = "x", sections = new[] { Section("a") } })).ExpectFieldErrorAsync("key");
        // What only JSON can get wrong: null lists are empty, null items and missing horizons are named, never a 500.
        var sparse = "sparse" + Ids.New()[^6..];
        await (await admin.Send(HttpMethod.Post, "templates", $$"""{"key":"{{sparse}}","name":"x","sections":null}""")).ExpectFieldErrorAsync("sections");
        await (await admin.Send(HttpMethod.Post, "templates", $$"""{"key":"{{sparse}}","name":"x","sections":[null]}""")).ExpectFieldErrorAsync("sections[0]");
        await (await admin.Send(HttpMethod.Post, "templates",
            $$"""{"key":"{{sparse}}","name":"x","sections":[{"key":"a","title":"A"}],"objectives":null,"milestones":[{"title":"Live"}]}""")).ExpectFieldErrorAsync("milestones[0].horizon");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"templates/{sparse}")).StatusCode);
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager);
        Assert.Equal(HttpStatusCode.Forbidden, (await csm.PostAsync("templates", new { key = "mine", name = "x", sections = new[] { Section("a") } })).StatusCode);
        var s = await Scenario.CreateAsync(App);
        var customer = await App.SignInAsync(UserRole.Customer, s.AccountId);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("templates")).StatusCode);
    }

    [Fact]
    public async Task The_template_pages_are_an_admins_and_a_stale_change_is_a_message_not_a_write()
    {
        const string password = "correct horse battery staple";
        var cancel = TestContext.Current.CancellationToken;
        var csm = await App.SignInAsync(UserRole.CustomerSuccessManager, password: password);
        var csmPages = await App.SignInToPagesAsync(csm.Email!, password);
        Assert.DoesNotContain("href=\"/templates\"", await csmPages.GetStringAsync("/accounts", cancel));
        foreach (var path in new[] { "/templates", "/templates/mutual" })
        {
            var refused = await csmPages.GetAsync(path, cancel);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync(cancel);
            Assert.Contains("Only an admin manages plan templates.", body);
            Assert.DoesNotContain("Kick-off held; baselines agreed", body);
        }

        var admin = await App.SignInAsync(UserRole.Admin, password: password);
        var key = "stale" + Ids.New()[^6..];
        await admin.CreateAsync("templates", new { key, name = "Before", sections = new[] { new { key = "goals", title = "Goals" } } });
        var pages = await App.SignInToPagesAsync(admin.Email!, password);
        Assert.Contains($"href=\"/templates/{key}\"", await pages.GetStringAsync("/templates", cancel));
        Assert.Equal(HttpStatusCode.NotFound, (await pages.GetAsync("/templates/nothingHere", cancel)).StatusCode);
        var page = await pages.GetStringAsync($"/templates/{key}", cancel);
        var version = System.Text.RegularExpressions.Regex.Match(page, "name=\"Edit.Version\" value=\"(\\d+)\"").Groups[1].Value;

        // Someone changes it over the API while the page is open: the page's save is refused at the top, nothing written.
        (await admin.PatchAsync($"templates/{key}", new { name = "Changed elsewhere" })).EnsureSuccessStatusCode();
        var stale = await pages.PostAsync($"/templates/{key}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-template",
            ["__RequestVerificationToken"] = VerityApp.AntiforgeryToken(page),
            ["Edit.Version"] = version,
            ["Edit.Name"] = "Mine",
            ["Edit.Sections[0].Key"] = "goals",
            ["Edit.Sections[0].Title"] = "Goals",
        }), cancel);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        // In words, with no HTTP in them, and the form shows their version, not what was typed over an older one.
        var answer = await stale.Content.ReadAsStringAsync(cancel);
        Assert.Contains("Someone changed this since you opened it", answer);
        Assert.DoesNotContain("If-Match", answer);
        Assert.Contains("value=\"Changed elsewhere\"", answer);
        Assert.DoesNotContain("value=\"Mine\"", answer);
        Assert.Equal("Changed elsewhere", (await admin.GetJsonAsync($"templates/{key}")).Str("name"));
    }
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteTemplateTests(SqliteApp app) : TemplateTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresTemplateTests(PostgresApp app) : TemplateTests(app);
