using System.Net;
using System.Text.Json.Nodes;
using Verity.Domain.Common;
using Verity.Tests.Infrastructure;

namespace Verity.Tests;

public abstract class HistoryAndConcurrencyTests(VerityApp app) : ApiTests(app)
{
    public static TheoryData<string, string> Patches => new()
    {
        { "accounts/{account}", """{"tools":"GitLab"}""" },
        { "stakeholders/{stakeholder}", """{"title":"CTO"}""" },
        { "opportunities/{opportunity}", """{"netArr":1}""" },
        { "plans/{plan}", """{"title":"Renamed"}""" },
        { "objectives/{objective}", """{"title":"Renamed"}""" },
        { "metrics/{metric}", """{"unit":"per day"}""" },
        { "initiatives/{initiative}", """{"status":"done"}""" },
    };

    [Fact]
    public async Task A_lifecycle_step_checked_with_a_stale_if_match_is_refused_with_412()
    {
        var s = await Scenario.CreateAsync(App);
        var path = $"accounts/{s.AccountId}/lifecycle";
        var read = await s.Csm.GetAsync(path);
        var etag = read.Headers.ETag?.ToString();
        Assert.NotNull(etag);

        var winner = await s.Csm.PutAsync($"{path}/6", new { done = true }, ifMatch: etag);
        await winner.ExpectJsonAsync(HttpStatusCode.OK);
        var current = winner.Headers.ETag?.ToString();
        Assert.NotNull(current);
        Assert.NotEqual(etag, current);
        Assert.Equal(current, (await s.Csm.GetAsync(path)).Headers.ETag?.ToString());

        await (await s.Csm.PutAsync($"{path}/6", new { done = false }, ifMatch: etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await s.Csm.PutAsync($"{path}/9", new { done = true }, ifMatch: etag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var steps = (await s.Csm.GetJsonAsync(path))["steps"]!.AsArray();
        Assert.True(steps.Single(x => x!["sequence"]!.GetValue<int>() == 6)!["done"]!.GetValue<bool>());
        Assert.False(steps.Single(x => x!["sequence"]!.GetValue<int>() == 9)!["done"]!.GetValue<bool>());

        await (await s.Csm.PutAsync($"{path}/6", new { done = false }, ifMatch: current)).ExpectJsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [MemberData(nameof(Patches))]
    public async Task A_stale_if_match_is_refused_with_412_and_the_record_is_unchanged(string template, string patch)
    {
        var s = await Scenario.CreateAsync(App);
        var path = Path(template, s);
        var first = await s.Csm.GetAsync(path);
        var etag = first.Headers.ETag?.ToString();
        Assert.NotNull(etag);
        var original = await first.ExpectJsonAsync(HttpStatusCode.OK);

        var winner = await s.Csm.Send(HttpMethod.Patch, path, patch, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, winner.StatusCode);
        var afterWin = (await s.Csm.GetJsonAsync(path)).ToJsonString();
        Assert.NotEqual(original.ToJsonString(), afterWin);

        var loser = await s.Csm.Send(HttpMethod.Patch, path, """{}""", ifMatch: etag);
        await loser.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        var delete = await s.Csm.DeleteAsync(path, ifMatch: etag);
        Assert.True(delete.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.MethodNotAllowed, $"DELETE answered {delete.StatusCode}");
        Assert.Equal(afterWin, (await s.Csm.GetJsonAsync(path)).ToJsonString());

        var fresh = (await s.Csm.GetAsync(path)).Headers.ETag!.ToString();
        Assert.Equal(HttpStatusCode.OK, (await s.Csm.Send(HttpMethod.Patch, path, patch, ifMatch: fresh)).StatusCode);
    }

    [Fact]
    public async Task Changing_only_the_team_or_sections_still_moves_the_etag()
    {
        var s = await Scenario.CreateAsync(App);
        var before = (await s.Csm.GetAsync($"plans/{s.PlanId}")).Headers.ETag!.ToString();
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { sections = new Dictionary<string, object> { ["milestones"] = new { content = "30/60/90" } } });
        var after = (await s.Csm.GetAsync($"plans/{s.PlanId}")).Headers.ETag!.ToString();
        Assert.NotEqual(before, after);
        await (await s.Csm.PatchAsync($"plans/{s.PlanId}", new { title = "Stale" }, before)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var teamTag = (await s.Manager.GetAsync($"accounts/{s.AccountId}/team")).Headers.ETag!.ToString();
        await (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", Array.Empty<object>(), teamTag)).ExpectArrayAsync(HttpStatusCode.OK);
        await (await s.Manager.PutAsync($"accounts/{s.AccountId}/team", Array.Empty<object>(), teamTag)).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Every_change_is_in_the_history_with_who_and_old_and_new_values()
    {
        var s = await Scenario.CreateAsync(App);
        await s.Csm.PatchAsync($"objectives/{s.ObjectiveId}", new { title = "Ten deployments a week", targetDate = "2027-09-30" });

        var history = (await s.Manager.GetJsonAsync($"audit?entityId={s.ObjectiveId}"))["items"]!.AsArray();
        Assert.Equal(["update", "insert"], history.Select(h => h.Str("action")));
        var update = history[0]!;
        Assert.Equal("Objective", update.Str("entityType"));
        Assert.Equal(s.Csm.UserId, update.Str("actorId"));
        var changes = update["changes"]!.AsArray().ToDictionary(c => c.Str("field"), c => c!);
        Assert.Equal("Increase deployment frequency from 2 to 10 per week", changes["title"].Str("old"));
        Assert.Equal("Ten deployments a week", changes["title"].Str("new"));
        Assert.Equal("2027-06-30", changes["targetDate"].Str("old"));
        Assert.Equal("2027-09-30", changes["targetDate"].Str("new"));
        Assert.DoesNotContain("successCriteria", changes.Keys);

        var insert = history[1]!["changes"]!.AsArray().ToDictionary(c => c.Str("field"), c => c!);
        Assert.Null(insert["title"]!["old"]);
        Assert.Equal("quantitative", insert["kind"].Str("new"));

        await s.Csm.DeleteAsync($"initiatives/{s.InitiativeId}");
        var deleted = (await s.Manager.GetJsonAsync($"audit?entityId={s.InitiativeId}"))["items"]!.AsArray();
        Assert.Equal("delete", deleted[0].Str("action"));
        Assert.Equal("Pipeline templates", deleted[0]!["changes"]!.AsArray().Single(c => c.Str("field") == "title").Str("old"));

        var team = (await s.Manager.GetJsonAsync($"audit?entityId={s.AccountId}"))["items"]!.AsArray();
        Assert.Contains(team, h => h.Str("entityType") == "AccountTeam"
            && h!["changes"]![0].Str("field") == $"team.{s.Csm.UserId}" && h["changes"]![0].Str("new") == "customerSuccessManager");
    }

    [Fact]
    public async Task A_refused_write_leaves_no_history()
    {
        var s = await Scenario.CreateAsync(App);
        var before = (await s.Manager.GetJsonAsync($"audit?entityId={s.PlanId}"))["items"]!.AsArray().Count;
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { reviewCadenceDays = 0 });
        await s.Csm.PatchAsync($"plans/{s.PlanId}", new { title = "x" }, "\"999\"");
        Assert.Equal(before, (await s.Manager.GetJsonAsync($"audit?entityId={s.PlanId}"))["items"]!.AsArray().Count);
    }

    private static string Path(string template, Scenario s) => template
        .Replace("{account}", s.AccountId, StringComparison.Ordinal)
        .Replace("{stakeholder}", s.StakeholderId, StringComparison.Ordinal)
        .Replace("{opportunity}", s.OpportunityId, StringComparison.Ordinal)
        .Replace("{plan}", s.PlanId, StringComparison.Ordinal)
        .Replace("{objective}", s.ObjectiveId, StringComparison.Ordinal)
        .Replace("{metric}", s.MetricId, StringComparison.Ordinal)
        .Replace("{initiative}", s.InitiativeId, StringComparison.Ordinal);
}

[Collection(SqliteCollection.Sqlite)]
public sealed class SqliteHistoryAndConcurrencyTests(SqliteApp app) : HistoryAndConcurrencyTests(app);

[Collection(PostgresCollection.Postgres)]
public sealed class PostgresHistoryAndConcurrencyTests(PostgresApp app) : HistoryAndConcurrencyTests(app);
